"""Which ``<5`` labels must read ``*``: what "1–4" alone gives away across sums (fix9u).

A count of 1–4 shown to officials reads ``<5``, and the reader knows it is 1–4. Across a sum the labels narrow
each other whatever else is hidden: a town ``<5`` over two schools ``<5`` says neither is 4; a town ``<5`` over
four schools ``<5`` says each is 1. Only saying less mends that: a ``<5`` shown ``*`` (any count from 0).
Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence

from bot.domain.suppression import Equation, Suppressed
from bot.domain.suppression_audit import _Model

_Pairs = Sequence[tuple[Hashable, Hashable]]

def stars(values: dict[Hashable, int], equations: Sequence[Equation], minimum: int, small: set[Hashable],
          at_most: _Pairs, keeps: Callable[[_Model, Hashable, set[Hashable]], bool]) -> set[Hashable]:
    """The fewest ``<5`` (greedily) to show as ``*`` so that the labels alone give nothing away (fix9u).

    With every other cell hidden, the labels still tell something: a total ``<5`` over two parts ``<5`` says
    neither is 4; over four parts ``<5``, that each is 1. No cell hidden mends that; a ``*`` (any value from 0)
    does. Leak by leak, the ``<5`` of its sums whose ``*`` leaves the fewest leaks near it is relabelled (the
    larger count on a tie), until ``keeps(model, cell, labels)`` holds for every cell. A trial's tables hold
    for it alone; the chosen pattern's carry over (relabelling only lets more tables through).
    """
    starred: set[Hashable] = set()
    seen: tuple[dict[Hashable, int], dict[Hashable, int]] = ({}, {})

    def leaks(labels: set[Hashable], cells: Iterable[Hashable], keep: bool = False) -> list[Hashable]:
        nonlocal seen
        model = _Model(values, equations, Suppressed(frozenset(labels), frozenset(values) - labels), minimum,
                       at_most, seen)
        found = [c for c in sorted(cells, key=repr) if not keeps(model, c, labels)]
        seen = (model.seen_low, model.seen_high) if keep else seen
        return found

    for _ in range(len(small)):
        labels = small - starred
        found = leaks(labels, values, keep=True)
        if not found:
            break
        around = {c for eq in equations if found[0] in {x for x, _ in eq} for c, _ in eq}
        near = around | {c for eq in equations if around & {x for x, _ in eq} for c, _ in eq}
        candidates = sorted(around & labels, key=lambda c: (-values[c], repr(c)))
        if not candidates:
            break  # no <5 near it: nothing a label can mend
        starred.add(min(candidates, key=lambda c: len(leaks(labels - {c}, near))))
    return starred

