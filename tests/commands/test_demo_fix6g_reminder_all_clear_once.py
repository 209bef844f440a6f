"""After a family's all clear, a person's reminders quote it once, then carry one short line (fix6g, issue 6).

Testers: the parents far away who had not confirmed the alert about the missing 杨秀云 read 张强's ``没事了``
quoted beside every reminder — five times in fifty minutes, each reading like fresh news. Now the first
reminder after it quotes it (fixj), and each later one says only "（张强已报平安，等待老师结束事件）".
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AFTERNOON = "2026-12-02 16:00"
ALL_CLEAR = "报告 杨秀云\n3\n1\n放学后没回家\n1\n:wait 2m\n:as #43\n1\n没事了\n"
PARENTS = ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）")
QUOTE = "张强 2026年12月2日 16:02：“没事了”"
SHORT = "（张强已报平安，等待老师结束事件）"


def test_a_parent_s_reminders_quote_the_all_clear_once_then_one_short_line(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ALL_CLEAR}:wait 50m\n/quit\n", AFTERNOON, "--all")
    for parent in PARENTS:
        reminders = [m for m in told_to(after(out, ":wait 50m"), parent) if "次提醒" in m]
        assert len(reminders) == 5, parent
        first, *later = reminders
        assert first.startswith("第1次提醒") and f"\n{QUOTE}\n" in first, parent
        for reminder in later:
            assert "“没事了”" not in reminder, parent
            assert f"\n{SHORT}\n" in reminder and "\n1. 确认收到" in reminder, parent  # they still confirm


def test_in_english_the_short_line_names_the_writer(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ALL_CLEAR}:wait 20m\n/quit\n", AFTERNOON, "--all",
                   "--lang", "en")
    reminders = [m for m in told_to(after(out, ":wait 20m"), "杨杨 (parent working away)") if "Reminder" in m]
    assert len(reminders) == 2
    assert "“没事了”" in reminders[0]
    assert "(张强 has sent the all clear; waiting for the teacher to close the incident)" in reminders[1]
    assert "“没事了”" not in reminders[1]


def test_an_official_alerted_after_the_all_clear_reads_the_short_line_in_reminders(monkeypatch, tmp_path,
                                                                                  sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, f"{ALL_CLEAR}:wait 1h\n:wait 30m\n/quit\n", AFTERNOON,
                   "--all")
    official = "镇教育办张科长（教育主管部门）"
    reminders = [m for m in told_to(after(out, ":wait 30m"), official) if "次提醒" in m]
    assert reminders
    assert all("“没事了”" not in r and "（委托监护人已报平安，等待老师结束事件）" in r for r in reminders)
