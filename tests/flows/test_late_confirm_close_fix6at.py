"""The close's own words typed one step late are nobody's note (fix6at, breaker finding 1).

王老师 sets her talk with 杨秀云 aside to close the incident, cancels at "确认结束…吗？", and her talk comes back;
her ``确认结束`` typed just then was kept as the talk's note ("已记入这次谈心的备注") and the incident stayed open.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-04 10:00"
REPORT = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n"
CLOSE_CANCELLED = "／talk 杨秀云\n1\n结束事件\n3\n在卫生院缝了三针\n取消\n"


def test_confirm_close_after_the_close_was_cancelled_is_no_talk_note(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, REPORT + CLOSE_CANCELLED + "确认结束\n",
                   AT, "--all")
    told = after(out, "确认结束", "取消")
    assert "谈心的备注" not in told
    assert told.startswith("“确认结束”：现在没有等待结束的事件。结束事件已取消")
    assert "要结束事件，请发送“结束事件”。" in told
    assert told.rstrip().endswith("杨秀云的学习情况怎么样？\n1. 好 2. 一般 3. 较差")  # the talk's question again


def test_with_no_question_waiting_and_in_english(monkeypatch, tmp_path, sample_roster):
    script = ("report 杨秀云\n1\n1\nfell in the yard, head cut\n1\nclose\n3\nthree stitches\ncancel\n"
              "Confirm close\n")
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all", "--lang", "en")
    told = after(out, "Confirm close")
    assert told.startswith("“Confirm close”: no incident is waiting to be closed.")
    assert "To close an incident, send /close." in told
