"""Commit signals: wake the outbox sender when a transaction that wrote outbox rows commits.

A use case marks its session with :func:`mark_outbox_written` when it
enqueues a message (``bot.services.outbox``). When that unit of work commits
(``bot.store.uow.UnitOfWork.commit``), the other workers hear of it through
PostgreSQL ``NOTIFY`` (sent inside the transaction, so it is delivered on
commit and never for a rolled-back one) and this process's listeners are
called at once (the sender's thread-safe ``wake``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

OUTBOX_WRITTEN = "guanai.outbox_written"
"""``Session.info`` key set while the transaction holds new outbox rows."""

NOTIFY_CHANNEL = "guanai_outbox"
"""The PostgreSQL ``LISTEN``/``NOTIFY`` channel of committed outbox rows."""


def mark_outbox_written(session: Session) -> None:
    """Note that this session's transaction wrote outbox rows (its commit wakes the senders)."""
    session.info[OUTBOX_WRITTEN] = True


class CommitSignal:
    """Listeners called after a commit that wrote outbox rows; callable from any thread.

    A listener must be quick and must not raise (the sender's ``wake`` only
    schedules an event on its loop); a listener that raises is logged and the
    others are still called.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after each such commit; returns the function that unsubscribes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def fire(self) -> None:
        """Call every listener (after the commit)."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:  # a listener must never fail the use case that committed
                log.exception("outbox commit listener failed")
