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
    assert "唐老师原有1名结对儿童：这些结对已结束，已为王老师逐一建立交接任务，请为这些儿童重新结对。" in out
    assert "结对和任务已交接" not in out


def test_the_removal_summary_in_english(monkeypatch, tmp_path, sample_roster):
    _import(monkeypatch, tmp_path, sample_roster, locale="en")
    out = _import(monkeypatch, tmp_path, _without_tang(sample_roster, tmp_path), "--apply-removals", "--yes",
                  locale="en")
    assert ("唐老师 was paired with 1 child: that pairing ended, and 王老师 has a hand-over task to pair the child "
            "anew.") in out
