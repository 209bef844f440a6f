"""The ``/report`` chart for a Chinese principal: its words from the catalog, explained when drawn in English (fix6n).

A new-user trial found the chart all English for 王校长: the server had no Chinese font, so the picture fell
back to English words that were written in the code and explained nowhere. The fallback words now come from the
catalog, and without a Chinese font the message carrying the chart says, in the reader's language, what they mean.
"""

from __future__ import annotations

from bot.services import figures_chart
from tests.support.demo import after, run_demo

AT = "2026-12-03 10:00"
EXPLAINED = "图表用英文标注（服务器上没有中文字体）：“monthly talks %”是每月谈心的比例"


def _drawn(monkeypatch, *, font: bool) -> list[tuple]:
    drawn: list[tuple] = []

    def capture(title, legend, rows, fallback):  # what the PNG is drawn with, not its pixels
        drawn.append((title, legend, fallback))
        return b"png"

    monkeypatch.setattr(figures_chart, "bar_chart", capture)
    monkeypatch.setattr(figures_chart, "has_cjk_font", lambda: font)
    return drawn


def test_without_a_chinese_font_the_principal_is_told_what_the_english_words_mean(monkeypatch, tmp_path,
                                                                                  sample_roster):
    drawn = _drawn(monkeypatch, font=False)
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", AT)
    assert EXPLAINED in after(out, "/report")
    [(title, legend, fallback)] = drawn
    assert title.startswith("每月谈心和档案完整情况，") and legend == ("每月谈心", "档案完整")
    assert fallback == ("Talks and cards, 2026-12", "monthly talks %", "complete cards %")


def test_with_a_chinese_font_nothing_needs_explaining(monkeypatch, tmp_path, sample_roster):
    _drawn(monkeypatch, font=True)
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", AT)
    assert "图表用英文标注" not in after(out, "/report")


def test_an_english_reader_needs_no_explanation(monkeypatch, tmp_path, sample_roster):
    drawn = _drawn(monkeypatch, font=False)
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 王校长\n/report\n/quit\n", AT, "--lang", "en")
    assert "labelled in English" not in after(out, "/report")
    [(title, legend, _fallback)] = drawn
    assert title.startswith("Monthly talks and complete cards, ") and legend == ("monthly talks", "complete cards")
