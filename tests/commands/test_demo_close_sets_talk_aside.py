"""Closing an incident sets a talk aside, as reporting one does (new-user trial, issue 6).

A teacher four answers into a talk reported 杨婷's stomach ache, looked at /tasks and a card (each asking
"drop the talk?"), then typed 结束事件: the talk was thrown away ("已放弃…没有保存任何内容"). An emergency's
close, like its report, never waits on nor discards work in progress.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"
TALK = "/talk 杨秀云\n1\n2\n1\n"  # three answers given: study, mood, life
REPORT = "报告 杨婷\n2\n1\n肚子疼得厉害\n1\n"  # illness, urgent, sent
CLOSE = "结束事件\n1\n不需要\n确认结束\n"  # at school and safe, no note, confirmed


def test_closing_an_incident_during_a_talk_sets_the_talk_aside(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}{REPORT}{CLOSE}1\n/quit\n", AT)
    assert after(out, "结束事件").startswith("已暂存与杨秀云的谈心记录：事件结束后，我会从您停下的地方接着问。\n\n"
                                          "结束关于杨婷")
    closed = after(out, "确认结束")
    assert closed.startswith("事件已结束。")
    assert "继续记录与杨秀云的谈心：\n\n杨秀云有安全隐患吗？\n1. 没有 2. 有" in closed
    assert "已放弃" not in out
    assert after(out, "1", since="确认结束").startswith("请简单记录与杨秀云的谈心内容")  # the talk goes on


def test_closing_at_drop_it_sets_the_talk_aside_too(monkeypatch, tmp_path, sample_roster):
    # /tasks asks "drop the talk?"; 结束事件 typed there is not "drop it": the talk waits for the close.
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}{REPORT}/tasks\n{CLOSE}/quit\n", AT)
    assert "要放弃吗？" in after(out, "/tasks")
    assert after(out, "结束事件").startswith("已暂存与杨秀云的谈心记录")
    assert "继续记录与杨秀云的谈心：" in after(out, "确认结束") and "已放弃" not in out


def test_closing_in_english_during_a_talk_asks_nothing(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{TALK}{REPORT}close\n/quit\n", AT, "--lang", "en")
    shown = after(out, "close")
    assert shown.startswith("Set aside your talk with 杨秀云: I will ask you again where you left off once the "
                            "incident is closed.") and "Drop it?" not in shown
