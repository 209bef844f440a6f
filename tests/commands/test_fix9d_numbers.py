"""fix9d: a huge number in a roster or term file is a bad cell (sheet, row, column), never an OverflowError."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from tests.services.test_assessment import NOW, _term_file
from tests.support.cli import county_for_the_cli


def _roster_with(sample_roster: Path, path: Path, column: str, value: object) -> Path:
    """The sample roster with ``value`` in the first child's ``column`` (杨秀云, row 2)."""
    book = openpyxl.load_workbook(sample_roster)
    ws = book["留守儿童花名册"]
    at = [c.value for c in ws[1]].index(column) + 1
    ws.cell(row=2, column=at).value = value
    book.save(path)
    return path


@pytest.mark.parametrize("skip", [[], ["--skip-invalid"]])
def test_a_guardians_age_of_ten_to_the_25_is_a_bad_cell(empty_url, sample_roster, tmp_path, capsys, skip):
    path = _roster_with(sample_roster, tmp_path / "ovf.xlsx", "委托监护人年龄", 10**25)
    assert main(["import", str(path), *skip]) == 1
    out = capsys.readouterr().out
    assert "留守儿童花名册，第 2 行，“委托监护人年龄”列" in out and "被拒绝的行：1" in out


def test_a_birth_date_in_year_one_is_refused_as_a_future_one_is(empty_url, sample_roster, tmp_path, capsys):
    path = _roster_with(sample_roster, tmp_path / "old.xlsx", "出生日期", date(1, 1, 1))
    assert main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "留守儿童花名册，第 2 行，“出生日期”列" in out and "被拒绝的行：1" in out


def test_a_class_rank_of_ten_to_the_25_is_skipped_and_named(tmp_path, monkeypatch, capsys):
    county_for_the_cli(tmp_path / "assess.db", monkeypatch, NOW)
    term = _term_file(tmp_path / "t.xlsx", [("Q10", 10**25, "否", "否"), ("Q11", 2, "否", "否")])
    assert main(["assess", "import", str(term), "--term", "2026-秋", "--school", "清溪小学"]) == 1
    captured = capsys.readouterr()
    assert "Q10" in captured.err and "2026-秋：1名儿童" in captured.out


def test_a_student_number_on_two_rows_of_a_term_file_is_refused(tmp_path, monkeypatch, capsys):
    county_for_the_cli(tmp_path / "assess.db", monkeypatch, NOW)
    term = _term_file(tmp_path / "t.xlsx", [("Q10", 1, "否", "否"), ("Q11", 2, "否", "否"), ("Q10", 9, "否", "否")])
    assert main(["assess", "import", str(term), "--term", "2026-秋", "--school", "清溪小学"]) == 1
    captured = capsys.readouterr()
    assert "第5行（Q10）：该学籍号在前面的行中也出现过；这两行都未导入。" in captured.err
    assert "2026-秋：1名儿童" in captured.out
