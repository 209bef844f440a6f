"""Issue 9 (trial): without a 学校电话 row, alerts gave 刘主任's mobile labelled 学校电话.

The number stays (issue 6, item 5: a number at the school besides the reporter's) but is labelled as what it is,
the school contact 刘主任's; ``guanai import`` warns that the school phone is missing.
"""

from __future__ import annotations

import io
import sys

import openpyxl

from bot.cli import main
from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def _import(monkeypatch, tmp_path, path, locale="zh_Hans") -> str:
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'school.db'}")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", locale)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["import", str(path)]) == 0
    return out.getvalue()


def test_the_import_warns_that_the_school_phone_is_missing(monkeypatch, tmp_path, sample_roster):
    out = _import(monkeypatch, tmp_path, sample_roster)
    assert ("警告：示例县清溪镇中心小学没有登记学校电话：紧急通知和紧急求助的回复将改为提供刘主任的手机号"
            "（标为学校联系人）。请在“学校”表中添加“学校电话”一行。") in out


def test_the_import_warns_in_english(monkeypatch, tmp_path, sample_roster):
    out = _import(monkeypatch, tmp_path, sample_roster, "en")
    assert ("Warning: no school phone (学校电话) is on record for 示例县清溪镇中心小学: alerts and emergency "
            "answers give 刘主任's mobile instead, as the school contact. Add a 学校电话 row to the 学校 sheet.") in out


def test_no_warning_once_the_school_sheet_has_its_phone(monkeypatch, tmp_path, sample_roster):
    book = openpyxl.load_workbook(sample_roster)
    book["学校"].append(["学校电话", "0851-85221234"])
    path = tmp_path / "with-phone.xlsx"
    book.save(path)
    out = _import(monkeypatch, tmp_path, path)
    assert "没有登记学校电话" not in out
    demo = run_demo(monkeypatch, tmp_path, path, ":as #43\n救命\n/quit\n", AT, "--database",
                    f"sqlite:///{tmp_path / 'school.db'}")
    answer = after(demo, "救命")
    assert "学校电话：0851 8522 1234" in answer and "学校联系人" not in answer


def test_a_grandfathers_emergency_answer_names_the_school_contact_in_english(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as #43\n救命\n/quit\n", AT, "--lang", "en")
    answer = after(out, "救命")
    assert "School contact 刘主任: 150 0013 4841" in answer
    assert "School phone" not in answer
    assert "Warning: no school phone (学校电话) is on record" in out  # the demo's import says so too
