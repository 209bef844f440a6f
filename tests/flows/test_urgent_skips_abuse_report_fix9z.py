"""A family's 【紧急】 never tells its reader of a safeguarding report open about the child (fix9z).

A breaker: 王老师 reported 「班主任张老师体罚孩子」 about 刘帅. Half an hour later 李雪 wrote ``刘帅发高烧抽筋了``, and
张老师 — the accused — read it with "刘帅的突发事件已经在处理中（王老师于…报告），不需要再报告。": told of the report
against him, and told not to report the fever, which then had no incident of its own. Now the line is the usual one.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

ABUSE = "报告 刘帅\n5\n班主任张老师体罚孩子，身上有伤\n1\n:wait 30m\n:as 李雪\n"


def test_the_accused_teacher_is_told_to_report_the_fever(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ABUSE + "刘帅发高烧抽筋了\n/quit\n", "2026-12-07 10:00")
    told = "\n".join(told_to(after(out, "刘帅发高烧抽筋了"), "张老师（班主任）"))
    assert "【紧急】" in told
    assert "王老师于" not in told and "不需要再报告" not in told, told
    assert "请马上给家人打电话。报告突发事件：发送“报告 刘帅”。" in told, told


def test_an_emergency_open_is_still_named(monkeypatch, tmp_path, sample_roster):
    # Not a safeguarding report: the class teacher is told it is reported already, as before.
    script = "报告 刘帅\n1\n1\n在操场摔倒了头破了\n1\n:wait 30m\n:as 李雪\n刘帅发高烧抽筋了\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-07 10:00")
    told = "\n".join(told_to(after(out, "刘帅发高烧抽筋了"), "张老师（班主任）"))
    assert "不需要再报告" in told, told
