"""A former class teacher who now teaches another class still gets her "（原）" line for the old class (fix9e).

王老师 held 杨秀云's monthly talk on 18 November as class teacher of 一年级（1）班; on the 20th a re-import names
新老师 class teacher of 一年级（1）班 and 王老师 class teacher of 一年级（2）班 (袁老师 keeps no class). Her
old talk was added to her one line, which now names 一年级（2）班: the teachers' lines of neither class added
up to the class's figures. Now she has her own line for 一年级（2）班 and a "王老师（原）" line under
一年级（1）班, in /report and in the xlsx.
"""

from __future__ import annotations

import io
import re
import sys

import openpyxl

from bot.cli import main
from tests.commands.test_reimport_roles9c import ONE_TALK
from tests.support.demo import after, run_demo


def _moved(sample_roster, tmp_path) -> str:
    book = openpyxl.load_workbook(sample_roster)
    classes, staff = book["班级"], book["教职工"]
    assert classes["B2"].value == "一年级（1）班" and classes["B3"].value == "一年级（2）班"
    classes["C2"], classes["C3"] = "新老师", "王老师"
    assert staff["A4"].value == "王老师" and staff["A5"].value == "袁老师"
    staff["C4"], staff["C5"] = "一年级（2）班", None
    staff.append(["新老师", "班主任", "一年级（1）班", "13800139999"])
    path = tmp_path / "roster-moved.xlsx"
    book.save(path)
    return str(path)


def _monthly(line: str) -> tuple[int, int]:
    found = re.search(r"每月(?:谈心)? (\d+)/(\d+)", line)
    assert found, line
    return int(found.group(1)), int(found.group(2))


def test_her_old_class_talk_stays_under_the_old_class(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n" + ONE_TALK + "/quit\n", "2026-11-18 16:00",
             "--database", url)
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    roster = _moved(sample_roster, tmp_path)
    assert main(["import", roster]) == 0
    out = run_demo(monkeypatch, tmp_path, roster, ":as 王校长\n/report\n/export 统计\n/quit\n", "2026-11-30 10:00",
                   "--database", url)
    lines = after(out, "/report").splitlines()
    teachers = [line for line in lines if line.startswith("• ") and "班：" not in line and "老师" in line]
    new = next(i for i, line in enumerate(teachers) if line.startswith("• 新老师（一年级（1）班）"))
    assert teachers[new + 1].startswith("• 王老师（原）"), teachers  # right under the old class's teacher
    assert _monthly(teachers[new + 1]) == (1, 1)
    [now] = [line for line in teachers if line.startswith("• 王老师（一年级（2）班）")]
    [klass1] = [line for line in lines if line.startswith("• 一年级（1）班：")]
    [klass2] = [line for line in lines if line.startswith("• 一年级（2）班：")]
    # The teachers' lines add up to each class's monthly talks.
    done, owed = (sum(x) for x in zip(_monthly(teachers[new]), _monthly(teachers[new + 1]), strict=True))
    assert (done, owed) == _monthly(klass1), (teachers, klass1)
    assert _monthly(now) == _monthly(klass2), (now, klass2)
    [book] = (tmp_path / "guanai-files").glob("*统计数据*.xlsx")
    rows = list(openpyxl.load_workbook(book)["各教师谈心"].iter_rows(min_row=2, values_only=True))
    names = [r[0] for r in rows]
    assert names[names.index("新老师") + 1] == "王老师（原）"
    assert list(rows[names.index("王老师（原）")][:4]) == ["王老师（原）", None, 1, 1]
    assert rows[names.index("王老师")][1] == "一年级（2）班" and rows[names.index("王老师")][2] == 0
