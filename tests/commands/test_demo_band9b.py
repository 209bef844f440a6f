"""The sample school with one card incomplete (one 现居住地 left empty): 121 of 122 cards complete.

"121/122 (99.2%)" would tell the town's and the bureau's officials that exactly one child's card is incomplete.
They read the band "fewer than 5 incomplete", ``≥96%`` (floor(100·118/122)), with the numerator hidden, in
chat, in English too, and in the 统计 workbook; the principal still reads the figure (fix9b).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.support.demo import after, run_demo

AT = "2026-12-04 17:58"
STAR_ZH = "*：为防止通过合计推算出旁边不足5的数字，一并隐藏。"
# The report's one-line privacy note (fix6m) says what the marks mean: ≥96% is a range, * a hidden count.
NOTE_ZH = "为保护儿童隐私，不到5（1至4）的数字显示为<5，会透露这类数字的比率显示为区间、(<5)或*。"
NOTE_EN = ("To protect the children's privacy, counts under 5 (1 to 4) are shown as <5, and rates that would reveal "
           "them as a range, (<5) or *.")


def _one_address_missing(sample_roster: Path, tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(sample_roster)
    sheet = book["留守儿童花名册"]
    column = [c.value for c in sheet[1]].index("现居住地") + 1
    sheet.cell(row=2, column=column).value = None
    path = tmp_path / "roster-one-address-missing.xlsx"
    book.save(path)
    return path


def test_officials_read_121_of_122_cards_as_a_band(monkeypatch, tmp_path, sample_roster):
    roster = _one_address_missing(sample_roster, tmp_path)
    script = ":as 镇政府李干事\n/report\n/export 统计\n:as 镇教育办张科长\n/report\n:as 王校长\n/report\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, AT)
    for typed, since in (("/report", ":as 镇政府李干事"), ("/report", ":as 镇教育办张科长")):
        shown = after(out, typed, since=since)
        assert "• 档案完整（建档率）：*/122 (≥96%)\n" in shown
        assert "建档 */122 (≥96%)；" in shown  # the school's line too
        assert "121/122" not in shown and "99.2%" not in shown
        assert NOTE_ZH in shown  # the note says what the marks mean
    assert "• 档案完整（建档率）：121/122 (99.2%)" in after(out, "/report", since=":as 王校长")

    [book] = (tmp_path / "guanai-files").glob("*.xlsx")
    rows = list(openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True))
    filed = rows[0].index("档案完整: 完成")
    units = [r for r in rows[1:] if r[1] is not None]
    assert len(units) >= 2  # the school and its town (and the county's total)
    for row in units:
        assert row[filed:filed + 3] == ("*", 122, "≥96%"), row
        assert 121 not in row and 99.2 not in row
    assert STAR_ZH in [r[0] for r in rows]


def test_in_english(monkeypatch, tmp_path, sample_roster):
    roster = _one_address_missing(sample_roster, tmp_path)
    out = run_demo(monkeypatch, tmp_path, roster, ":as 镇政府李干事\n/report\n/quit\n", AT, "--lang", "en")
    shown = after(out, "/report")
    assert "• Complete cards (建档率): */122 (≥96%)\n" in shown and "121/122" not in shown
    assert NOTE_EN in shown
