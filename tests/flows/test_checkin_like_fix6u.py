"""``刘帅很好`` while 刘帅's emergency is open is no all clear (fix6u, a breaker).

李雪 confirmed the alert that 刘帅 split his head open in the yard, then wrote ``刘帅很好`` — the words of the week's
check-in. They reached 张老师 and the father far away as "李雪说刘帅没事了". Only the catalog's all clear (没事了,
找到了, 平安了) is news that the child is safe; "fine" goes to the reporting teacher as her words, and she is told so.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
HURT_SHUAI = ":as 张老师\n报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:wait 2m\n:as 李雪\n1\n"


@pytest.mark.parametrize("words", ["刘帅很好", "两个孩子都很好"])
def test_fine_during_the_emergency_goes_to_the_reporter(monkeypatch, tmp_path, sample_roster, words):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{HURT_SHUAI}{words}\n", FRIDAY, "--all")
    said = after(out, words)
    assert "没事了" not in said and "已记录" not in said
    assert "的留言已马上转给张老师（事件报告人）" in said
    [reporter] = told_to(said, "张老师（班主任）")
    assert f"“{words}”" in reporter
    assert not told_to(said, "刘亮（外出务工父母）")  # the father is not told his son is fine

