"""What the import report says about family members and staff (issue 9, fix9p), as the school admin reads it.

* A merged duplicate (the guardian record the staff member 袁老师 replaced) is removed, and now counted
  under "People: … removed" — before, the count said 0 while a note said the record was removed.
* The sample's 张强 (杨秀云's grandfather) shares a name, not a phone, with the caring-parent volunteer 张强.
  Every re-import printed the full "Note:" again. Now it is said in full at the first import and whenever
  the pair changes (the volunteer's phone in the staff sheet); an unchanged re-import says it once, briefly.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bot.commands.importing import print_report
from bot.store.uow import UnitOfWorkFactory
from tests.services.test_roster import run_import
from tests.services.test_roster_staff_guardian import people_called, with_yuan

NOTE = ("Note: 留守儿童花名册, row 2, column 委托监护人姓名: 张强 has the name of staff member 张强 but another phone "
        "number; two people are kept apart.")
STANDING = "Still kept apart as two people, as noted at an earlier import: 张强 (a family member"


def _said(report, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    print_report(report, path, "en")
    return capsys.readouterr().out


def test_the_merged_guardian_record_is_counted_as_removed(uow_factory: UnitOfWorkFactory, sample_roster: Path,
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_import(uow_factory, with_yuan(sample_roster, tmp_path, staff_phone="13900130000", name="old.xlsx"))
    assert len(people_called(uow_factory, "袁老师")) == 2
    path = with_yuan(sample_roster, tmp_path)
    report = run_import(uow_factory, path)
    assert len(people_called(uow_factory, "袁老师")) == 1
    out = _said(report, path, capsys)
    assert report.people.removed == 1
    assert "People: 0 created, 1 updated, 385 unchanged, 1 removed" in out
    assert "the earlier record #" in out and "was removed" in out


def _volunteer_phone(sample: Path, tmp_path: Path, phone: str) -> Path:
    wb = openpyxl.load_workbook(sample)
    (row,) = [r for r in wb["教职工"].iter_rows(min_row=2) if r[0].value == "张强"]
    row[3].value = phone
    path = tmp_path / "new-phone.xlsx"
    wb.save(path)
    return path


def test_the_namesake_note_is_said_in_full_when_new_or_changed_and_briefly_otherwise(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _said(run_import(uow_factory, sample_roster), sample_roster, capsys)
    assert NOTE in first and STANDING not in first
    again = _said(run_import(uow_factory, sample_roster), sample_roster, capsys)
    assert "Note:" not in again and again.count(STANDING) == 1
    changed = _volunteer_phone(sample_roster, tmp_path, "15000139999")
    after_change = _said(run_import(uow_factory, changed), changed, capsys)
    assert NOTE in after_change and STANDING not in after_change
