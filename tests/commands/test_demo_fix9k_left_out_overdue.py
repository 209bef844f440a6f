"""The overdue tasks of a report someone was left out of never reach them: /due, the digest, the dashboard (fix9k).

王老师 reported that 王校长 hurts 杨秀云 and left him out. Nobody answered, so the call tasks of the report
fell overdue. The principal's ``/due`` and next morning's digest still said "全校逾期任务：2项（王老师 1、
镇教育办张科长 1）": the report's call tasks, telling him it exists. The admin 刘主任 still sees them.
"""

from __future__ import annotations

from tests.support.demo import after, run_demo, told_to

AT = "2026-12-02 10:00"
LEFT_OUT_AT_REPORT = ":as 王老师\n报告 杨秀云\n5\n王校长经常把她叫到办公室，她身上有伤\n2\n1\n被举报的就是校长本人\n1\n"
SCRIPT = f"{LEFT_OUT_AT_REPORT}:wait 3h\n:as 王校长\n/due\n:as 刘主任\n/due\n:wait 20h\n/quit\n"


def test_the_left_out_principal_is_not_told_the_reports_overdue_tasks(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all")
    principal_due = after(out, "/due", since=":as 王校长")
    assert "全校待完成的谈心" in principal_due  # his /due still has the school's talks
    assert "逾期任务" not in principal_due and "杨秀云" not in principal_due
    admin_due = after(out, "/due", since=":as 刘主任")
    assert "全校逾期任务：2项（王老师 1、镇教育办张科长 1）" in admin_due
    digests = after(out, ":wait 20h")
    assert not any("逾期任务" in m for m in told_to(digests, "王校长（校领导）"))
    assert any("全校逾期任务：2项" in m for m in told_to(digests, "刘主任（管理员）"))
    assert any("【逾期】杨秀云" in m for m in told_to(digests, "王老师（班主任）"))  # the assignee's own, as before


def test_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all", "--lang", "en")
    principal_due = after(out, "/due", since=":as 王校长")
    assert "overdue tasks" not in principal_due.lower() and "杨秀云" not in principal_due
    assert "Overdue tasks at the school: 2" in after(out, "/due", since=":as 刘主任")
    digests = after(out, ":wait 20h")
    to_principal = [m for m in digests.split("[→ ")[1:] if m.startswith("王校长")]
    to_admin = [m for m in digests.split("[→ ")[1:] if m.startswith("刘主任")]
    assert not any("overdue tasks" in m.lower() for m in to_principal)
    assert any("Overdue tasks at the school: 2" in m for m in to_admin)
