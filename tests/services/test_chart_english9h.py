"""The bureau's chart in English on a server without a Chinese font: every word drawn is one the font has (fix9h).

The schools' names were drawn as ``#1``, ``#2`` (or as empty boxes): now in pinyin, beside the catalog's English
title and legend; a class is ``1-2``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PIL import ImageDraw

from bot.adapters import chart_png
from bot.domain.enums import Role
from bot.domain.figures import month_period
from bot.services import figures, figures_chart
from bot.services.identity import Actor
from tests.support.figures_world import county

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The strings the chart draws, on a machine without a Chinese font."""
    monkeypatch.setattr(chart_png, "_font_path", lambda: None)
    seen: list[str] = []
    original = ImageDraw.ImageDraw.text

    def text(self, xy, words, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(words)
        return original(self, xy, words, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    return seen


def test_the_english_chart_names_the_schools_in_pinyin(uow_factory, drawn):
    world = county(uow_factory)
    bureau = Actor(person_id=world.bureau, name="", school_id=world.shimen, roles=frozenset({Role.EDUCATION_BUREAU}),
                   locale="en", timezone="Asia/Shanghai")
    with uow_factory() as uow:
        report = figures.report_for(uow, bureau, month_period(2026, 11), NOW)
    assert report is not None
    picture = figures_chart.chart(report, "en")
    assert picture is not None and picture.data[:4] == b"\x89PNG"
    assert drawn[0] == "Talks and cards, 2026-11" and drawn[1:3] == ["monthly talks %", "complete cards %"]
    assert {"Hekouxiaoxue", "Qingxixiaoxue", "Shimenxiaoxue"} <= set(drawn)
    assert all(w.isascii() for w in drawn)  # no Chinese character for a font that has none
    assert not any(w.startswith("#") for w in drawn)
