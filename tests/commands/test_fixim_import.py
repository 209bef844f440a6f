"""What ``guanai import`` tells a school admin about a file it refuses (breakB: rejected rows, big files, formulas).

The admin has imported the sample roster; then a colleague's edited copy comes back with mistakes in it.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from tests.support.cli import database_for_the_cli

NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def _school(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_roster: Path) -> None:
    database_for_the_cli(tmp_path / "school.db", monkeypatch, NOW, lambda _uow: None)
    _import(monkeypatch, sample_roster)


def _import(monkeypatch: pytest.MonkeyPatch, path: Path, *, locale: str = "zh_Hans", status: int = 0) -> str:
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", locale)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["import", str(path)]) == status, out.getvalue()
    return out.getvalue()


def _edited(sample_roster: Path, path: Path, cells: dict[tuple[int, int], object]) -> Path:
    book = openpyxl.load_workbook(sample_roster)
    sheet = book.worksheets[0]
    for (row, column), value in cells.items():
        sheet.cell(row, column).value = value
    book.save(path)
    return path


def _bad(sample_roster: Path, tmp_path: Path) -> Path:
    first = openpyxl.load_workbook(sample_roster).worksheets[0]
    return _edited(sample_roster, tmp_path / "bad.xlsx", {
        (2, 2): None,  # blank name
        (3, 6): first.cell(4, 6).value,  # the next row's 学籍号
        (5, 22): "12345",  # guardian's phone
        (6, 5): "二〇一九年三月",  # date of birth as words
    })


@pytest.mark.parametrize(("locale", "nothing", "conditional", "imported"), [
    ("zh_Hans", "未从 bad.xlsx 导入任何内容。",
     "警告：留守儿童花名册，学习伙伴列：杨婷 所在的行被拒绝——导入时，共1行（第3行）将不含这项结对。", "已导入"),
    ("en", "Nothing was imported from bad.xlsx.",
     "Warning: 留守儿童花名册, column 学习伙伴: 杨婷 is in a rejected row — once imported, 1 row (3) would be "
     "without this pairing.", "imported without"),
], ids=["zh", "en"])
def test_a_rejected_file_says_nothing_was_imported_on_every_line(
        monkeypatch, tmp_path, sample_roster, locale, nothing, conditional, imported) -> None:
    _school(monkeypatch, tmp_path, sample_roster)

    out = _import(monkeypatch, _bad(sample_roster, tmp_path), locale=locale, status=1)

    assert nothing in out
    assert conditional in out.splitlines()
    assert imported not in out  # "已导入，但不含这项结对" under "未从 bad.xlsx 导入任何内容" before


def test_the_verbose_warning_is_conditional_too(monkeypatch, tmp_path, sample_roster) -> None:
    _school(monkeypatch, tmp_path, sample_roster)
    monkeypatch.setattr(sys, "stdout", out := io.StringIO())

    assert main(["import", str(_bad(sample_roster, tmp_path)), "--verbose"]) == 1

    assert ("警告：留守儿童花名册，第3行，学习伙伴列：杨婷 所在的行被拒绝——导入时将不含这项结对。"
            in out.getvalue().splitlines())
    assert "已导入" not in out.getvalue()


def _header(sample_roster: Path) -> list[object]:
    return [c.value for c in openpyxl.load_workbook(sample_roster).worksheets[0][1]]


@pytest.mark.parametrize(("locale", "said"), [
    ("zh_Hans", "无法导入 big.csv：big.csv，第2行，AE列：该单元格超过 131072 个字符，花名册的任何单元格都不会这么长；"
                "请确认文件是否选对，或缩短该单元格"),
    ("en", "Cannot import big.csv: big.csv, row 2, column AE: the cell is longer than 131072 characters, more than "
           "any roster cell holds; check that it is the right file, or shorten the cell"),
], ids=["zh", "en"])
def test_a_csv_with_a_huge_cell_names_the_cell_and_the_limit(monkeypatch, tmp_path, sample_roster, locale,
                                                             said) -> None:
    _school(monkeypatch, tmp_path, sample_roster)
    big = tmp_path / "big.csv"
    rows = [list(r) for r in openpyxl.load_workbook(sample_roster).worksheets[0].values][:3]
    rows[1][30] = "x" * 200_000  # 备注, column AE
    with big.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)

    out = _import(monkeypatch, big, locale=locale, status=2)

    assert said in out.splitlines()
    assert "不是可读取的 CSV 文件" not in out and "not a readable CSV" not in out


def test_a_csv_of_more_rows_than_a_school_has_is_refused_before_it_is_parsed(monkeypatch, tmp_path,
                                                                              sample_roster) -> None:
    _school(monkeypatch, tmp_path, sample_roster)
    many = tmp_path / "many.csv"
    with many.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([_header(sample_roster)] + [[i, f"学生{i}"] for i in range(20_000)])

    started = time.perf_counter()
    out = _import(monkeypatch, many, status=2)

    assert ("无法导入 many.csv：many.csv 的工作表 many.csv 超过 20000 行，比一所学校的花名册多得多；"
            "请确认文件是否选对，或拆分，或调高 GUANAI_ROSTER_MAX_ROWS") in out
    assert time.perf_counter() - started < 30  # counted, not parsed: 29,000 rows took 222 s before
    assert "留守儿童：新增" not in out


def test_a_file_larger_than_a_school_roster_is_refused_by_its_size(monkeypatch, tmp_path, sample_roster) -> None:
    _school(monkeypatch, tmp_path, sample_roster)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: its size is what is checked, before a byte is read

    out = _import(monkeypatch, huge, locale="en", status=2)

    assert ("Cannot import huge.csv: huge.csv is larger than 20 MB, more than one school's roster needs; check that "
            "it is the right file, split it, or raise GUANAI_ROSTER_MAX_BYTES") in out


def _formulas(sample_roster: Path, tmp_path: Path) -> Path:
    return _edited(sample_roster, tmp_path / "formula.xlsx", {
        (2, 31): '=HYPERLINK("http://evil.example/x","点击")',  # openpyxl keeps no computed value
        (3, 12): "=1+1",
        (4, 13): "@SUM(1)",
        (5, 20): "-2+3",  # a guardian's name
    })


@pytest.mark.parametrize(("locale", "lines"), [
    ("zh_Hans", [
        "留守儿童花名册，第 2 行，“备注”列：公式单元格没有数值，请另存为数值（复制后“选择性粘贴—数值”）再导入",
        "留守儿童花名册，第 3 行，“现居住地”列：公式单元格没有数值，请另存为数值（复制后“选择性粘贴—数值”）再导入",
        "留守儿童花名册，第 4 行，“父亲姓名”列：@SUM(1) 的开头像电子表格公式：单元格不能以 =、+、- 或 @ 开头"
        "（只有电话号码可以写成 +86…，备注可以用“- ”开头）；请去掉开头的符号",
        "留守儿童花名册，第 5 行，“委托监护人姓名”列：-2+3 的开头像电子表格公式：单元格不能以 =、+、- 或 @ 开头"
        "（只有电话号码可以写成 +86…，备注可以用“- ”开头）；请去掉开头的符号",
    ]),
    ("en", [
        "留守儿童花名册, row 2, column 备注: the cell holds a formula but the file keeps no value for it; save the "
        "sheet as values (copy it, paste as values) and import again",
        "留守儿童花名册, row 5, column 委托监护人姓名: -2+3 starts like a spreadsheet formula: no cell may start "
        "with =, +, - or @ (only a phone number may be written +86…, and a remark may start with \"- \"); write it "
        "without the leading sign",
    ]),
], ids=["zh", "en"])
def test_formulas_are_refused_by_one_rule_and_uncomputed_ones_are_named(monkeypatch, tmp_path, sample_roster,
                                                                        locale, lines) -> None:
    _school(monkeypatch, tmp_path, sample_roster)

    out = _import(monkeypatch, _formulas(sample_roster, tmp_path), locale=locale, status=1)

    for line in lines:
        assert line in out.splitlines()
    assert ("被拒绝的行：4" if locale == "zh_Hans" else "Rejected rows: 4") in out


def test_a_name_with_a_list_dash_is_refused_and_a_phone_with_plus_86_passes(monkeypatch, tmp_path,
                                                                            sample_roster) -> None:
    _school(monkeypatch, tmp_path, sample_roster)
    path = _edited(sample_roster, tmp_path / "signs.xlsx", {(5, 20): "- 张三", (6, 22): "+86 139 0013 1234"})

    out = _import(monkeypatch, path, status=1)

    assert [x for x in out.splitlines() if "开头像电子表格公式" in x] == [
        "留守儿童花名册，第 5 行，“委托监护人姓名”列：- 张三 的开头像电子表格公式：单元格不能以 =、+、- 或 @ 开头"
        "（只有电话号码可以写成 +86…，备注可以用“- ”开头）；请去掉开头的符号"]
    assert "被拒绝的行：1" in out
