"""Re-importing a roster in which a guardian's or parent's phone (or name) changed.

The person bound to the bot must stay the same person when only the phone
changed; when the roster does leave a bound person without any child, the
admin is told.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from bot.commands.importing import print_report
from bot.domain.enums import RelationKind
from bot.store import crypto
from bot.store.models import ChatAccount, Child, ChildRelation, Person
from bot.store.uow import UnitOfWorkFactory
from tests.services.test_roster import counts, run_import

SHEET = "留守儿童花名册"
YANG = 2  # row of 杨秀云: guardian 张强 13800136956, father 杨杨 13800137614
LI_XUE_SIBLINGS = (16, 17)  # 刘婷婷 and 刘帅: guardian 李雪 15000131019, mother 吴欣 without a phone


def edited(sample: Path, tmp_path: Path, changes: dict[tuple[int, str], Any]) -> Path:
    wb = openpyxl.load_workbook(sample)
    ws = wb[SHEET]
    col = {c.value: c.column for c in ws[1]}
    for (row, heading), value in changes.items():
        ws.cell(row, col[heading]).value = value
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    return path


def student_no(sample: Path, row: int) -> str:
    ws = openpyxl.load_workbook(sample)[SHEET]
    col = {c.value: c.column for c in ws[1]}
    return ws.cell(row, col["学籍号"]).value


def family(uow_factory: UnitOfWorkFactory, no: str, kind: RelationKind) -> Person:
    with uow_factory() as uow:
        s = uow.session
        person_id = s.scalar(
            select(ChildRelation.person_id)
            .join(Child, ChildRelation.child_id == Child.id)
            .where(Child.student_no == no, ChildRelation.kind == kind.value)
        )
        person = s.get(Person, person_id)
        s.expunge(person)
        return person


def bind(uow_factory: UnitOfWorkFactory, person_id: int) -> None:
    with uow_factory() as uow:
        uow.session.add(
            ChatAccount(person_id=person_id, channel="telegram", account_id=f"chat-{person_id}",
                        bound_at=datetime(2026, 11, 1, tzinfo=UTC))
        )
        uow.commit()


def account_owner(uow_factory: UnitOfWorkFactory, person_id: int) -> int | None:
    with uow_factory() as uow:
        return uow.session.scalar(select(ChatAccount.person_id).where(ChatAccount.account_id == f"chat-{person_id}"))


def test_a_bound_guardian_whose_phone_changed_stays_the_same_person(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    run_import(uow_factory, sample_roster)
    no = student_no(sample_roster, YANG)
    zhang = family(uow_factory, no, RelationKind.ENTRUSTED_GUARDIAN)
    assert (zhang.name, zhang.phone) == ("张强", "+8613800136956")
    bind(uow_factory, zhang.id)
    before = counts(uow_factory)

    report = run_import(uow_factory, edited(sample_roster, tmp_path, {(YANG, "委托监护人电话"): "13800139999"}))

    assert (report.people.created, report.people.updated) == (0, 1)
    assert (report.relations.created, report.relations.removed) == (0, 0)
    assert report.detached == []
    assert counts(uow_factory) == before
    now = family(uow_factory, no, RelationKind.ENTRUSTED_GUARDIAN)
    assert (now.id, now.name, now.phone) == (zhang.id, "张强", "+8613800139999")
    # Natural keys hold the phone's blind index, never the phone (issue 10: encryption at rest).
    assert now.natural_key == zhang.natural_key.replace(crypto.blind("+8613800136956"), crypto.blind("+8613800139999"))
    assert "13800139999" not in now.natural_key
    assert account_owner(uow_factory, zhang.id) == zhang.id
    # The new number is now the key: the same file again changes nothing.
    again = run_import(uow_factory, tmp_path / "changed.xlsx")
    assert (again.people.created, again.people.updated, again.relations.removed) == (0, 0, 0)


def test_a_fathers_new_phone_updates_him_in_place(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    run_import(uow_factory, sample_roster)
    no = student_no(sample_roster, YANG)
    father = family(uow_factory, no, RelationKind.FATHER)

    report = run_import(uow_factory, edited(sample_roster, tmp_path, {(YANG, "父亲联系电话"): "13800139998"}))

    assert (report.people.created, report.people.updated, report.relations.removed) == (0, 1, 0)
    now = family(uow_factory, no, RelationKind.FATHER)
    assert (now.id, now.phone) == (father.id, "+8613800139998")


def test_siblings_with_their_guardians_new_phone_keep_one_guardian_and_their_phoneless_mother(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    run_import(uow_factory, sample_roster)
    nos = [student_no(sample_roster, r) for r in LI_XUE_SIBLINGS]
    guardian = family(uow_factory, nos[0], RelationKind.ENTRUSTED_GUARDIAN)
    mother = family(uow_factory, nos[0], RelationKind.MOTHER)
    assert (guardian.name, mother.name, mother.phone) == ("李雪", "吴欣", None)
    bind(uow_factory, guardian.id)
    before = counts(uow_factory)

    path = edited(sample_roster, tmp_path, {(r, "委托监护人电话"): "150 0013 9999" for r in LI_XUE_SIBLINGS})
    report = run_import(uow_factory, path)

    # 吴欣 is keyed by her family (the guardian's name and phone): her key changes with it.
    assert (report.people.created, report.people.updated) == (0, 2)
    assert (report.relations.created, report.relations.removed) == (0, 0)
    assert counts(uow_factory) == before
    for no in nos:
        g = family(uow_factory, no, RelationKind.ENTRUSTED_GUARDIAN)
        assert (g.id, g.phone) == (guardian.id, "+8615000139999")
        assert family(uow_factory, no, RelationKind.MOTHER).id == mother.id
    assert account_owner(uow_factory, guardian.id) == guardian.id


def test_another_guardian_name_is_another_person_and_the_bound_one_left_without_a_child_is_reported(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(uow_factory, sample_roster)
    no = student_no(sample_roster, YANG)
    zhang = family(uow_factory, no, RelationKind.ENTRUSTED_GUARDIAN)
    father = family(uow_factory, no, RelationKind.FATHER)
    bind(uow_factory, zhang.id)

    path = edited(sample_roster, tmp_path, {(YANG, "委托监护人姓名"): "王兰", (YANG, "父亲姓名"): "杨大"})
    report = run_import(uow_factory, path)

    assert (report.people.created, report.relations.removed, report.relations.created) == (2, 2, 2)
    assert family(uow_factory, no, RelationKind.ENTRUSTED_GUARDIAN).name == "王兰"
    # Only the bound one is listed (the old father has no chat account).
    assert [(d.person_id, d.roles, d.masked_phone) for d in report.detached] == [
        (zhang.id, ("guardian",), "138****6956")
    ]
    assert father.id != zhang.id

    print_report(report, path, "zh_Hans")
    out = capsys.readouterr().out
    assert f"注意：#{zhang.id}（委托监护人，电话 138****6956）已绑定聊天账号，但已不再关联任何儿童" in out
    assert "13800136956" not in out


def test_a_bound_guardian_who_keeps_another_child_is_not_reported(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    run_import(uow_factory, sample_roster)
    nos = [student_no(sample_roster, r) for r in LI_XUE_SIBLINGS]
    guardian = family(uow_factory, nos[0], RelationKind.ENTRUSTED_GUARDIAN)
    bind(uow_factory, guardian.id)

    report = run_import(uow_factory, edited(sample_roster, tmp_path, {(LI_XUE_SIBLINGS[0], "委托监护人姓名"): "王兰"}))

    assert report.relations.removed >= 1 and report.detached == []
    assert family(uow_factory, nos[1], RelationKind.ENTRUSTED_GUARDIAN).id == guardian.id
