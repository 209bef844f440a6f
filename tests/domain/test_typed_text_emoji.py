"""typed_text keeps the joiners and tags inside emoji sequences, and drops every other invisible character."""

from __future__ import annotations

import pytest

from bot.domain.roster_cells import clean_text, typed_text

FLAG = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # Scotland: black flag, tags, cancel tag


@pytest.mark.parametrize("typed", ["👨\u200d👩\u200d👧", "🏳️\u200d🌈", "👩🏽\u200d💻", "❤️\u200d🔥", "🧑\u200d⚕️", FLAG])
def test_an_emoji_sequence_stays_whole(typed):
    assert typed_text(f"好{typed}的") == f"好{typed}的"


@pytest.mark.parametrize(("typed", "kept"), [
    ("a\u200db", "ab"), ("\u200d👩", "👩"), ("👩\u200d", "👩"), ("👨\u200d\u200b👩", "👨👩"),
    ("杨\u202e婷\x00", "杨婷"), ("x\U000e0067", "x"), (FLAG + "\U000e0067", FLAG), ("\u200d", ""),
])
def test_other_invisible_characters_go(typed, kept):
    assert typed_text(typed) == kept


def test_a_roster_cell_still_drops_every_joiner():
    assert clean_text("杨\u200d婷") == "杨婷"
