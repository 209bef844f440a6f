"""The disclosure audit's ranges and rule on tables small enough to work out by hand (issue 9, breaker)."""

from __future__ import annotations

from bot.domain.figures import MIN_SHOWN
from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import audited, leaks, ranges


def test_a_hidden_total_beside_two_groups_is_read_back_and_the_audit_says_so():
    # total * beside a group of 12 and <5 (13–16) and a group of 16 and *: the total is 16 and the <5 is 4.
    values = {"t": 16, "a": 12, "b": 4, "c": 16, "d": 0}
    sums = [[("a", 1), ("b", 1), ("t", -1)], [("c", 1), ("d", 1), ("t", -1)]]
    hidden = Suppressed(frozenset({"b"}), frozenset({"t", "d"}))
    assert ranges(values, sums, hidden, MIN_SHOWN) == {"t": (16, 16), "b": (4, 4), "d": (0, 0)}
    assert leaks(values, sums, hidden, MIN_SHOWN) == {"t", "b", "d"}
    safe = audited(values, sums, MIN_SHOWN)
    assert leaks(values, sums, safe, MIN_SHOWN) == set()
    assert "b" in safe.primary or "b" in safe.complementary


def test_a_small_count_narrowed_to_three_values_breaks_its_protection_interval():
    # a <5 of 2 and a * of 10 make 12; the * and a <5 of 1 make 11: the * is 8–10, so the first <5 is 2–4.
    # Nothing is pinned (what protect() looked for), yet the reader knows the 2 is not 1.
    values = {"a": 2, "b": 10, "t": 12, "c": 1, "u": 11}
    sums = [[("a", 1), ("b", 1), ("t", -1)], [("b", 1), ("c", 1), ("u", -1)]]
    hidden = Suppressed(frozenset({"a", "c"}), frozenset({"b"}))
    assert ranges(values, sums, hidden, MIN_SHOWN) == {"a": (2, 4), "b": (8, 10), "c": (1, 3)}
    assert leaks(values, sums, hidden, MIN_SHOWN) == {"a"}
    safe = audited(values, sums, MIN_SHOWN)
    assert leaks(values, sums, safe, MIN_SHOWN) == set()
