"""Cells hidden without need are shown again, and the audit still proves every small count protected (fix9l).

The rounds of hiding (one more cell for each leak) end safe but hide more than they must: on registration
tables with many small counts about 85 % of the cells ended hidden. ``unhide`` shows the hidden cells again,
largest first, one at a time, keeping each only when no hidden cell then leaks.
"""

from __future__ import annotations

from bot.domain.figures import MIN_SHOWN
from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import leaks, ranges, unhide


def _grid() -> tuple[dict, list]:
    """Three schools × three months with their totals; school a's October is 2, every other count large."""
    counts = {"a": (9, 2, 11), "b": (12, 7, 30), "c": (8, 15, 6)}
    values = {(s, m): v for s, row in counts.items() for m, v in enumerate(row)}
    for s, row in counts.items():
        values[(s, "term")] = sum(row)
    for m in (0, 1, 2, "term"):
        values[("all", m)] = sum(values[(s, m)] for s in counts)
    units, months = [*counts, "all"], [0, 1, 2]
    sums = [[((u, "term"), -1), *(((u, m), 1) for m in months)] for u in units]
    sums += [[(("all", m), -1), *(((s, m), 1) for s in counts)] for m in [*months, "term"]]
    return values, sums


def test_a_pattern_hiding_every_cell_but_the_totals_shows_most_of_them_again():
    values, sums = _grid()
    everything = Suppressed(frozenset({("a", 1)}), frozenset(c for c in values if c != ("a", 1) and c[0] != "all"))
    assert leaks(values, sums, everything, MIN_SHOWN) == set()  # safe, and nearly nothing shown
    found = unhide(values, sums, everything, MIN_SHOWN)
    assert found.primary == {("a", 1)}  # the 2 still reads <5
    assert leaks(values, sums, found, MIN_SHOWN) == set()  # the audit proves it still protected
    low, high = ranges(values, sums, found, MIN_SHOWN)[("a", 1)]
    assert low <= 1 and high >= 3  # the reader cannot tell the 2 from 1 or 3
    assert len(found.complementary) == 7 < len(everything.complementary) == 11  # 4 of the 11 shown again
    assert ("b", "term") not in found.complementary  # the largest shown again first


def test_a_cell_whose_showing_would_leak_stays_hidden():
    values, sums = _grid()
    safe = Suppressed(frozenset({("a", 1)}), frozenset({("a", 0), ("b", 0), ("b", 1)}))
    assert leaks(values, sums, safe, MIN_SHOWN) == set()
    assert unhide(values, sums, safe, MIN_SHOWN) == safe  # each of the three would give the 2 back
