"""Serious illness, a child not home after dark, bare emergency numbers (conv6h, issue 6)."""

from __future__ import annotations

import pytest

from bot.domain.emergency_words import EmergencyKind, bare_number_kind, emergency_kind

M, P, F = EmergencyKind.MEDICAL, EmergencyKind.POLICE, EmergencyKind.FIRE


@pytest.mark.parametrize("typed", ["孩子发烧了很严重", "孩子病得很重", "孩子烧得厉害", "孩子烧得很厉害怎么办",
                                   "秀云病得不行了", "孩子发烧越来越严重", "孩子病重"])
def test_serious_illness_is_medical(typed):
    assert emergency_kind(typed, ("秀云",)) is M


@pytest.mark.parametrize("typed", ["孩子还没回家", "孩子到现在还没回来", "联系不上孩子", "孩子电话打不通",
                                   "秀云一直没到家"])
def test_a_child_not_home_is_missing_after_dark_only(typed):
    assert emergency_kind(typed, ("秀云",), late=True) is P
    assert emergency_kind(typed, ("秀云",)) is None


@pytest.mark.parametrize("typed", ["孩子不发烧了", "孩子已经回家了", "发烧不严重", "孩子感冒了不严重",
                                   "孩子病得不重", "作业问题很严重", "奶奶病得很重", "孩子回家了，烧退了",
                                   "孩子还没回家，不过找到了", "我还没回家"])
def test_negated_all_clear_or_about_someone_else_is_no_emergency(typed):
    assert emergency_kind(typed, late=True) is None


@pytest.mark.parametrize(("typed", "kind"), [("120", M), ("１２０", M), (" 110 ", P), ("119", F), ("打120！", M),
                                             ("call 110", P)])
def test_a_bare_emergency_number(typed, kind):
    assert bare_number_kind(typed) is kind


@pytest.mark.parametrize("typed", ["1", "12", "1200", "120元", "2120", "我打了120"])
def test_other_numbers_are_no_bare_emergency_number(typed):
    assert bare_number_kind(typed) is None
