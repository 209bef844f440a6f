"""Which words correct an answer just given, and what is left of them (fix6ak)."""

from __future__ import annotations

import pytest

from bot.domain import correction_words

MARKERS = ("不对", "错了", "按错了", "按错", "应该是", "改成", "wrong", "i meant", "should be")


@pytest.mark.parametrize(("typed", "left"), [
    ("刚才按错了应该是需要帮助", ("需要帮助",)),
    ("不对，是一般", ("一般",)),
    ("我刚才按错了", ()),
    ("改成3", ("3",)),
    ("Sorry, wrong. I meant so-so", ("so-so",)),
    ("wrong, she is fine", ("fine",)),
    ("不对，孩子最近不对劲", ("最近不对劲",)),
])
def test_a_correction_and_what_is_left(typed, left):
    assert correction_words.clauses(typed, MARKERS) == left


@pytest.mark.parametrize("typed", ["孩子最近不对劲", "孩子挺好，就是作业写错了", "改天再说", "wrongly", "孩子挺好"])
def test_words_that_are_no_correction(typed):
    assert correction_words.clauses(typed, MARKERS) is None


def test_bare_words_lose_their_copula():
    assert correction_words.bare("is fine") == "fine" and correction_words.bare("是一般") == "一般"
