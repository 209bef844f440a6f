"""``奶奶在ICU``: the grandmother in intensive care is no emergency of the child's (fix6l); unclear stays one."""

from __future__ import annotations

import pytest

from bot.domain.emergency_words import EmergencyKind, emergency_kind

NAMES = ("杨秀云", "秀云")


@pytest.mark.parametrize("typed", ["奶奶在ICU", "奶奶住进ICU了", "秀云奶奶在icu", "奶奶在ICU，秀云在陪她",
                                   "grandma is in the ICU", "my mother is in intensive care"])
def test_someone_else_in_intensive_care_is_no_emergency_of_the_child(typed):
    assert emergency_kind(typed, NAMES) is None


@pytest.mark.parametrize("typed", ["在ICU", "孩子在ICU", "秀云在ICU", "奶奶说秀云在ICU", "奶奶和秀云都在ICU",
                                   "奶奶在ICU，孩子发高烧", "she is in the ICU", "grandma says she is in the ICU",
                                   "Xiuyun is in the ICU"])
def test_the_child_in_intensive_care_or_unclear_is_an_emergency(typed):
    assert emergency_kind(typed, NAMES) is EmergencyKind.MEDICAL
