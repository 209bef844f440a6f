"""``改一下`` at 「要改成哪一个？」 shows the choices again, never a note to the teacher (issue 6 trial, fix6aq).

张强 (``:as #43``) answered 杨秀云's check-in 1, wrote 不对, and at 「要改成哪一个？」 typed 改一下: 王老师 got
「“改一下” 写于每周联系回答“很好”之后」 as his note. Words that only ask to change are the question's own business.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

FRIDAY = "2026-12-04 17:58"
WHICH = "要改成哪一个？现在记录的是：杨秀云这周很好。\n1. 很好 2. 一般 3. 需要帮助 4. 不做更改"


def test_change_words_at_which_one_show_the_choices_again(monkeypatch, tmp_path, sample_roster):
    script = ":wait 2m\n:as #43\n1\n不对\n改一下\n换一个\n改\n2\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, FRIDAY, "--all")
    for typed in ("改一下", "换一个", "改"):
        said = after(out, typed, "不对")
        assert said.strip() == WHICH
    assert "已改为：杨秀云这周一般。" in after(out, "2", "改")
    told = out.split("> 不对\n", 1)[1]
    assert "写于每周联系回答" not in told and "留言已转给" not in told
