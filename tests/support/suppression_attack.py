"""The breaker's attack on officials' registration table: random tables, and an integer program over what is shown.

The attack reads only the table as an official gets it (numbers, ``<5``, ``*``) and the form's structure
(each group of columns adds up to the row's total, the schools add up to 合计, boarders ≤ children), and asks
HiGHS (:func:`scipy.optimize.milp`) for each hidden cell's lowest and highest whole value. It shares no code
with ``bot.domain.suppression_audit`` on purpose: it checks it.
"""

from __future__ import annotations

import random

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from bot.domain.figures import MIN_SHOWN
from bot.domain.suppression import Suppressed, protect
from bot.services import registration as reg

COLUMN = {h: c for c, h in enumerate(reg.HEADER) if c}


def random_rows(rng: random.Random, schools: int = 5) -> list[reg._Row]:
    """One to ``schools`` schools, many of them small, each group's children spread unevenly, and the 合计 row."""
    rows = []
    for k in range(rng.randint(1, schools)):
        row = reg._Row(f"学校{k + 1}")
        row.total = rng.choice([rng.randint(0, 9), rng.randint(5, 40)])
        for group, columns in reg.GROUPS.items():
            weights = [rng.random() ** 3 for _ in columns]
            counts = [0] * len(columns)
            for _ in range(row.total):
                counts[rng.choices(range(len(columns)), weights)[0]] += 1
            for column, n in zip(columns, counts, strict=True):
                row.counts[f"{group}:{column}"] = n
        row.boarding = rng.randint(0, row.total)
        rows.append(row)
    total = reg._Row("合计")
    for row in rows:
        total.merge(row)
    return [*rows, total]


Cell = tuple[int, int]
"""(row, column) of the table after 单位: rows are the schools then 合计, column 1 is the total."""


def form_sums(n_rows: int) -> list[list[tuple[Cell, int]]]:
    """The form's equalities as (cell, coefficient) lists that sum to 0.

    Each group of columns adds up to its row's total; the schools add up to 合计 (the last of ``n_rows``).
    """
    sums = [[*[((r, COLUMN[f"{g}:{c}"]), 1) for c in cs], ((r, 1), -1)]
            for r in range(n_rows) for g, cs in reg.GROUPS.items()]
    last = n_rows - 1
    sums += [[*[((r, c), 1) for r in range(last)], ((last, c), -1)] for c in COLUMN.values()]
    return sums


def protect_alone(rows: list[reg._Row]) -> Suppressed:
    """What the table hid before the audit: ``protect()`` alone (sums and interval bounds, fix9c)."""
    values = {(r, c): n for r, row in enumerate(rows) for c, n in enumerate(row.values(), start=1)}
    return protect(values, form_sums(len(rows)), MIN_SHOWN,
                   at_most=[((r, COLUMN["寄宿"]), (r, 1)) for r in range(len(rows))])


def narrowed(rows: list[reg._Row], shown: list[list[object]]) -> list[tuple[Cell, int, tuple[int, int]]]:
    """The small hidden counts whose range :func:`attack` narrows inside their protection interval.

    Each ``<5`` of value v must keep v − 1 … v + 1 (within 1–4) open; a count read exactly is narrowed too.
    Returns (cell, true value, (lowest, highest) the attack found).
    """
    values = {(r, c): n for r, row in enumerate(rows) for c, n in enumerate(row.values(), start=1)}
    found = attack(shown)
    return [(cell, values[cell], (low, high)) for cell, (low, high) in found.items()
            if 0 < values[cell] < MIN_SHOWN
            and not (low <= max(1, values[cell] - 1) and high >= min(MIN_SHOWN - 1, values[cell] + 1))]


def attack(shown: list[list[object]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each hidden cell of the shown table (rows of cells after 单位) and its lowest and highest whole value."""
    cells = {(r, c): v for r, row in enumerate(shown) for c, v in enumerate(row[1:], start=1)}
    hidden = sorted(k for k, v in cells.items() if v in ("<5", "*"))
    index = {k: i for i, k in enumerate(hidden)}
    top = 1000
    low = [1 if cells[k] == "<5" else 0 for k in hidden]
    high = [4 if cells[k] == "<5" else top for k in hidden]
    sums = form_sums(len(shown))
    sums += [[((r, COLUMN["寄宿"]), 1), ((r, 1), -1)] for r in range(len(shown))]  # ≤ 0, not = 0
    matrix, lower, upper = [], [], []
    for n, eq in enumerate(sums):
        row = [0.0] * len(hidden)
        rest = 0
        for cell, a in eq:
            if cell in index:
                row[index[cell]] += a
            else:
                value = cells[cell]
                assert isinstance(value, int)
                rest += a * value
        if any(row):
            matrix.append(row)
            lower.append(-np.inf if n >= len(sums) - len(shown) else -rest)
            upper.append(-rest)
    constraints = [LinearConstraint(np.array(matrix), lower, upper)] if matrix else []
    found = {}
    for k, i in index.items():
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(hidden))
            objective[i] = sign
            result = milp(objective, integrality=np.ones(len(hidden)), constraints=constraints,
                          bounds=Bounds(low, high))
            assert result.x is not None, result.message
            ends.append(round(float(result.x[i])))
        found[k] = (ends[0], ends[1])
    return found
