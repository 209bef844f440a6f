"""Issue 9 (trial): what ``guanai import`` tells a school admin about leavers, returners and unknown pairings.

The admin imports the sample roster, then re-imports it without 唐老师 (helper teacher of 杨秀云 and others) and
applies the removals; later files name her again.
"""

from __future__ import annotations

import io
import sys

import openpyxl

from bot.cli import main


def _import(monkeypatch, tmp_path, path, *args, locale="zh_Hans", status=0) -> str:
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'school.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", locale)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["import", str(path), *args]) == status
    return out.getvalue()


def _without_tang(sample_roster, tmp_path):
    book = openpyxl.load_workbook(sample_roster)
    staff = book["教职工"]
    [row] = [r for r in range(2, staff.max_row + 1) if staff.cell(r, 1).value == "唐老师"]
    staff.delete_rows(row)
    path = tmp_path / "without-tang.xlsx"
    book.save(path)
    return path


def test_the_removal_summary_says_hand_over_tasks_were_made(monkeypatch, tmp_path, sample_roster):
    _import(monkeypatch, tmp_path, sample_roster)
    out = _import(monkeypatch, tmp_path, _without_tang(sample_roster, tmp_path), "--apply-removals", "--yes")
    assert "已处理：0名儿童已离校" in out
    assert "唐老师原有1名结对儿童：这些结对已结束，已为王老师建立交接任务，请为这些儿童重新结对。" in out
    assert "结对和任务已交接" not in out


def test_the_removal_summary_in_english(monkeypatch, tmp_path, sample_roster):
    _import(monkeypatch, tmp_path, sample_roster, locale="en")
    out = _import(monkeypatch, tmp_path, _without_tang(sample_roster, tmp_path), "--apply-removals", "--yes",
                  locale="en")
    assert ("唐老师 was paired with 1 child: that pairing ended, and 王老师 has a hand-over task to pair the child "
            "anew.") in out


def _only_the_roll(sample_roster, tmp_path):
    book = openpyxl.load_workbook(sample_roster)
    for name in ("教职工", "班级", "学校"):
        del book[name]
    path = tmp_path / "only-roll.xlsx"
    book.save(path)
    return path


def test_unmatched_pairings_are_summed_up_per_name(monkeypatch, tmp_path, sample_roster):
    out = _import(monkeypatch, tmp_path, _only_the_roll(sample_roster, tmp_path), "--school", "清溪小学")
    lines = [x for x in out.splitlines() if "已导入，但不含这项结对" in x]
    assert len(lines) == 20  # one per helper teacher or caring parent named, not one per cell (244 before)
    assert ("警告：留守儿童花名册，帮扶教师列：教职工表和数据库中都没有名为 唐老师 的帮扶教师——共15行"
            "（第2、13、17、18、27、47、57、63、70、71…行）已导入，但不含这项结对。") in lines
    assert "使用 guanai import --verbose 可列出每一行。" in out


def test_verbose_lists_every_cell(monkeypatch, tmp_path, sample_roster):
    out = _import(monkeypatch, tmp_path, _only_the_roll(sample_roster, tmp_path), "--school", "清溪小学", "--verbose")
    lines = [x for x in out.splitlines() if "已导入，但不含这项结对" in x]
    assert len(lines) == 244
    assert ("警告：留守儿童花名册，第2行，帮扶教师列：教职工表和数据库中都没有名为 唐老师 的帮扶教师"
            "——已导入，但不含这项结对。") in lines


def test_the_summary_is_in_english_too(monkeypatch, tmp_path, sample_roster):
    out = _import(monkeypatch, tmp_path, _only_the_roll(sample_roster, tmp_path), "--school", "清溪小学",
                  locale="en")
    assert ("Warning: 留守儿童花名册, column 帮扶教师: no helper teacher called 唐老师 in the staff sheet or the "
            "database — 15 rows (2, 13, 17, 18, 27, 47, 57, 63, 70, 71…) imported without this pairing.") in out
    assert "guanai import --verbose lists every row." in out
