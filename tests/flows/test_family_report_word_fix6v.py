"""A guardian's ``报告 …`` reaches the teacher without the word 报告, however it is typed (fix6v, issue 6).

A breaker as the grandfather of 杨秀云 wrote ``报告孩子发烧了`` (and ``报告，孩子发烧了``; at the check-in's note
question ``报告 孩子发烧了``): 王老师 read "留言：“报告孩子发烧了”". The command word is no part of his message.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo, told_to

TEACHER = "王老师（班主任）"


@pytest.mark.parametrize("typed", ["报告孩子发烧了", "报告，孩子发烧了"])
def test_the_report_word_is_not_passed_on(monkeypatch, tmp_path, sample_roster, typed):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as #43\n{typed}\n", "2026-12-02 10:00", "--all")
    said = after(out, typed)
    assert said.startswith("谢谢。您关于杨秀云的留言已转给王老师（班主任）")
    assert "突发事件由学校教职工报告" in said  # as for 报告 孩子发烧了: the emergency numbers too
    [passed] = told_to(said, TEACHER)
    assert "“孩子发烧了”" in passed and "报告" not in passed


def test_at_the_check_in_note_the_report_word_is_not_the_note(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":wait 2m\n:as #43\n1\n报告 孩子发烧了\n",
                   "2026-12-04 17:58", "--all")
    assert after(out, "1").startswith("谢谢！已记录：杨秀云这周很好。")  # the note question follows, 跳过 offered
    [passed] = told_to(after(out, "报告 孩子发烧了"), TEACHER)
    assert "“孩子发烧了”" in passed and "报告" not in passed
