"""A whole sentence that the child is safe is an all clear, as a bare 平安 is (fix6s, new-user trial item 2).

杨秀云 did not come home; her grandfather 张强 acknowledged the alert and wrote ``杨秀云已经平安了``. Only the
reporter heard it, and the Friday question stayed held, while a bare ``平安`` reached the parents. Now
``已经``/``already`` adds nothing, 孩子 / "the child" is the writer's child, and the place may follow the news
without a comma (``秀云找到了在她同学家``). Harm beside it still goes to the reporter alone, in full.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
MISSING = ":wait 2m\n报告 杨秀云\n3\n1\n放学后没回家\n1\n:as #43\n1\n"
MISSING_EN = ":wait 2m\nreport 杨秀云\n3\n1\ndid not come home after school\n1\n:as #43\n1\n"
TOLD_ALL = "谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅。"


@pytest.mark.parametrize("typed", ["杨秀云已经平安了", "孩子已经回来了", "秀云找到了在她同学家"])
def test_the_parents_hear_the_sentence(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING}{typed}\n/quit\n", FRIDAY, "--all")
    said = after(out, typed)
    assert said.startswith(TOLD_ALL)
    assert "还在等您回答：" in said and "杨秀云这周过得怎么样？" in said  # the held question is asked now
    assert any(f"“{typed}”" in m for m in told_to(said, "杨杨（外出务工父母）"))
    assert told_to(said, "王老师（班主任）")[0].startswith("张强说杨秀云没事了。")


@pytest.mark.parametrize("typed", ["孩子已经回来了，满脸是血", "秀云找到了在河里"])
def test_harm_beside_it_goes_to_the_reporter_only(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING}{typed}\n/quit\n", FRIDAY, "--all")
    said = after(out, typed)
    assert "已马上转给王老师（事件报告人）" in said
    assert not told_to(said, "杨杨（外出务工父母）")
    assert any(f"“{typed}”" in m for m in told_to(said, "王老师（班主任）"))


@pytest.mark.parametrize("typed", ["Xiuyun is already safe", "the child is already back"])
def test_in_english_too(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{MISSING_EN}{typed}\n/quit\n", FRIDAY, "--all",
                   "--lang", "en")
    said = after(out, typed)
    assert not said.startswith("Thank you. Your message about 杨秀云 (the incident")
    assert any(f"“{typed}”" in m for m in told_to(said, "杨杨 (parent working away)"))
