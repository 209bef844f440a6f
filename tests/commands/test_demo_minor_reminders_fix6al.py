"""A scraped knee reported at night: the grandfather is reminded once, not every 10 minutes (LOW-12, fix6al).

王老师 reports 杨秀云's scraped knee (一般) at 22:30; the family hears at 07:00 (the quiet hours end). The new-user
trial saw reminders at 07:10 and 07:20: a minor incident now reminds once, halfway to the 07:30 deadline.
An emergency keeps its reminder every 10 minutes.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

MINOR_AT_NIGHT = "报告 杨秀云\n1\n2\n晚自习后发现膝盖擦伤\n1\n:as #43\n:wait 9h\n/quit\n"


def test_a_minor_incident_reminds_the_grandfather_once(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, MINOR_AT_NIGHT, "2026-12-02 22:30")
    to_him = told_to(after(out, ":wait 9h"), "张强（委托监护人）")
    assert to_him[0].startswith("突发事件：杨秀云（一年级（1）班），受伤，一般。")
    reminders = [m for m in to_him if "提醒" in m]
    assert len(reminders) == 1, reminders
    assert reminders[0].startswith("第1次提醒（首次通知已发出15分钟）")


def test_an_emergency_still_reminds_every_ten_minutes(monkeypatch, tmp_path, sample_roster):
    script = "报告 杨秀云\n1\n1\n在操场摔倒了头破了\n1\n:as #43\n:wait 30m\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    reminders = [m for m in told_to(after(out, ":wait 30m"), "张强（委托监护人）") if "提醒" in m]
    assert [r.split("（")[0] for r in reminders] == ["第1次提醒", "第2次提醒"]


def test_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, MINOR_AT_NIGHT, "2026-12-02 22:30", "--lang", "en")
    reminders = [m for m in told_to(after(out, ":wait 9h"), "张强 (entrusted guardian)") if "eminder" in m]
    assert len(reminders) == 1, reminders
