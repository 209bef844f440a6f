"""A new-user trial of issue 6, item 5 (fix6d): a chain nobody answered, a phone task about a colleague's report."""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

ABUSE = "报告 杨秀云\n5\n外公经常打孩子，身上有伤\n1\n:wait 3h\n"


def test_an_abuse_report_nobody_acknowledged_goes_to_the_admin_not_back_to_the_principal(
        monkeypatch, tmp_path, sample_roster):
    """The principal ignored it: the admin (not in the chain) gets the summary, the task and the /due entry."""
    script = ABUSE + ":as 刘主任\n/due\n/tasks\n:as 王校长\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--all")
    waited = after(out, ":wait 3h")
    summary = [t for t in told_to(waited, "刘主任（管理员）") if "联系链上无人确认收到" in t]
    assert len(summary) == 1 and "• 王校长（校领导）：138 0013 6961" in summary[0]
    # Never told to phone himself.
    assert not [t for t in told_to(waited, "王校长（校领导）") if "联系链上无人确认收到" in t]
    for family in ("张强", "杨杨", "谢冬梅"):  # the accused family hears nothing
        assert f"[→ {family}" not in out
    due = after(out, "/due")
    assert "杨秀云（一年级（1）班）：疑似虐待或忽视，紧急" in due and "联系链上无人确认，请打电话" in due
    assert "  尚未确认：王校长（校领导）" in due
    assert "【逾期】杨秀云：突发事件：联系链上无人回应" in after(out, "/tasks").split("您的未完成任务")[1]


def test_the_admin_reads_who_was_not_reached_in_english(monkeypatch, tmp_path, sample_roster):
    script = ABUSE + ":as 刘主任\n/due\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00", "--lang", "en")
    due = after(out, "/due")
    assert "  Not acknowledged yet: 王校长 (school leader)" in due
    assert "onfirm" not in due  # one word for one state: "acknowledged" (fix6m)


def test_the_class_teacher_asked_to_phone_sees_the_incident_on_due(monkeypatch, tmp_path, sample_roster):
    """张老师 (another class) reported; 王老师 got the phone tasks, so /due shows the incident and who confirmed."""
    script = ":as 张老师\n报告 杨秀云\n1\n1\n在操场摔伤\n1\n:wait 65m\n:as 王老师\n/due\n1\n:as 张老师\n/due\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, "2026-12-02 10:00")
    due = after(out, "/due")
    assert "未结束的突发事件（1）：\n• 杨秀云（一年级（1）班）：受伤，紧急，报告于2026年12月2日 10:00" in due
    assert "  尚未确认：张强（委托监护人）、杨杨（父亲）、谢冬梅（母亲）" in due
    assert "第1步：张强（委托监护人）— 须于2026年12月2日 10:30前联系到" in after(out, "1", ":as 王老师")
    # The reporter outside the family's circle reads the family by relation only.
    assert "  尚未确认：委托监护人、父亲、母亲" in after(out, "/due", nth=2)


ADDED = (":all\n报告 杨秀云\n1\n1\n摔伤膝盖\n1\n报告 杨秀云\n2\n1\n又发烧了，39度\n1\n"
         ":as #43\n收到\n:as #44\n收到\n/quit\n")


def test_people_alerted_after_an_addition_read_it_and_both_kinds(monkeypatch, tmp_path, sample_roster):
    """The teacher was told everyone told would read it: the parents and the bureau, told later, read it too."""
    out = run_demo(monkeypatch, tmp_path, sample_roster, ADDED, "2026-12-02 10:00")
    assert "已补充到关于杨秀云（2026年12月2日 10:00）的报告；已收到通知的人都会看到。" in out
    for reader in ("杨杨（外出务工父母）", "谢冬梅（外出务工父母）", "镇教育办张科长（教育主管部门）"):
        alert = told_to(out, reader)[0]
        expected = "突发事件：杨秀云（一年级（1）班），受伤、生病，紧急。\n摔伤膝盖\n又发烧了，39度\n"
        assert alert.startswith(expected), reader


def test_an_addition_reaches_later_alerts_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ADDED, "2026-12-02 10:00", "--lang", "en")
    alert = next(t for t in told_to(out, "镇教育办张科长 (education bureau)") if "摔伤膝盖" in t)
    assert "injury, illness" in alert and "摔伤膝盖\n又发烧了，39度\n" in alert


def test_when_every_leader_missed_an_abuse_report_the_bureau_is_told(monkeypatch, tmp_path, sample_roster):
    """刘主任 is a school leader too: both leaders in the chain missed it, so the education office hears."""
    import openpyxl

    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    assert staff["A3"].value == "刘主任"
    staff["B3"] = "校领导"
    roster = tmp_path / "roster-two-leaders.xlsx"
    book.save(roster)
    out = run_demo(monkeypatch, tmp_path, roster, ABUSE + ":as 镇教育办张科长\n/due\n/quit\n", "2026-12-02 10:00",
                   "--all")
    waited = after(out, ":wait 3h")
    summary = [t for t in told_to(waited, "镇教育办张科长（教育主管部门）") if "联系链上无人确认收到" in t]
    assert len(summary) == 1 and "• 王校长（校领导）" in summary[0] and "• 刘主任（校领导）" in summary[0]
    for leader in ("王校长（校领导）", "刘主任（校领导）"):
        assert not [t for t in told_to(waited, leader) if "联系链上无人确认收到" in t]
    for family in ("张强", "杨杨", "谢冬梅"):
        assert f"[→ {family}" not in out
    assert "  尚未确认：王校长（校领导）、刘主任（校领导）" in after(out, "/due")
