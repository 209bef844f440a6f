"""The principal who is the child's guardian never finds a safeguarding report about her child (issue 9).

王校长 is 杨婷's 委托监护人. 王老师 reports that 杨婷 is beaten at home; nobody answers, so the report's
call tasks fall overdue. Before, only those left out were kept from them: the principal's ``/due``,
``/tasks`` and digest counted the report's tasks, telling the accused family the report exists. Now the
one rule (left out, or the family of a safeguarding report's child) keeps them from her; 刘主任 sees them.
"""

from __future__ import annotations

from tests.services.test_roster_staff_guardian import with_yuan
from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"
WORDS = "孩子说姑姑经常打她"
SCRIPT = (f":as 王老师\n报告 杨婷\n5\n{WORDS}\n1\n:wait 3h\n:as 王校长\n/due\n/tasks\n:as 刘主任\n/due\n/tasks\n"
          ":wait 20h\n/quit\n")


def test_the_guardian_principal_is_never_shown_the_reports_tasks(monkeypatch, tmp_path, sample_roster):
    roster = with_yuan(sample_roster, tmp_path, guardian=("王校长", "13800136961"))
    out = run_demo(monkeypatch, tmp_path, roster, SCRIPT, AT, "--all", "--lang", "en")
    confirm = after(out, WORDS)  # the reporter's preview names who will get step 1: the admin standing in
    assert "Step 1 will tell: 刘主任 (school admin)" in confirm and "school leaders — nobody on record" not in confirm
    assert "王校长" not in confirm
    principal_due = after(out, "/due", since=":as 王校长")
    assert "杨婷" not in principal_due and "overdue tasks" not in principal_due.lower()
    principal_tasks = after(out, "/tasks", since=":as 王校长")
    assert "杨婷" not in principal_tasks
    admin_due = after(out, "/due", since=":as 刘主任")
    assert "Overdue tasks at the school" in admin_due
    assert "杨婷" in after(out, "/tasks", since=":as 刘主任")
    digests = after(out, ":wait 20h")
    to_principal = [m for m in digests.split("[→ ")[1:] if m.startswith("王校长")]
    assert not any("overdue tasks" in m.lower() or "杨婷" in m for m in to_principal)
    to_admin = [m for m in digests.split("[→ ")[1:] if m.startswith("刘主任")]
    assert any("Overdue tasks at the school" in m for m in to_admin)


def test_the_preview_names_the_stand_in_of_the_leader_left_out(monkeypatch, tmp_path, sample_roster):
    script = ":as 王老师\n报告 杨秀云\n5\n王校长经常把她叫到办公室，她身上有伤\n2\n1\n被举报的就是校长本人\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT, "--all")
    before = after(out, "王校长经常把她叫到办公室，她身上有伤")
    assert "第1步通知：王校长（校领导）" in before
    confirm = after(out, "被举报的就是校长本人")
    assert "第1步通知：刘主任（管理员）" in confirm
    assert "不通知：王校长（校领导）——被举报的就是校长本人" in confirm
