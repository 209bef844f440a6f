"""fix9d: a talk note typed with control characters is saved without them, and the talk cards still export."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"


def test_a_talk_note_with_escapes_is_saved_clean_and_exported(monkeypatch, tmp_path, sample_roster):
    note = "孩子\x1b[31m说\x08想家"
    script = f":as 王老师\n/talk 杨秀云\n1\n1\n1\n2\n{note}\n1\n1\n:as 王校长\n/export 谈心\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, sample_roster, script, AT)
    said = after(out, "/export 谈心")
    assert "出了点问题" not in said and "谈心" in said, said
    [book] = list(Path(tmp_path, "guanai-files").glob("*.xlsx"))
    cells = [str(c) for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c]
    assert any("孩子说想家" in c for c in cells), cells
