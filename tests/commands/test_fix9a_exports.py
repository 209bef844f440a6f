"""Issue 9, found by new users: ``guanai export --help`` lists every export; the bureau's total row says what it is."""

from __future__ import annotations

import io
import sys

import openpyxl
import pytest

from bot.cli import main


def test_export_help_lists_the_aid_ledger(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "资助 (aid ledger)" in " ".join(out.getvalue().split())


@pytest.mark.parametrize(("lang", "total"), [("zh_Hans", "合计（1所学校）"), ("en", "Total (1 school)")])
def test_the_bureaus_total_row_is_its_schools_total(monkeypatch, tmp_path, sample_roster, lang, total):
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'county.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", lang)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["import", str(sample_roster)]) == 0
    path = tmp_path / "county.xlsx"
    assert main(["export", "统计", "--county", "--out", str(path)]) == 0
    sheet = openpyxl.load_workbook(path).worksheets[0]
    names = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=4)]
    assert names == ["清溪镇", "示例县清溪镇中心小学", total]
