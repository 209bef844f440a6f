"""Small-count suppression that subtraction cannot undo (complementary suppression).

A table for officials hides every count from 1 to 4 (primary suppression).
A table also has totals: each group of columns adds up to the row's total,
and each column adds up to the 合计 row. Hiding one cell of a sum whose other
terms are shown gives it away, so more cells are hidden (complementary
suppression) until

* every sum that contains a hidden cell contains at least two, one of them a
  complementary cell (so its value is not known to lie in 1–4, and the bounds
  of the small counts cannot pin it either); and
* no hidden cell follows from all the sums together (linear algebra: the
  hidden cell's unit vector is not in the span of the sums restricted to the
  hidden cells).

Pure: the caller names the cells, their values and the sums.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

_PRIME = (1 << 61) - 1  # exact enough: the sums' coefficients are 0 and ±1 over a few hundred cells


@dataclass(frozen=True)
class Suppressed:
    """The cells to hide.

    Attributes:
        primary: counts from 1 to ``minimum - 1`` (shown as ``<5``).
        complementary: further cells hidden so that the primary ones cannot be worked out.
    """

    primary: frozenset[Hashable]
    complementary: frozenset[Hashable]

    def __contains__(self, cell: object) -> bool:
        """Whether ``cell`` is hidden either way."""
        return cell in self.primary or cell in self.complementary


Equation = Sequence[tuple[Hashable, int]]
"""A sum: the cells and their coefficients (``+1`` for the terms, ``-1`` for the total), equal to zero."""


def determined(hidden: Iterable[Hashable], equations: Sequence[Equation]) -> set[Hashable]:
    """The hidden cells whose value follows from the equations and the shown cells.

    A cell is determined when its unit vector lies in the row space of the
    equations restricted to the hidden cells: in reduced row echelon form,
    some row is exactly that unit vector (computed modulo a large prime).
    """
    index = {cell: i for i, cell in enumerate(dict.fromkeys(hidden))}
    rows: list[dict[int, int]] = []
    for eq in equations:
        row: dict[int, int] = {}
        for cell, coef in eq:
            if cell in index:
                row[index[cell]] = (row.get(index[cell], 0) + coef) % _PRIME
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column → its row, reduced against every other pivot row
    for row in rows:
        for col, row_pivot in pivots.items():
            if col in row:
                row = _subtract(row, row_pivot, row[col])
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        row = {k: v * inverse % _PRIME for k, v in row.items()}
        for other_col, other in list(pivots.items()):
            if col in other:
                pivots[other_col] = _subtract(other, row, other[col])
        pivots[col] = row
    cells = list(index)
    return {cells[col] for col, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, int], pivot: dict[int, int], factor: int) -> dict[int, int]:
    out = dict(row)
    for k, v in pivot.items():
        value = (out.get(k, 0) - factor * v) % _PRIME
        if value:
            out[k] = value
        else:
            out.pop(k, None)
    return out


def _pick(cells: Sequence[Hashable], values: dict[Hashable, int], hidden: set[Hashable],
          minimum: int) -> Hashable | None:
    """The shown cell to hide next in a sum: the smallest count of at least ``minimum``, else the largest one."""
    shown = [c for c in cells if c not in hidden]
    large = [c for c in shown if values[c] >= minimum]
    if large:
        return min(large, key=lambda c: values[c])
    return max(shown, key=lambda c: values[c], default=None)


def suppress(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int,
             primary: Iterable[Hashable] | None = None, hidden: Iterable[Hashable] = ()) -> Suppressed:
    """Which cells to hide so that no count from 1 to ``minimum - 1`` can be worked out.

    ``primary``: the cells hidden by the caller's own rule (a rate over too few); by default the counts 1 to
    ``minimum - 1``. ``values`` then only rank the cells for picking the complementary ones. ``hidden``:
    cells already hidden as complementary ones (for another figure they go with), returned as complementary.
    """
    primary = set(primary) if primary is not None else {c for c, v in values.items() if 0 < v < minimum}
    complementary: set[Hashable] = set(hidden) - primary
    while True:
        hidden = primary | complementary
        added = False
        for eq in equations:
            cells = [c for c, _ in eq]
            inside = [c for c in cells if c in hidden]
            if inside and (len(inside) < 2 or not any(c in complementary for c in inside)):
                cell = _pick(cells, values, hidden, minimum)
                if cell is not None:
                    complementary.add(cell)
                    hidden.add(cell)
                    added = True
        if added:
            continue
        for cell in determined(hidden, equations):
            for eq in equations:
                cells = [c for c, _ in eq]
                if cell in cells and (extra := _pick(cells, values, hidden, minimum)) is not None:
                    complementary.add(extra)
                    hidden.add(extra)
                    added = True
                    break
        if not added:
            return Suppressed(frozenset(primary), frozenset(complementary))


def pinned(values: dict[Hashable, int], equations: Sequence[Equation], hidden: Suppressed, minimum: int,
           at_most: Sequence[tuple[Hashable, Hashable]] = ()) -> set[Hashable]:
    """The hidden cells whose value a reader works out from the shown cells, the sums and the bounds.

    What the reader knows: each shown cell's value, a primary cell lies in 1 to ``minimum - 1``, a
    complementary one is at least 0, every sum is zero, and ``(a, b)`` in ``at_most`` means a ≤ b (boarders
    are some of a row's children). Bounds are narrowed sum by sum until nothing changes (interval
    propagation, in whole numbers); a hidden cell whose lowest and highest possible values meet is given away.
    E.g. a row total hidden as ``*`` beside a group reading ``12``, ``<5`` (so 13–16) and another reading
    ``16``, ``*`` (so at least 16) is 16, and the ``<5`` is 4; a total ``<5`` beside four ``<5`` of one group
    is 4, each of them 1. :func:`determined` finds what the sums alone fix;
    this adds what the bounds fix.
    """
    top = sum(abs(v) for v in values.values()) + 1  # no count exceeds the sum of all of them
    low: dict[Hashable, int] = {}
    high: dict[Hashable, int] = {}
    for cell, value in values.items():
        if cell in hidden.primary:
            low[cell], high[cell] = 1, minimum - 1
        elif cell in hidden.complementary:
            low[cell], high[cell] = 0, top
        else:
            low[cell] = high[cell] = value
    changed = True
    rounds = 0
    while changed and rounds < 200:
        changed, rounds = False, rounds + 1
        for eq in equations:
            lows = sum(a * (low[c] if a > 0 else high[c]) for c, a in eq)  # the sum's least possible value
            highs = sum(a * (high[c] if a > 0 else low[c]) for c, a in eq)
            for cell, a in eq:
                if low[cell] == high[cell]:
                    continue
                # a·x = −(the others): the others' range gives x's
                rest_low = lows - a * (low[cell] if a > 0 else high[cell])
                rest_high = highs - a * (high[cell] if a > 0 else low[cell])
                lo, hi = (-rest_high, -rest_low) if a > 0 else (rest_low, rest_high)
                lo, hi = -(-lo // abs(a)), hi // abs(a)  # whole numbers: round the bounds inward
                if lo > low[cell] or hi < high[cell]:
                    low[cell], high[cell] = max(low[cell], lo), min(high[cell], hi)
                    changed = True
        for small, big in at_most:
            if high[small] > high[big] or low[big] < low[small]:
                high[small], low[big] = min(high[small], high[big]), max(low[big], low[small])
                changed = True
    return {c for c in (*hidden.primary, *hidden.complementary) if low[c] >= high[c]}


def protect(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int,
            at_most: Sequence[tuple[Hashable, Hashable]] = ()) -> Suppressed:
    """:func:`suppress`, then more cells hidden until no hidden cell follows from the bounds (:func:`pinned`).

    A hidden cell given away gets one more shown cell of a sum it is in hidden (:func:`_pick`); when every
    cell of its sums is hidden already, a small count among them is shown as ``*`` rather than ``<5``
    (complementary: the reader no longer knows it is 1–4, so the bounds stop pinning it).
    """
    hidden = suppress(values, equations, minimum)
    demoted: set[Hashable] = set()
    primary = set(hidden.primary)
    for _ in range(len(values) + 1):
        leaks = pinned(values, equations, hidden, minimum, at_most)
        if not leaks:
            break
        cell = min(leaks, key=repr)
        shown = set(values) - set(hidden.primary) - set(hidden.complementary)
        extra = next((c for eq in equations if cell in (cs := [c for c, _ in eq])
                      if (c := _pick(cs, values, set(values) - shown, minimum)) is not None), None)
        if extra is None:  # its sums are all hidden: a small count among them stops saying it is small
            small = next((c for eq in equations if cell in [c for c, _ in eq] for c, _ in eq if c in primary),
                         cell if cell in primary else None)
            if small is None:
                break  # nothing left to hide (cannot happen with small counts and sums of whole numbers)
            demoted.add(small)
            primary.discard(small)
        hidden = suppress(values, equations, minimum, primary=primary,
                          hidden={*hidden.complementary, *demoted, *([extra] if extra is not None else [])})
    return hidden
