"""An official's banded rates drawn and laid out like every other rate (fixchart).

The education office's 张科长 reads a rate whose done or not-done count is 1–4 as a band (``*/122 (≥96%)``,
``<5/122 (≤4%)``). The ``/report`` chart draws it to the band's bound, marked as a band and labelled with it,
never as an empty bar; the 统计 workbook writes a hidden rate in the same three columns as every other one.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from bot.domain.figures_bar import Bar
from bot.services import figures_chart
from tests.support.demo import run_demo

AT = "2026-12-03 10:00"
OFFICIAL = ":as 镇教育办张科长\n"


def _two_addresses_missing(sample_roster: Path, tmp_path: Path) -> Path:
    """The sample roster with 现居住地 blank for its first two children: 120 of 122 cards complete."""
    book = openpyxl.load_workbook(sample_roster)
    sheet = book["留守儿童花名册"]
    assert sheet.cell(1, 12).value == "现居住地"
    sheet.cell(2, 12).value = None
    sheet.cell(3, 12).value = None
    roster = tmp_path / "miss.xlsx"
    book.save(roster)
    return roster


def test_the_officials_chart_draws_a_band_to_its_bound(monkeypatch, tmp_path, sample_roster) -> None:
    drawn: list[list] = []

    def capture(title, legend, rows, fallback):  # the rows the PNG is drawn from, not its pixels
        drawn.append(list(rows))
        return b"png"

    monkeypatch.setattr(figures_chart, "bar_chart", capture)
    roster = _two_addresses_missing(sample_roster, tmp_path)
    script = ":as 王老师\n谈心 杨秀云\n1\n1\n1\n1\n1\n1\n1\n" + OFFICIAL + "/report\n/quit\n"
    out = run_demo(monkeypatch, tmp_path, roster, script, AT)
    assert "*/122 (≥96%)" in out and "<5/122 (≤4%)" in out, out
    [[(name, monthly, filed)]] = drawn
    assert name == "示例县清溪镇中心小学"
    assert filed == Bar(96.0, "≥96%", band=True)  # 120 of 122: to 96 %, never 0
    assert monthly == Bar(4.0, "≤4%", band=True)  # 1 talk of 122


def test_the_principal_still_sees_the_figure_in_the_chart(monkeypatch, tmp_path, sample_roster) -> None:
    drawn: list[list] = []
    monkeypatch.setattr(figures_chart, "bar_chart", lambda title, legend, rows, fallback: drawn.append(rows) or b"")
    roster = _two_addresses_missing(sample_roster, tmp_path)
    run_demo(monkeypatch, tmp_path, roster, ":as 王校长\n/report\n/quit\n", AT)
    [rows] = drawn
    assert all(not first.band and not second.band for _name, first, second in rows)
    assert any(second.percent is not None and 0 < second.percent < 100 for _name, _first, second in rows), rows
