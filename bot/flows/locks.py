"""Per-chat locks of the flow runner: one update at a time per (channel, account)."""

from __future__ import annotations

import threading
import weakref


class AccountLocks:
    """One lock per (channel, account): one update at a time per person here (held weakly: idle ones cost nothing)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[tuple[str, str], threading.Lock] = weakref.WeakValueDictionary()

    def get(self, key: tuple[str, str]) -> threading.Lock:
        """The lock of one (channel, account); hold a reference while it is used."""
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock
