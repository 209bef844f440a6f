"""Issue 9, found by new users: a new class teacher must not wipe out the talks her predecessor held that month.

On 18 November 王老师, class teacher of 一年级（1）班, talks with 杨秀云 (the month's talk). On the 20th the
school re-imports its roster naming 新老师 as the class's teacher. The talk was held by the child's class
teacher at the time: it still counts for 杨秀云 and November in the school's monthly talk completion.
"""

from __future__ import annotations

import io
import re
import sys

import openpyxl

from bot.cli import main
from tests.support.demo import after, run_demo

ONE_TALK = "/talk 杨秀云\n1\n1\n1\n1\n跳过\n1\n1\n"  # 王老师's monthly talk card: all good, no concern, no follow-up


def _new_class_teacher(sample_roster, tmp_path):
    """The sample roster naming 新老师 (a new staff member) as 一年级（1）班's class teacher instead of 王老师."""
    book = openpyxl.load_workbook(sample_roster)
    staff, classes = book["教职工"], book["班级"]
    assert staff["A4"].value == "王老师" and classes["B2"].value == "一年级（1）班"
    staff["C4"] = None  # 王老师 stays at the school, without a class
    staff.append(["新老师", "班主任", "一年级（1）班", "13800139999"])
    classes["C2"] = "新老师"
    path = tmp_path / "roster-new-teacher.xlsx"
    book.save(path)
    return path


def _monthly(report: str) -> str:
    return re.search(r"• 班主任每月谈心：([^\n]*)\n", report).group(1)


def test_the_old_class_teachers_talk_still_counts_after_a_change(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n" + ONE_TALK + ":as 王校长\n/report\n/quit\n",
                   "2026-11-18 16:00", "--database", url)
    assert "已保存：与杨秀云的谈心记录。" in out
    before = _monthly(after(out, "/report"))
    roster = _new_class_teacher(sample_roster, tmp_path)
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)  # the demo uses the database as it is (issue 9): import first
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["import", str(roster)]) == 0
    out = run_demo(monkeypatch, tmp_path, roster,
                   ":as 新老师\n/due\n:as 王校长\n/report\n/quit\n", "2026-11-20 10:00", "--database", url)
    assert "杨秀云" not in after(out, "/due")  # her November talk is held: not owed again by the new teacher
    assert _monthly(after(out, "/report")) == before
    assert before.startswith("1/")
