"""The periods grid asks the solver only what a rule needs (fix9q): its patterns still pass the full audit.

``grid_hidden`` now checks each hidden cell's rule through witnesses carried across rounds and solves only
for cells with a rule; here every hidden cell's whole range is solved for afresh (``ranges``, no witnesses)
and the module's rule checked on it, on seeded random grids of two schools, their town, four months and the
term, with a term ending inside December (a piece no table shows). What the ``<5`` labels alone give away
(a town of ``<5`` over two schools of ``<5``, 1 and 3: the 3 is not 4; a piece of a month shown ``<5``) no
pattern can mend and is left out; main's grid left it so as well.
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
        # What the <5 labels alone give away (everything else hidden): no pattern can mend that (below).
        everything = ranges(values, equations, Suppressed(found.primary, frozenset(set(values) - found.primary)), 5)
        for cell, (low, high) in ranges(values, equations, hidden, 5).items():
            v = values[cell]
            if cell in found.primary:  # a <5: v - 1 … v + 1 within 1–4 stays open
                if not _open(*everything[cell], v):
                    continue  # a town of <5 over two schools of <5 (1 and 3): the labels say the 3 is not 4
                assert _open(low, high, v), (n, cell, v, low, high)
                checked += 1
            elif 0 < v < 5:  # a small piece or a small count shown *: not learnt, nor that it is small
                if not _hidden_small(*everything[cell], v):
                    continue  # a piece of a month shown <5 is at most 4 whatever else is hidden
                assert _hidden_small(low, high, v), (n, cell, v, low, high)
                checked += 1
    assert checked > 20  # the grids did have small counts to protect


def _hidden_small(low: int, high: int, v: int) -> bool:
    return low <= v - 1 and high >= v + 1 and (low == 0 or high >= 5)


def _open(low: int, high: int, v: int) -> bool:
    return low <= max(1, v - 1) and high >= min(4, v + 1)
