"""A single table (registration, a report's rows) no longer lets its ``<5`` labels narrow each other (fix9u)."""

from __future__ import annotations

from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import audit, ranges, unhide


def _check(values: dict, equations: list, found: Suppressed) -> None:
    for cell, (low, high) in ranges(values, equations, found, 5).items():
        assert low < high, (cell, low, high)  # nothing pinned
        if cell in found.primary:
            assert (low, high) == (1, 4), (cell, low, high)  # the whole of 1–4 stays open
        elif 0 < values[cell] < 5:  # a small count read *: not learnt, nor that it is small
            assert low <= values[cell] - 1 and high >= values[cell] + 1 and (low == 0 or high >= 5), (cell, low, high)


def test_a_town_of_four_schools_each_with_one():
    values = {"town": 4, "a": 1, "b": 1, "c": 1, "d": 1}
    equations = [[("town", -1), ("a", 1), ("b", 1), ("c", 1), ("d", 1)]]
    found, leaking = audit(values, equations, 5, primary=set(values), whole=True)
    assert not leaking
    assert found.complementary  # a <5 reads *
    _check(values, equations, unhide(values, equations, found, 5, whole=True))


def test_a_town_of_4_over_two_schools_of_2_no_longer_says_neither_is_4():
    values = {"town": 4, "a": 2, "b": 2}
    equations = [[("town", -1), ("a", 1), ("b", 1)]]
    before, _ = audit(values, equations, 5)
    assert before.primary == set(values) and ranges(values, equations, before, 5)["a"] == (1, 3)  # v ± 1 passed it
    found, leaking = audit(values, equations, 5, whole=True)
    assert not leaking and len(found.complementary) == 1  # one <5 reads *, the fewest
    _check(values, equations, found)


def test_a_town_under_5_over_two_schools_under_5_and_a_zero():
    values = {"town": 4, "a": 1, "b": 3, "c": 0, "total": 9, "other": 5}
    equations = [[("town", -1), ("a", 1), ("b", 1), ("c", 1)], [("total", -1), ("town", 1), ("other", 1)]]
    found, leaking = audit(values, equations, 5, whole=True)
    assert not leaking
    _check(values, equations, found)
