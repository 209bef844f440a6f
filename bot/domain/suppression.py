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
