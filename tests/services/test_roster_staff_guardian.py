"""A guardian who is on the school's staff is one person with one chat binding (issue 9, item 4).

袁老师 (班主任 of 一年级（2）班, 13900135018) is made 杨婷's 委托监护人 in the sample roster.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from bot.commands.importing import print_report
from bot.domain.enums import RelationKind
from bot.store.models import Checkin, ChildRelation, Person, PersonRole
from bot.store.uow import UnitOfWorkFactory
from tests.services.test_roster import counts, run_import
from tests.services.test_roster_family import account_owner, bind, family, student_no

SHEET, STAFF = "留守儿童花名册", "教职工"
YANG_TING = 4  # row of 杨婷 (一年级（1）班): guardian 杨兵 15000137652
YUAN_PHONE = "13900135018"  # 袁老师's on the staff sheet


def with_yuan(sample: Path, tmp_path: Path, *, guardian: tuple[str, str] = ("袁老师", YUAN_PHONE),
              staff_phone: str = YUAN_PHONE, name: str = "roster.xlsx") -> Path:
    """The sample roster with 杨婷's guardian ``guardian`` (name, phone) and 袁老师's staff phone ``staff_phone``."""
    wb = openpyxl.load_workbook(sample)
    ws, staff = wb[SHEET], wb[STAFF]
    col = {c.value: c.column for c in ws[1]}
    assert ws.cell(YANG_TING, col["姓名"]).value == "杨婷"
    ws.cell(YANG_TING, col["委托监护人姓名"]).value, ws.cell(YANG_TING, col["委托监护人电话"]).value = guardian
    ws.cell(YANG_TING, col["与儿童关系"]).value = "姑姑"
    (yuan,) = [r for r in staff.iter_rows(min_row=2) if r[0].value == "袁老师"]
    assert yuan[3].value == YUAN_PHONE
    yuan[3].value = staff_phone
    path = tmp_path / name
    wb.save(path)
    return path


def people_called(uow_factory: UnitOfWorkFactory, name: str) -> list[tuple[int, set[str]]]:
    with uow_factory() as uow:
        s = uow.session
        ids = s.scalars(select(Person.id).where(Person.name == name).order_by(Person.id)).all()
        return [(i, set(s.scalars(select(PersonRole.role).where(PersonRole.person_id == i)))) for i in ids]


def test_the_teacher_who_is_a_guardian_is_one_person_and_a_reimport_changes_nothing(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_yuan(sample_roster, tmp_path)
    report = run_import(uow_factory, path)

    assert [roles for _id, roles in people_called(uow_factory, "袁老师")] == [{"class_teacher", "guardian"}]
    (yuan_id, _roles), = people_called(uow_factory, "袁老师")
    guardian = family(uow_factory, student_no(sample_roster, YANG_TING), RelationKind.ENTRUSTED_GUARDIAN)
    assert (guardian.id, guardian.phone) == (yuan_id, "+86" + YUAN_PHONE)
    print_report(report, path, "en")
    assert "袁老师" not in capsys.readouterr().out  # nothing to check: same name, same phone
    before = counts(uow_factory)

    again = run_import(uow_factory, path)

    assert (again.people.created, again.people.updated, again.relations.created, again.relations.removed) == (
        0, 0, 0, 0)
    assert counts(uow_factory) == before
    assert again.identity_notes == []  # the sample's own namesake on the staff, noted at the first import:
    assert [n.params["value"] for n in again.kept_apart] == ["张强"]  # one standing line now (fix9p)


@pytest.mark.parametrize(("guardian", "said"), [
    (("袁老师", "13900139999"), "袁老师 has the name of staff member 袁老师 but another phone number; two people are "
                                "kept apart. If they are the same person, write the same phone number in both sheets."),
    (("袁芳", YUAN_PHONE), "袁芳 has the phone number of staff member 袁老师 but another name; two people are kept "
                           "apart. If they are the same person, write the same name in both sheets."),
])
def test_only_the_name_or_only_the_phone_is_two_people_and_the_report_says_so(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    guardian: tuple[str, str], said: str
) -> None:
    path = with_yuan(sample_roster, tmp_path, guardian=guardian)
    report = run_import(uow_factory, path)

    guardian_person = family(uow_factory, student_no(sample_roster, YANG_TING), RelationKind.ENTRUSTED_GUARDIAN)
    (teacher_id, roles), = [p for p in people_called(uow_factory, "袁老师") if "class_teacher" in p[1]]
    assert guardian_person.id != teacher_id and roles == {"class_teacher"}
    print_report(report, path, "en")
    assert f"Note: 留守儿童花名册, row {YANG_TING}, column 委托监护人姓名: {said}" in capsys.readouterr().out


def test_two_earlier_records_become_one_when_the_sheet_is_fixed(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A database from before: the teacher and the guardian are two people (the staff sheet had another number).
    run_import(uow_factory, with_yuan(sample_roster, tmp_path, staff_phone="13900130000", name="old.xlsx"))
    (teacher_id, _r), (guardian_id, _g) = people_called(uow_factory, "袁老师")
    bind(uow_factory, teacher_id)
    with uow_factory() as uow:  # a Friday question planned for the record without a chat: it reached nobody
        child = uow.session.scalar(select(ChildRelation.child_id).where(ChildRelation.person_id == guardian_id))
        uow.session.add(Checkin(child_id=child, guardian_id=guardian_id, period="2026-W48",
                                sent_at=datetime(2026, 11, 27, 10, tzinfo=UTC),
                                reminder_due_at=datetime(2026, 11, 29, 10, tzinfo=UTC)))
        uow.commit()

    path = with_yuan(sample_roster, tmp_path)
    report = run_import(uow_factory, path)

    assert people_called(uow_factory, "袁老师") == [(teacher_id, {"class_teacher", "guardian"})]
    assert family(uow_factory, student_no(sample_roster, YANG_TING), RelationKind.ENTRUSTED_GUARDIAN).id == teacher_id
    assert account_owner(uow_factory, teacher_id) == teacher_id
    assert report.detached == []
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Checkin)) == 0
    print_report(report, path, "zh_Hans")
    assert (f"提示：留守儿童花名册，第{YANG_TING}行，委托监护人姓名列：袁老师现已与教职工袁老师合并为同一个人；"
            f"原来的记录 #{guardian_id} 已删除。") in capsys.readouterr().out
    before = counts(uow_factory)
    again = run_import(uow_factory, path)
    assert (again.people.created, again.relations.created, again.relations.removed) == (0, 0, 0)
    assert [n.params["value"] for n in again.kept_apart] == ["张强"] and again.identity_notes == []
    assert counts(uow_factory) == before


def test_an_earlier_guardian_record_with_a_chat_is_kept_and_reported(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(uow_factory, with_yuan(sample_roster, tmp_path, staff_phone="13900130000", name="old.xlsx"))
    (teacher_id, _r), (guardian_id, _g) = people_called(uow_factory, "袁老师")
    bind(uow_factory, guardian_id)

    path = with_yuan(sample_roster, tmp_path)
    report = run_import(uow_factory, path)

    assert family(uow_factory, student_no(sample_roster, YANG_TING), RelationKind.ENTRUSTED_GUARDIAN).id == teacher_id
    assert account_owner(uow_factory, guardian_id) == guardian_id  # her chat is not taken from her silently
    print_report(report, path, "en")
    out = capsys.readouterr().out
    assert (f"袁老师 is now the same person as staff member 袁老师, but the earlier record #{guardian_id} has a chat "
            "account or history and was kept; check it before removing it.") in out
    assert f"Warning: person #{guardian_id} (entrusted guardian, phone 139****5018) has a chat account" in out
