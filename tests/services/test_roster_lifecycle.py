"""The roster's lifecycle: children and staff a re-import no longer lists, leaving, 无监护能力, several schools."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from bot.domain.enums import RelationKind, TalkKind, TaskKind
from bot.domain.escalation import Audience
from bot.services import bindings, tasks
from bot.services.incident_people import step_recipients
from bot.services.roster import import_roster
from bot.store import crypto
from bot.store.models import (
    ChatAccount,
    Child,
    ChildRelation,
    Person,
    PersonSchool,
    RecordChange,
    School,
    TalkRecord,
    Task,
)

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
ZONE = "Asia/Shanghai"


def _without(sample: Path, tmp_path: Path, *, child: str | None = None, staff: str | None = None) -> Path:
    wb = openpyxl.load_workbook(sample)
    for sheet, name in (("留守儿童花名册", child), ("教职工", staff)):
        if name is None:
            continue
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index("姓名") + 1
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == name)
        ws.delete_rows(row)
    path = tmp_path / f"without-{child}-{staff}.xlsx"
    wb.save(path)
    return path


def _import(uow_factory, path: Path, now: datetime = NOW, confirm=None):
    with uow_factory() as uow:
        return import_roster(uow, path, now=now, default_timezone=ZONE, confirm_removals=confirm)


def test_a_reimport_lists_who_is_missing_and_removes_only_when_confirmed(uow_factory, sample_roster, tmp_path):
    _import(uow_factory, sample_roster)
    with uow_factory() as uow:
        s = uow.session
        yang = s.scalar(select(Child).where(Child.name == "杨秀云"))
        tang = s.scalar(select(Person).where(Person.name == "唐老师"))
        paired = s.scalars(select(ChildRelation.child_id).where(ChildRelation.person_id == tang.id)).all()
        other = next(c for c in paired if c != yang.id)
        s.add(ChatAccount(person_id=tang.id, channel="telegram", account_id="777", bound_at=NOW))
        s.add(TalkRecord(child_id=yang.id, author_id=tang.id, kind=TalkKind.VOLUNTEER_WEEKLY.value,
                         period="2026-W48", talked_at=NOW - timedelta(days=3)))
        task = tasks.create(uow, key="t:tang", kind=TaskKind.TALK_FOLLOW_UP, assignee_id=tang.id, child_id=other,
                            now=NOW)
        uow.commit()
        yang_id, tang_id, task_id = yang.id, tang.id, task.id
    path = _without(sample_roster, tmp_path, child="杨秀云", staff="唐老师")

    report = _import(uow_factory, path)
    assert [c.name for c in report.lifecycle.children] == ["杨秀云"]
    assert [p.name for p in report.lifecycle.staff] == ["唐老师"]
    assert not report.lifecycle.applied
    report = _import(uow_factory, path, confirm=lambda found: False)
    assert not report.lifecycle.applied
    with uow_factory() as uow:
        assert uow.session.get(Child, yang_id).active

    later = NOW + timedelta(days=1)
    report = _import(uow_factory, path, now=later, confirm=lambda found: True)
    assert report.lifecycle.applied
    with uow_factory() as uow:
        s = uow.session
        yang = s.get(Child, yang_id)
        assert (yang.active, yang.left_at) == (False, later)
        assert s.scalar(select(func.count()).select_from(TalkRecord).where(TalkRecord.child_id == yang_id)) == 1
        tang = s.get(Person, tang_id)
        assert tang.role_set == frozenset() and tang.left_at == later
        assert bindings.bindings_of(uow, tang_id) == []
        task = s.get(Task, task_id)
        teacher = s.scalar(select(Child).where(Child.id == task.child_id)).school_class.class_teacher_id
        assert (task.assignee_id, task.handed_from_id, task.done_at) == (teacher, tang_id, None)
        fields = set(s.scalars(select(RecordChange.field).where(RecordChange.source == "import")))
        assert {"left", "role", "assignee"} <= fields
    assert report.lifecycle.handed and report.lifecycle.handed[0][0] == "唐老师"
    with uow_factory() as uow:  # her pairings went to the children's class teachers as hand-over tasks
        handover = uow.session.scalars(select(Task).where(Task.kind == TaskKind.HANDOVER.value)).all()
        assert len(handover) == len(paired) - 1 and all(t.about_person_id == tang_id for t in handover)
    # A second run finds nobody missing any more; the sheet still naming her as helper, and 杨秀云 (who left)
    # as 胥龙's study buddy, is only a warning each: nobody is linked to a leaver again.
    report = _import(uow_factory, path, now=later, confirm=lambda found: True)
    assert report.lifecycle.children == [] and report.lifecycle.staff == []
    assert report.rejected == [] and {w.column for w in report.warnings} == {"学习伙伴"}
    # The 帮扶教师 cells naming her are no "unknown staff" warning: she left, said once with her rows (issue 9).
    [tang_left] = report.returning
    assert (tang_left.name, tang_left.only_named, tang_left.readmit) == ("唐老师", True, False)
    assert tang_left.rows > 0


def test_pairing_coverage_and_unable_parents_are_never_in_the_chain(uow_factory, sample_roster):
    report = _import(uow_factory, sample_roster)
    assert report.lifecycle.without["study_buddy"] == 43
    with uow_factory() as uow:
        zhu = uow.session.scalar(select(Child).where(Child.name == "朱瑞明"))  # 母亲外出、父亲无监护能力
        father = uow.session.scalar(select(ChildRelation).where(ChildRelation.child_id == zhu.id,
                                                                ChildRelation.kind == RelationKind.FATHER.value))
        assert father.unable_to_guard
        parents = step_recipients(uow, zhu, Audience.PARENTS)
        assert [role for _, role in parents] == [RelationKind.MOTHER.value]


def test_a_grandmother_at_two_schools_is_one_person(uow_factory, sample_roster, tmp_path):
    _import(uow_factory, sample_roster)
    wb = openpyxl.load_workbook(sample_roster)
    wb["学校"]["B1"].value = "示例县清溪镇第二小学"
    ws = wb["留守儿童花名册"]
    ws.delete_rows(3, ws.max_row)  # one child left: 杨秀云's row, made a new pupil of the second school
    col = {c.value: c.column for c in ws[1]}
    ws.cell(2, col["姓名"]).value = "杨小云"
    ws.cell(2, col["学籍号"]).value = "G9990000001"
    ws.cell(2, col["学习伙伴"]).value = None
    path = tmp_path / "second.xlsx"
    wb.save(path)
    joined = NOW + timedelta(days=40)  # the injected clock's time, not the machine's
    _import(uow_factory, path, now=joined)
    _import(uow_factory, path, now=joined + timedelta(days=1))  # again: still one person, one membership
    with uow_factory() as uow:
        s = uow.session
        [zhang] = s.scalars(select(Person).where(Person.name == "张强",
            Person.phone_index == crypto.phone_index("+8613800136956"))).all()
        kids = s.scalars(select(Child.name).join(ChildRelation, ChildRelation.child_id == Child.id)
                         .where(ChildRelation.person_id == zhang.id,
                                ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value)).all()
        assert sorted(kids) == ["杨小云", "杨秀云"]
        second = s.scalar(select(School.id).where(School.name == "示例县清溪镇第二小学"))
        [member] = s.scalars(select(PersonSchool).where(PersonSchool.person_id == zhang.id)).all()
        assert (member.school_id, member.since) == (second, joined)


def test_a_leaving_helper_hands_her_tasks_to_the_successor_the_roster_names(uow_factory, sample_roster, tmp_path):
    _import(uow_factory, sample_roster)
    with uow_factory() as uow:
        s = uow.session
        tang = s.scalar(select(Person).where(Person.name == "唐老师"))
        liu = s.scalar(select(Child).where(Child.name == "刘帅"))
        task = tasks.create(uow, key="t:tang-liu", kind=TaskKind.TALK_FOLLOW_UP, assignee_id=tang.id,
                            child_id=liu.id, now=NOW)
        uow.commit()
        tang_id, liu_id, task_id = tang.id, liu.id, task.id
    # The new sheets: 唐老师 has left the staff sheet, and the 花名册 names 卢老师 as 刘帅's helper teacher.
    wb = openpyxl.load_workbook(_without(sample_roster, tmp_path, staff="唐老师"))
    ws = wb["留守儿童花名册"]
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["姓名"]).value == "刘帅")
    ws.cell(row, col["帮扶教师"]).value = "卢老师"
    path = tmp_path / "successor.xlsx"
    wb.save(path)

    report = _import(uow_factory, path, now=NOW + timedelta(days=1), confirm=lambda found: True)
    assert report.lifecycle.applied
    with uow_factory() as uow:
        s = uow.session
        lu = s.scalar(select(Person.id).where(Person.name == "卢老师"))
        task = s.get(Task, task_id)
        assert (task.assignee_id, task.handed_from_id, task.done_at) == (lu, tang_id, None)
        teacher = s.get(Child, liu_id).school_class.class_teacher_id
        assert lu != teacher  # not the class teacher: the successor the 花名册 names
    assert ("唐老师", "卢老师", 0, 1) in report.lifecycle.handed  # her pairing went with the file: one task
