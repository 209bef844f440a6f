"""name_like: a doubled kin word is no child called as at home (found by a fresh-clone CI after fix6ai)."""

from __future__ import annotations

import pytest

from bot.domain.name_like import other_subject

OWN = ("杨秀云", "秀云", "云云")


@pytest.mark.parametrize("words", ["孩" * 600, "孩孩发烧了", "宝宝发烧了"])
def test_doubled_kin_words_are_not_someone_else(words):
    assert not other_subject(words, OWN)


@pytest.mark.parametrize("words", ["军军需要帮助", "小军发烧了"])
def test_a_child_called_as_at_home_still_is(words):
    assert other_subject(words, OWN)
