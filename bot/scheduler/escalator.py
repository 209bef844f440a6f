"""The escalator: acts on incident steps when they fall due, not at the next tick.

A long-lived task beside the outbox sender (DESIGN.md, "Escalation"). It
sleeps until the earliest ``next_action_at`` of an open incident's
unacknowledged step (``bot.services.incident_due``), is woken at once by a
commit that wrote outbox rows (a report or an acknowledgement changes the
plan; other workers' through PostgreSQL ``LISTEN``) and runs the escalation in
its own short transaction, off the event loop. The tick's planning (check-ins,
digests, the calendar) therefore never sits in front of a due step, and the
outbox sender sends what it enqueues at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.clock import Clock
from bot.scheduler.heartbeat import Heartbeat
from bot.scheduler.outbox_sender import WakeSource
from bot.services import incident_due
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0
"""Longest sleep without a wake-up (a lost notification, a step planned by a tick)."""

RECHECK_SECONDS = 0.5
"""Sleep when a due step is still due after a run (another worker holds its incident's lock)."""

ERROR_PAUSE_SECONDS = 2.0


class Escalator:
    """Runs the incident chain on time, until :meth:`stop`.

    Args:
        uow_factory: units of work.
        clock: UTC clock (a manual one in tests: :meth:`wake` after moving it).
        subscribe: registers a listener for this process's outbox commits; returns the unsubscriber.
        wake_sources: further sources of wake-ups (PostgreSQL ``LISTEN``).
        idle_seconds: longest sleep without a wake-up.

    Attributes:
        actions: actions taken since the start.
        last_progress: when the loop last looked (UTC), for the health check.
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, *,
                 subscribe: Callable[[Callable[[], None]], Callable[[], None]] | None = None,
                 wake_sources: tuple[WakeSource, ...] = (), idle_seconds: float = IDLE_SECONDS) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.subscribe = subscribe
        self.wake_sources = wake_sources
        self.idle_seconds = idle_seconds
        self.actions = 0
        self.last_progress: datetime | None = None
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self.heartbeat = Heartbeat(uow_factory, clock, "escalator")

    def wake(self) -> None:
        """Look at the chain now. Safe from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._event.set)

    def stop(self) -> None:
        """End :meth:`run` (after the transaction in progress)."""
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        """Escalate on time until :meth:`stop`."""
        self._loop = asyncio.get_running_loop()
        unsubscribe = self.subscribe(self.wake) if self.subscribe is not None else None
        sources: list[asyncio.Task[None]] = [asyncio.create_task(source(self.wake)) for source in self.wake_sources]
        try:
            while not self._stopping:
                self._event.clear()
                try:
                    delay = await self._once()
                except Exception:  # the database is away: pause, never die
                    log.exception("escalator: escalation failed")
                    delay = ERROR_PAUSE_SECONDS
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._event.wait(), timeout=delay)
        finally:
            if unsubscribe is not None:
                unsubscribe()
            for task in sources:
                task.cancel()

    async def _once(self) -> float:
        """Act on what is due now; returns how long to sleep."""
        now = self.clock.now()
        actions = await asyncio.to_thread(incident_due.escalate_due, self.uow_factory, now=now)
        self.last_progress = now
        await self.heartbeat(now, {"actions": self.actions + actions})
        if actions:
            self.actions += actions
            log.info("escalator: %d actions", actions)
        next_at = await asyncio.to_thread(incident_due.next_escalation_at, self.uow_factory)
        if next_at is None:
            return self.idle_seconds
        wait = (next_at - self.clock.now()).total_seconds()
        if wait <= 0:
            return RECHECK_SECONDS if next_at <= now else 0.0
        return min(wait, self.idle_seconds)
