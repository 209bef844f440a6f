"""The periods grid asks the solver only what a rule needs (fix9q): its patterns still pass the full audit.

``grid_hidden`` now checks each hidden cell's rule through witnesses carried across rounds and solves only
for cells with a rule; here every hidden cell's whole range is solved for afresh (``ranges``, no witnesses)
and the module's rule checked on it, on seeded random grids of two schools, their town, four months and the
term, with a term ending inside December (a piece no table shows). What the ``<5`` labels alone gave away
(a town of ``<5`` over two schools of ``<5``, 1 and 3: the 3 is not 4; a piece of a month shown ``<5``) is
mended since fix9u by showing a ``<5`` as ``*``; a ``<5`` now keeps its whole 1–4.
"""

from __future__ import annotations

import random

from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import ranges
from bot.domain.suppression_grid import grid_hidden

UNITS = ("a", "b", "town")
PUBLISHED_KEYS = ("09", "10", "11", "12", "term")


def _grid(rng: random.Random) -> tuple[dict, list, set]:
    values: dict = {}
    for u in ("a", "b"):
        for k in ("09", "10", "11", "12a", "12b"):
            values[(u, k)] = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 9))
    for k in ("09", "10", "11", "12a", "12b"):
        values[("town", k)] = values[("a", k)] + values[("b", k)]
    equations: list = []
    for u in UNITS:
        values[(u, "12")] = values[(u, "12a")] + values[(u, "12b")]
        values[(u, "term")] = sum(values[(u, k)] for k in ("09", "10", "11", "12a"))
        equations.append([((u, "12"), -1), ((u, "12a"), 1), ((u, "12b"), 1)])
        equations.append([((u, "term"), -1), *(((u, k), 1) for k in ("09", "10", "11", "12a"))])
    for k in ("09", "10", "11", "12", "12a", "12b", "term"):
        equations.append([(("town", k), -1), (("a", k), 1), (("b", k), 1)])
    return values, equations, {(u, k) for u in UNITS for k in PUBLISHED_KEYS}


def test_random_grids_pass_the_full_audit():
    rng = random.Random(9)
    checked = 0
    for n in range(25):
        values, equations, published = _grid(rng)
        found = grid_hidden(values, equations, 5, published)
        hidden = Suppressed(found.primary, found.complementary | (set(values) - published))
        for cell, (low, high) in ranges(values, equations, hidden, 5).items():
            v = values[cell]
            if cell in found.primary:  # a <5: the whole of 1–4 stays open
                assert (low, high) == (1, 4), (n, cell, v, low, high)
                checked += 1
            elif 0 < v < 5:  # a small piece or a small count shown *: not learnt, nor that it is small
                assert _hidden_small(low, high, v), (n, cell, v, low, high)
                checked += 1
    assert checked > 20  # the grids did have small counts to protect


def _hidden_small(low: int, high: int, v: int) -> bool:
    return low <= v - 1 and high >= v + 1 and (low == 0 or high >= 5)



def test_a_town_of_four_schools_each_with_one_is_not_given_away_by_its_labels():
    # Town 4 over schools of 1, 1, 1, 1, all <5: the labels alone said each school is 1 and the town 4.
    schools = ("a", "b", "c", "d")
    values = {**{(s, "11"): 1 for s in schools}, ("town", "11"): 4}
    equations = [[(("town", "11"), -1), *(((s, "11"), 1) for s in schools)]]
    found = grid_hidden(values, equations, 5, set(values))
    assert found.complementary, "some <5 now reads *"
    assert found.complementary <= set(values)
    for cell, (low, high) in ranges(values, equations, found, 5).items():
        assert low < high, (cell, low, high)  # nothing pinned
        if cell in found.primary:
            assert (low, high) == (1, 4), (cell, low, high)
        else:
            assert _hidden_small(low, high, values[cell]), (cell, low, high)


def test_a_town_under_5_over_two_schools_under_5_does_not_say_which_is_not_4():
    values = {("a", "11"): 1, ("b", "11"): 3, ("town", "11"): 4}
    equations = [[(("town", "11"), -1), (("a", "11"), 1), (("b", "11"), 1)]]
    before = ranges(values, equations, Suppressed(frozenset(values), frozenset()), 5)
    assert before[("b", "11")] == (1, 3)  # main's pattern: all three <5, and the 3 is not 4
    found = grid_hidden(values, equations, 5, set(values))
    assert len(found.complementary) == 1  # one <5 reads *, the fewest
    for cell, (low, high) in ranges(values, equations, found, 5).items():
        if cell in found.primary:
            assert (low, high) == (1, 4), (cell, low, high)
        else:
            assert _hidden_small(low, high, values[cell]), (cell, low, high)
