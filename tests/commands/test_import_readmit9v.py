"""Re-importing an old roster does not quietly undo removals (fix9v, issue 9 item 4).

A new-user trial: the school removes helper teacher 唐老师 and the child 胥龙 (``--apply-removals --yes``),
then imports the old roster again. The summary gave only counts, and 胥龙 was back on 王老师's card and in
the check-ins, 唐老师 back as helper teacher with her pairings. Now the summary names both, their rows are
skipped (the rest of the file imports), and only ``--readmit`` brings them back, recorded.
"""

from __future__ import annotations

import io
import sys

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.store.db import make_engine
from bot.store.models import Child, ChildRelation, Person, PersonRole, RecordChange, SchoolClass


def _without_tang_and_xu(sample_roster, tmp_path) -> str:
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    [row] = [r for r in range(1, staff.max_row + 1) if staff.cell(r, 1).value == "唐老师"]
    staff.delete_rows(row)
    children = book["留守儿童花名册"]
    for cells in children.iter_rows():
        for cell in cells:
            if cell.value == "唐老师":
                cell.value = None
    [row] = [r for r in range(1, children.max_row + 1) if children.cell(r, 2).value == "胥龙"]
    children.delete_rows(row)
    path = tmp_path / "roster2.xlsx"
    book.save(path)
    return str(path)


def _import(monkeypatch, *args: str) -> str:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["import", *args]) == 0
    return out.getvalue()


def _state(url: str) -> tuple[Child, Person, list[str], int, list[tuple[str, str | None, str | None]]]:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as s:
            child = s.scalars(select(Child).where(Child.name == "胥龙")).one()
            tang = s.scalars(select(Person).where(Person.name == "唐老师")).one()
            roles = list(s.scalars(select(PersonRole.role).where(PersonRole.person_id == tang.id)))
            pairings = len(s.scalars(select(ChildRelation.id).where(ChildRelation.person_id == tang.id)).all())
            changes = [(c.subject, c.old_value, c.new_value) for c in s.scalars(
                select(RecordChange).where(RecordChange.field == "left").order_by(RecordChange.id))]
            return child, tang, roles, pairings, changes
    finally:
        engine.dispose()


def test_an_old_roster_names_who_left_and_readmits_them_only_when_asked(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _import(monkeypatch, str(sample_roster))
    removed = _import(monkeypatch, _without_tang_and_xu(sample_roster, tmp_path), "--apply-removals", "--yes")
    assert "文件中没有：儿童胥龙" in removed and "文件中没有：教职工唐老师" in removed, removed
    child, tang, roles, pairings, _changes = _state(url)
    assert not child.active and child.left_at is not None and tang.left_at is not None
    assert roles == [] and pairings == 0

    said = _import(monkeypatch, str(sample_roster))  # the old roster again, without --readmit
    left_on = said.split("胥龙（一年级（1）班）已于", 1)[1][:10]
    assert ("胥龙（一年级（1）班）已于" + left_on + "离开，本文件中又有此人：未导入。如确已返校，请加 --readmit "
            "重新导入。") in said, said
    assert ("唐老师（帮扶教师）已于" + left_on + "离开，本文件中又有此人：未导入，文件中填写此人的15行已导入，"
            "但不含此人。如确已回来，请加 --readmit 重新导入。") in said, said
    assert "结对情况：15名儿童没有帮扶教师。" in said  # the rest of the file came in, without her pairings
    child, tang, roles, pairings, changes = _state(url)
    assert not child.active and child.left_at is not None  # still left, history kept
    assert tang.left_at is not None and roles == [] and pairings == 0
    assert [c[:2] for c in changes] == [("child", None)]  # only the leaving is recorded

    back = _import(monkeypatch, str(sample_roster), "--readmit")
    assert f"已重新接收：胥龙（一年级（1）班），曾于{left_on}离开；已记录。" in back, back
    assert (f"已重新接收：唐老师（帮扶教师），曾于{left_on}离开；已记录。其聊天权限在离开时已结束：请给其新的邀请"
            "（guanai invite）。") in back, back
    assert "结对情况：0名儿童没有帮扶教师。" in back
    child, tang, roles, pairings, changes = _state(url)
    assert child.active and child.left_at is None
    assert tang.left_at is None and roles == ["helper_teacher"] and pairings == 15
    assert sorted((c[0], c[2]) for c in changes[1:]) == [("child", None), ("person", None)]  # in the audit
    assert (("child", changes[0][2], None)) in changes[1:]  # with when the child had left

    again = _import(monkeypatch, str(sample_roster))
    assert "已于" not in again and "已重新接收" not in again


def test_in_english(monkeypatch, tmp_path, sample_roster):
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    _import(monkeypatch, str(sample_roster))
    _import(monkeypatch, _without_tang_and_xu(sample_roster, tmp_path), "--apply-removals", "--yes")
    said = _import(monkeypatch, str(sample_roster))
    assert " and is in this file again: not imported. If they are back at school, run again with --readmit." in said
    assert ("唐老师 (helper teacher) left on ") in said
    assert ("and is in this file again: not imported, and the 15 rows naming them came in without them. If they are "
            "back, run again with --readmit.") in said, said


def test_a_class_teacher_who_left_does_not_get_her_class_back(monkeypatch, tmp_path, sample_roster):
    """The old class sheet still names 王老师 as 班主任: the class comes in without her, 王校长 keeps holding it."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _import(monkeypatch, str(sample_roster))
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    [row] = [r for r in range(1, staff.max_row + 1) if staff.cell(r, 1).value == "王老师"]
    staff.delete_rows(row)
    book.save(tmp_path / "roster2.xlsx")
    removed = _import(monkeypatch, str(tmp_path / "roster2.xlsx"), "--apply-removals", "--yes")
    assert "由王校长负责该班" in removed, removed
    said = _import(monkeypatch, str(sample_roster))
    assert "离开，本文件中又有此人：未导入，文件中填写此人的1行已导入，但不含此人。" in said, said
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            teacher = s.scalar(select(Person.name).join(SchoolClass, SchoolClass.class_teacher_id == Person.id)
                               .where(SchoolClass.name == "一年级（1）班"))
            assert teacher == "王校长"
    finally:
        engine.dispose()


def test_a_skipped_row_writes_nothing_not_even_its_consent(monkeypatch, tmp_path, sample_roster):
    """The old roster now has a 监护人同意 column: 胥龙's 是 is not recorded while his row is skipped."""
    from bot.store.models import Consent

    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _import(monkeypatch, str(sample_roster))
    _import(monkeypatch, _without_tang_and_xu(sample_roster, tmp_path), "--apply-removals", "--yes")
    book = openpyxl.load_workbook(sample_roster)
    children = book["留守儿童花名册"]
    column = children.max_column + 1
    children.cell(1, column, "监护人同意")
    for r in range(2, children.max_row + 1):
        if children.cell(r, 2).value in ("胥龙", "杨秀云"):
            children.cell(r, column, "是")
    book.save(tmp_path / "old-with-consent.xlsx")
    said = _import(monkeypatch, str(tmp_path / "old-with-consent.xlsx"))
    assert "胥龙（一年级（1）班）已于" in said
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            agreed = set(s.scalars(select(Child.name).join(Consent, Consent.child_id == Child.id)))
            assert agreed == {"杨秀云"}
    finally:
        engine.dispose()
