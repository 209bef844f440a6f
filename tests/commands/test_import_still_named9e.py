"""A re-import that removes a volunteer says which 花名册 rows still name her (fix9e).

The school deletes caring parent 沈亮 from its staff sheet and re-imports with ``--apply-removals``. The 花名册
still names her for 20 children: the import matched the name to her record, the removal then ended those
pairings, and the summary said only "1 staff left" — the rows were first mentioned, row by row, at the next
import. Now the summary says at once how many rows still name her, in Chinese and in English.
"""

from __future__ import annotations

import io
import sys

import openpyxl

from bot.cli import main


def _without_volunteer(sample_roster, tmp_path, name: str, rows: int) -> str:
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    [row] = [r for r in range(1, staff.max_row + 1) if staff.cell(r, 1).value == name]
    staff.delete_rows(row)
    named = sum(1 for r in book["留守儿童花名册"].iter_rows(min_row=2, values_only=True) if name in r)
    assert named == rows
    path = tmp_path / "roster-without-volunteer.xlsx"
    book.save(path)
    return str(path)


def _import(monkeypatch, *args: str) -> str:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["import", *args]) == 0
    return out.getvalue()


def test_the_summary_names_the_rows_that_still_name_the_volunteer(monkeypatch, tmp_path, sample_roster):
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'school.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    _import(monkeypatch, str(sample_roster))
    roster = _without_volunteer(sample_roster, tmp_path, "沈亮", 20)
    said = _import(monkeypatch, roster, "--apply-removals", "--yes")
    assert "1名教职工已离开" in said
    assert ("花名册中仍有20行填写了已离开的沈亮（爱心家长）：这些儿童现已没有该结对。"
            "请在下次导入前把这些行改填为其他人，或留空。") in said, said
    assert "结对情况：20名儿童没有爱心家长。" in said


def test_in_english_and_not_when_nothing_was_removed(monkeypatch, tmp_path, sample_roster):
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'school.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    _import(monkeypatch, str(sample_roster))
    roster = _without_volunteer(sample_roster, tmp_path, "唐老师", 15)
    listed = _import(monkeypatch, roster)  # without --apply-removals: she stays, and so do her pairings
    assert "still name" not in listed and "Not in the file: staff 唐老师" in listed
    said = _import(monkeypatch, roster, "--apply-removals", "--yes")
    assert ("15 rows of the 花名册 still name 唐老师 (helper teacher), who has left: those children are now "
            "without this pairing. Name someone else in those rows, or leave them blank, before the next "
            "import.") in said, said


def test_a_class_whose_teacher_left_goes_to_a_school_leader_and_is_said(monkeypatch, tmp_path, sample_roster):
    """刘主任 (admin) comes first in this school's staff sheet; 王老师 leaves while the class sheet still names her.

    The class went to the first admin imported (here 刘主任) and the summary said nothing of it. The issue hands a
    leaver's work to the admins, of whom the school leader answers for a class: 王校长 holds it, and it is said.
    """
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'school.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    assert [staff["A2"].value, staff["A3"].value, staff["A4"].value] == ["王校长", "刘主任", "王老师"]
    principal = [c.value for c in staff[2]]
    staff.delete_rows(2)
    staff.append(principal)  # the admin now imported before the principal
    first = tmp_path / "roster-admin-first.xlsx"
    book.save(first)
    _import(monkeypatch, str(first))
    staff.delete_rows(3)  # 王老师 (now row 3)
    without = tmp_path / "roster-without-teacher.xlsx"
    book.save(without)
    said = _import(monkeypatch, str(without), "--apply-removals", "--yes")
    assert "一年级（1）班现在没有班主任（王老师已离开）：在班级表填写新的班主任之前，由王校长负责该班。" in said, said
