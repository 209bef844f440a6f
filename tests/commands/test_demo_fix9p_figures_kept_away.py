"""The principal left out of an abuse report does not see it appear in his school's figures (issue 9, fix9p).

王老师 reports that 杨秀云 is hurt by 王校长 and leaves him out. Before, the school's figures counted every
incident per class: his ``/report`` read "Incidents reported: 1" and the xlsx a 1 in 一年级（1）班's
"Incidents" cell, with the chain's missed step beside it — the report he must not hear of. Now the figures
he reads leave out what he is kept away from (the report, its chain's steps, its tasks); 刘主任, who
carries the report, sees them whole (docs/privacy.md, "Figures and kept-away readers").
"""

from __future__ import annotations

import openpyxl

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"
WORDS = "王校长经常把她叫到办公室，她身上有伤"
SCRIPT = (f":as 王老师\n报告 杨秀云\n5\n{WORDS}\n2\n1\n被举报的就是校长本人\n1\n:wait 40m\n"
          ":as 刘主任\n/report\n:as 王校长\n/report\n/export 统计\n/quit\n")


def test_the_left_out_principals_figures_do_not_show_the_report(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster, SCRIPT, AT, "--all", "--lang", "en")
    assert "Not told: 王校长 (school leader)" in after(out, "被举报的就是校长本人")
    admin = after(out, "/report", since=":as 刘主任")
    assert "• Incidents reported: 1" in admin
    # Its chain goes to the leaders, never the guardian: in no guardian's rate (fix9y), for him or for her.
    assert "guardian within 30 min: —" in admin
    principal = after(out, "/report", since=":as 王校长")
    assert "• Incidents reported: 0" in principal
    assert "guardian within 30 min: —" in principal
    files = list((tmp_path / "guanai-files").glob("*.xlsx"))
    assert len(files) == 1  # his /export 统计
    sheet = openpyxl.load_workbook(files[0]).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    klass = rows["一年级（1）班"]
    assert klass[header.index("Incidents")] == 0
    assert klass[header.index("Guardian within 30 min: of")] == 0
    assert all(r[header.index("Incidents")] in (0, None) for r in rows.values())
