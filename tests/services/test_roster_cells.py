"""Cells the importer refuses to store: spreadsheet formulas and overlong text."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from bot.domain.roster_messages import FORMULA
from bot.store.models import Child, Person, School
from bot.store.uow import UnitOfWorkFactory
from tests.services.test_roster import CHILD_HEADER, counts, messy_workbook, run_import

GOOD = ["新同学", "女", "2015-01-01", "G020", "三年级", "三年级（1）班", "否", "新父亲", "13800131234",
        None, None, "新监护人", "祖母", "13900131234", None, None, None, None, None]


def with_cell(column: str, value: Any) -> list[Any]:
    cells = [9, *GOOD]
    cells[CHILD_HEADER.index(column)] = value
    return cells


FORMULAS = [
    ("姓名", '=HYPERLINK("http://x","点我")'),
    ("姓名", "  =1+1"),
    ("委托监护人姓名", "@SUM(A1:A3)"),
    ("父亲联系电话", '=HYPERLINK("tel:13800131234")'),
    ("备注", "-cmd|' /C calc'!A0"),
    ("备注", "+HYPERLINK(\"http://x\")"),
    ("备注", '-1+HYPERLINK("http://x","点我")'),  # arithmetic first (issue 10)
    ("母亲姓名", "＝HYPERLINK(1)"),  # full-width =
    ("姓名", "@张三"),
]


@pytest.mark.parametrize(("column", "value"), FORMULAS)
def test_a_formula_in_a_text_or_phone_cell_is_rejected(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, column: str, value: str
) -> None:
    path = messy_workbook(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["花名册"].append(with_cell(column, value))
    cell = wb["花名册"].cell(wb["花名册"].max_row, CHILD_HEADER.index(column) + 1)
    cell.data_type = "s"  # text that looks like a formula (what a CSV or a text-formatted cell holds)
    wb.save(path)

    report = run_import(uow_factory, path)

    assert [(e.row, e.column, e.reason) for e in report.rejected] == [
        (8, column, FORMULA)
    ]
    assert not report.written and all(n == 0 for n in counts(uow_factory).values())


def test_with_skip_invalid_the_formula_row_is_left_out_and_ordinary_signs_pass(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    run_import(uow_factory, messy_workbook(tmp_path / "m.xlsx"))
    children = tmp_path / "children.csv"  # alone: classes and staff are found in the database
    ok = with_cell("备注", "- 与兄弟姐妹同校")
    ok[CHILD_HEADER.index("学籍号")] = "G021"
    ok[CHILD_HEADER.index("父亲联系电话")] = "+86 138 0013 1234"
    with children.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([CHILD_HEADER, with_cell("姓名", '=HYPERLINK("http://x","点我")'), ok])

    report = run_import(uow_factory, children, skip_invalid=True)

    assert [(e.row, e.column, e.params) for e in report.rejected] == [
        (2, "姓名", {"value": '=HYPERLINK("http://x…'})
    ]
    with uow_factory() as uow:
        s = uow.session
        notes = dict(s.execute(select(Child.student_no, Child.note)).all())
        assert "G020" not in notes and notes["G021"] == "-与兄弟姐妹同校"
        assert not [n for n in s.scalars(select(Child.name)) if n.startswith("=")]
        assert "+8613800131234" in set(s.scalars(select(Person.phone)))


def test_a_remark_longer_than_500_characters_is_rejected(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "long.xlsx", [with_cell("备注", "很" * 100_000)])

    report = run_import(uow_factory, path)

    assert [(e.row, e.column, e.reason, e.params) for e in report.rejected] == [
        (8, "备注", "{value} is longer than {limit} characters", {"value": "很" * 20 + "…", "limit": 500})
    ]
    assert not report.written


def test_a_remark_of_500_characters_is_kept(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "long.xlsx", [with_cell("备注", "很" * 500)])

    report = run_import(uow_factory, path)

    assert report.rejected == [] and report.written
    with uow_factory() as uow:
        assert uow.session.scalar(select(Child.note).where(Child.student_no == "G020")) == "很" * 500


def test_an_overlong_phone_cell_is_rejected_without_echoing_it(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "p.xlsx", [with_cell("委托监护人电话", "1" * 100_000)])

    report = run_import(uow_factory, path)

    assert [(e.column, e.params) for e in report.rejected] == [
        ("委托监护人电话", {"value": "1" * 20 + "…", "limit": 100})
    ]


def test_a_formula_as_school_name_rejects_the_school_sheet(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["学校"]["B1"].value = '=HYPERLINK("http://x","学校")'
    wb["学校"]["B1"].data_type = "s"
    wb.save(path)

    report = run_import(uow_factory, path)

    assert [(e.sheet, e.row, e.column, e.reason.split(":")[0]) for e in report.rejected] == [
        ("学校", 1, "学校名称", "{value} starts like a spreadsheet formula")
    ]
    with uow_factory() as uow:
        assert uow.session.scalars(select(School)).all() == []
