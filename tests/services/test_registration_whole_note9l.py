"""The note under a registration table hidden whole is in the official's language (fix9l: it was Chinese only)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.suppression import Suppressed
from bot.services import registration as reg
from tests.support.figures_world import county


@pytest.mark.parametrize(("locale", "words"), [
    ("en", "so every count is hidden (*). We are sorry; the schools can give you these figures directly."),
    ("zh_Hans", "因此全部隐去（*）。非常抱歉，如需数字请直接向各学校了解。"),
])
def test_a_table_the_audit_cannot_protect_says_so_in_the_officials_language(uow_factory, monkeypatch, locale, words):
    world = county(uow_factory)
    # An audit that finds every cell still leaking: the table is hidden whole.
    monkeypatch.setattr(reg, "audit", lambda values, *_a, **_k: (Suppressed(frozenset(), frozenset()),
                                                                 frozenset(values)))
    with uow_factory() as uow:
        sheet, _problems = reg.registration_table(uow, [world.qingxi, world.hekou, world.shimen],
                                                  date(2026, 11, 30), official=True, locale=locale)
    assert {c for row in sheet.rows for c in row[1:]} == {"*"}
    [[note]] = sheet.preamble
    assert words in note
    assert ("注" in note) is (locale == "zh_Hans")
