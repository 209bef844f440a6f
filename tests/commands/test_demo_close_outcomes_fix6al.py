"""Closing an incident: the likely outcomes first, by where and when it happened (new-user trial LOW-9, fix6al).

A Friday 18:30 "放学路上摔伤了膝盖" (on the way home) was offered 「孩子在学校，安全」 first; at home comes first now.
A fall in the school yard during the school day keeps "at school" first. Nothing is ever picked for the closer.
"""

from __future__ import annotations

import re

from tests.support.demo import after, run_demo

CLOSE = "结束事件\n"


def _outcomes(told: str) -> list[str]:
    """The numbered choices of the outcome question, in order."""
    line = next(x for x in told.splitlines() if x.startswith("1. "))
    return [p.split(". ", 1)[1] for p in re.split(r" (?=\d\. )", line)]


def test_on_the_way_home_on_a_friday_evening_lists_at_home_first(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n放学路上摔伤了膝盖\n1\n" + CLOSE + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 18:30")
    asked = after(out, "结束事件")
    assert "请说明孩子现在的情况" in asked
    outcomes = _outcomes(asked)
    assert outcomes[0] == "孩子在家，安全"
    assert outcomes.index("孩子在家，安全") < outcomes.index("孩子在学校，安全")
    assert "已结束" not in asked  # nothing picked: the question waits


def test_a_fall_in_the_yard_in_school_hours_lists_at_school_first(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n" + CLOSE + "/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    assert _outcomes(after(out, "结束事件"))[0] == "孩子在学校，安全"


def test_in_english(monkeypatch, tmp_path, sample_roster):
    script = "report 杨秀云\n1\n1\nhurt his knee on the way home\n1\nclose\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-04 18:30", "--lang", "en")
    assert _outcomes(after(out, "close"))[0] == "The child is safe at home"
