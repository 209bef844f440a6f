"""A worker part's heartbeat, written at most every ``BEAT_EVERY`` (``bot.services.health``)."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

from bot.domain.clock import Clock
from bot.services import health
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)


class Heartbeat:
    """Writes one part's heartbeat row; never raises (a database hiccup must not stop the loop).

    Args:
        uow_factory: units of work.
        clock: the clock whose time is written (the health check compares with the same clock).
        role: ``sender``, ``escalator`` or ``scheduler``.
        worker: the row's name; default ``<host>:<pid>:<role>``.
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, role: str, worker: str | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.role = role
        self.worker = worker or health.worker_name(role)
        self.started_at: datetime | None = None
        self._last = float("-inf")

    async def __call__(self, progress_at: datetime | None, detail: dict[str, Any] | None = None, *,
                       force: bool = False) -> None:
        """Write the beat unless one was written less than ``BEAT_EVERY`` ago (``force``: anyway)."""
        if not force and time.monotonic() - self._last < health.BEAT_EVERY.total_seconds():
            return
        self._last = time.monotonic()
        now = self.clock.now()
        self.started_at = self.started_at or now
        try:
            await asyncio.to_thread(health.beat, self.uow_factory, worker=self.worker, role=self.role, now=now,
                                    started_at=self.started_at, progress_at=progress_at, detail=detail)
        except Exception:  # noqa: BLE001 — logged; the next beat tries again
            log.warning("heartbeat of %s could not be written", self.role, exc_info=True)
