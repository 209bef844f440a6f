"""A notice that only offers an action never takes the numbers of any question waiting, not only a flow's (fix6p).

Wednesday 16:00: 王老师 reports 杨秀云 missing. At 16:05 杨平 (朱瑞明's grandfather) writes that 朱瑞明 has been
coughing; his message is on her screen with ``1. 回复``. At 16:30 the chain's "未能按时联系到" notice about 杨秀云
arrived numbered ``1. 结束事件`` and her ``1`` — meant for the Reply — began closing 杨秀云's incident (fix6o had
held such notices back only while a flow was in progress). Now it comes without numbers, saying it waits for the
message above, and ``1`` answers that message; the notice's Close is asked, numbered, once she has replied.
Reminders that wait for an answer (a talk due, a check-in) already waited so behind any question (they are queued
unless the question on screen has waited six hours, :data:`bot.domain.agenda.HOLD`).
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

WEDNESDAY = "2026-12-02 16:00"
SCRIPT = (":as 王老师\n{report}\n:wait 5m\n:as 杨平\n{words}\n:as 王老师\n:wait 26m\n1\n")
ZH = SCRIPT.format(report="报告 杨秀云\n3\n1\n放学后没回家\n1", words="朱瑞明这两天咳嗽，麻烦老师看看")
EN = SCRIPT.format(report="report 杨秀云\n3\n1\n放学后没回家\n1", words="朱瑞明 has been coughing for two days")


def test_the_notice_waits_behind_the_message_on_screen(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ZH + "明天我问问\n", WEDNESDAY, "--all")
    [notice] = [m for m in told_to(after(out, ":wait 26m"), "王老师（班主任）") if m.startswith("未能按时联系到")]
    assert "1. 结束事件" not in notice
    assert "请先回答上面的问题（杨平发来的关于朱瑞明的留言" in notice
    answered = after(out, "1", ":wait 26m")
    assert answered.startswith("请写下给杨平的回复（关于朱瑞明）")
    assert "结束关于杨秀云" not in answered
    replied = after(out, "明天我问问")
    assert "还在等您回答：\n\n未能按时联系到" in replied and "1. 结束事件" in replied.split("[→")[0]  # in its turn


def test_the_notice_waits_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, EN, WEDNESDAY, "--all", "--lang", "en")
    [notice] = [m for m in told_to(after(out, ":wait 26m"), "王老师 (class teacher)") if m.startswith("Not reached")]
    assert "1. Close incident" not in notice
    answered = after(out, "1", ":wait 26m")
    assert "杨平" in answered.split("\n")[0] and "Before closing" not in answered
