"""Per-teacher talk lines credit a former class teacher's talk to her (issue 9, found by testers).

王老师 held 杨秀云's monthly talk on 18 November; on the 20th a re-import names 新老师 class teacher of
一年级（1）班. The class's and the school's figures counted the talk, the per-teacher lines credited it to
nobody, so they did not add up to the class total. Now 王老师（原） is credited with it, in /report and the xlsx.
"""

from __future__ import annotations

import openpyxl

from tests.commands.test_reimport_roles9c import ONE_TALK
from tests.support.demo import after, new_class_teacher, run_demo


def test_a_former_class_teachers_talk_is_credited_to_her(monkeypatch, tmp_path, sample_roster):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    run_demo(monkeypatch, tmp_path, sample_roster, ":as 王老师\n" + ONE_TALK + "/quit\n", "2026-11-18 16:00",
             "--database", url)
    roster = new_class_teacher(monkeypatch, tmp_path, sample_roster, url)
    out = run_demo(monkeypatch, tmp_path, roster, ":as 王校长\n/report\n/export 统计\n/quit\n", "2026-11-30 10:00",
                   "--database", url)
    report = after(out, "/report")
    [former] = [line for line in report.splitlines() if "王老师" in line]
    assert former.startswith("• 王老师（原）") and "1/1" in former, former
    [new] = [line for line in report.splitlines() if line.startswith("• 新老师")]
    [klass] = [line for line in report.splitlines() if line.startswith("• 一年级（1）班")]
    # 新老师 0 of 6 months owed since, 王老师 1 of 1: the class's 1 of 7.
    assert "每月 0/6" in new and "每月谈心 1/7" in klass
    [book] = (tmp_path / "guanai-files").glob("*统计数据*.xlsx")
    rows = list(openpyxl.load_workbook(book)["各教师谈心"].iter_rows(min_row=2, values_only=True))
    assert ["王老师（原）", None, 1, 1] == list(rows[[r[0] for r in rows].index("王老师（原）")][:4])
