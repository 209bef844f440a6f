"""An all clear with its reason is the all clear (fix6av, tester item 1): ``没事了，烧退了``.

王老师 reported 杨秀云 ill with a fever; her grandfather 张强 acknowledged the alert and wrote ``没事了，烧退了``.
It went to 王老师 as an ordinary reply (only 「1. 回复」): no 结束事件, the parents not told, and the weekly note
the bot promised to ask for "when you tell me she is safe" not asked. ``没事了`` alone worked. Trouble after the
all clear (``就是还在咳``, ``但是腿还疼``) and a plain ``他很好`` stay ordinary replies to the reporter.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
ILL = ":wait 2m\n:as #43\n1\n:as 王老师\n报告 杨秀云\n2\n1\n发烧38度5\n1\n:as #43\n1\n"
ILL_EN = ":wait 2m\n:as #43\n1\n:as 王老师\nreport 杨秀云\n2\n1\nfever 38.5\n1\n:as #43\n1\n"


@pytest.mark.parametrize("typed", ["没事了，烧退了", "孩子没事了，已经接回家了", "没事了，退烧了，谢谢老师"])
def test_the_all_clear_with_its_reason_reaches_everyone(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ILL}{typed}\n/quit\n", FRIDAY, "--all")
    said = after(out, typed)
    assert said.startswith("谢谢。您关于杨秀云的话已转告收到这起突发事件通知的人：王老师、杨杨、谢冬梅。")
    assert "关于杨秀云，还有什么想告诉老师的吗？" in said  # the note promised earlier is asked now
    teacher = told_to(said, "王老师（班主任）")[0]
    assert teacher.startswith("张强说杨秀云没事了。") and f"“{typed}”" in teacher and "2. 结束事件" in teacher
    assert any(f"“{typed}”" in m for m in told_to(said, "杨杨（外出务工父母）"))


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    typed = "she is fine now, the fever is gone"
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ILL_EN}{typed}\n/quit\n", FRIDAY, "--all",
                   "--lang", "en")
    said = after(out, typed)
    assert not said.startswith("Thank you. Your message about 杨秀云 (the incident")
    assert any(f"“{typed}”" in m for m in told_to(said, "杨杨 (parent working away)"))


@pytest.mark.parametrize("typed", ["没事了，就是还在咳", "没事了但是腿还疼", "他很好", "没事了，烧退了，腿还疼",
                                   "没事了，被陌生人接回家了"])
def test_trouble_beside_it_or_a_plain_fine_goes_to_the_reporter_only(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ILL}{typed}\n/quit\n", FRIDAY, "--all")
    said = after(out, typed)
    assert "已马上转给王老师（事件报告人）" in said
    assert not told_to(said, "杨杨（外出务工父母）")
    teacher = told_to(said, "王老师（班主任）")
    assert any(f"“{typed}”" in m and "结束事件" not in m for m in teacher)
