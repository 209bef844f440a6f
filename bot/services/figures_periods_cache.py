"""The suppression pattern decided over a school year's grid, kept for the next report of the same figures.

Deciding the pattern (:mod:`bot.services.figures_periods_audit`) solves integer programs for every figure of
the grid: seconds for three schools, and it was done again at every official's page view, for every period of
the same school year. The pattern is a pure function of the grid — the official's scope (its schools and
towns), the periods and their pieces, and every figure of every (school, piece) — so it is kept under exactly
that key. The key *is* the data version: the figures are read from the records at each report (the cheap
part), so a record added, changed in place (a step acknowledged, a task done: the tables have no
``updated_at`` a fingerprint could read) or a deadline passed by the clock changes the key, and the pattern is
decided again. A key on a count or a largest id of the tables would miss the changes in place and pair an
old pattern with new figures, which is how a small count would leak; this one cannot.

Kept in the process (a few dozen grids, least recently used out first); each process decides its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

SIZE = 32
"""Grids kept: a county's officials ask about a few school years and scopes at a time."""

Pattern = tuple[Mapping[str, frozenset[Hashable]], Mapping[str, frozenset[Hashable]]]
"""The hidden cells of each count and each rate of work (``figures_periods_audit.protect``)."""

_kept: OrderedDict[Hashable, Pattern] = OrderedDict()
_lock = threading.Lock()


def key_of(level: Any, units: Any, keys: Any, parts: Mapping[Any, Any],
           figures_of: Mapping[Any, Mapping[str, int]]) -> Hashable:
    """The grid's key: scope, periods, pieces and every figure, as one hashable value."""
    return (level, tuple(units), tuple(keys), tuple(sorted((k, tuple(v)) for k, v in parts.items())),
            tuple(sorted((cell, tuple(sorted(figures.items()))) for cell, figures in figures_of.items())))


def get(key: Hashable) -> Pattern | None:
    """The pattern decided for ``key`` before, if still kept."""
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
        return found


def put(key: Hashable, pattern: Pattern) -> None:
    """Keep ``pattern`` for ``key``; the least recently used grid goes past :data:`SIZE`."""
    with _lock:
        _kept[key] = pattern
        _kept.move_to_end(key)
        while len(_kept) > SIZE:
            _kept.popitem(last=False)


def clear() -> None:
    """Forget every pattern (tests, benchmarks)."""
    with _lock:
        _kept.clear()
