"""A roster cell with an invisible right-to-left override (U+202E) or zero-width space in a child's name.

The breaker imported ``杨\\u202e婷``: it showed as 杨婷 everywhere but ``/talk 杨婷`` found no child. The import
drops invisible format characters, so the child is the 杨婷 the teacher types.
"""

from __future__ import annotations

import pytest

from tests.support.demo import after, run_demo

AT = "2026-12-02 10:00"


def _with_hidden_characters(sample_roster, tmp_path, hidden: str):
    import openpyxl

    book = openpyxl.load_workbook(sample_roster)
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "杨婷":
                    cell.value, changed = f"杨{hidden}婷", changed + 1
    assert changed
    path = tmp_path / "roster-hidden.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\ufeff"])
def test_a_name_with_an_invisible_character_is_found_by_its_visible_name(monkeypatch, tmp_path, sample_roster,
                                                                         hidden):
    roster = _with_hidden_characters(sample_roster, tmp_path, hidden)
    out = run_demo(monkeypatch, tmp_path, roster, "/talk 杨婷\n/quit\n", AT)
    said = after(out, "/talk 杨婷")
    assert "没有找到" not in said and "杨婷" in said, said
    assert hidden not in out
