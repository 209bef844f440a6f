"""Who in this process is waiting for SQLite's write lock (issue 7, item 5).

Every SQLite transaction starts with ``BEGIN IMMEDIATE`` (``bot.store.db``),
which waits on the busy timeout while another connection writes. A city's
planner (``bot.services.planning``) leaves a short gap between its batches
so that a waiting transaction (a chat reply, the outbox sender) takes the
lock; it asks :func:`waiting` whether anyone is, instead of pausing after
every batch.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_waiting = 0
_lock = threading.Lock()


@contextlib.contextmanager
def starting() -> Iterator[None]:
    """Around ``BEGIN IMMEDIATE``: counted as waiting until the lock is taken (or the attempt fails)."""
    global _waiting
    with _lock:
        _waiting += 1
    try:
        yield
    finally:
        with _lock:
            _waiting -= 1


def waiting() -> int:
    """How many of this process's SQLite transactions are starting now, most of them waiting for the lock."""
    return _waiting
