"""A "not reached in time" notice arriving mid-report never takes the teacher's next number (fix6o).

王老师 reports 杨秀云 missing, then starts a report about 杨婷. Thirty minutes on, the chain's "未能按时联系到" notice
about 杨秀云 arrived numbered "1. 结束事件", and her ``1`` — meant for "1. 受伤" about 杨婷 — began closing
杨秀云's incident. Now the notice arrives without numbers while her report is in progress, saying it waits, and
``1`` answers 杨婷's report.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

FRIDAY = "2026-12-04 17:58"
SCRIPT = "报告 杨秀云\n3\n放学后没回家\n1\n报告 杨婷\n:wait 31m\n1\n"


def test_the_notice_waits_and_one_answers_the_report_in_progress(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, FRIDAY, "--all")
    [notice] = [m for m in told_to(after(out, ":wait 31m"), "王老师（班主任）") if m.startswith("未能按时联系到")]
    assert "1. 结束事件" not in notice
    assert "请先回答上面的问题（杨婷的事件报告）" in notice
    answered = after(out, "1", ":wait 31m")
    assert answered.startswith("杨婷的情况有多严重？")
    assert "结束关于杨秀云" not in answered
