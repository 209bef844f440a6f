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
import logging
from datetime import datetime

from bot.domain.clock import Clock
from bot.scheduler.heartbeat import Heartbeat
from bot.scheduler.wakeloop import Subscribe, WakeLoop, WakeSource
from bot.services import incident_due
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0
"""Longest sleep without a wake-up (a lost notification, a step planned by a tick)."""

RECHECK_SECONDS = 0.5
"""Sleep when a due step is still due after a run (another worker holds its incident's lock)."""


class Escalator(WakeLoop):
    """Runs the incident chain on time, until :meth:`stop` (the loop: ``bot.scheduler.wakeloop``).

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

    failure = "escalator: escalation failed"

    def __init__(self, uow_factory: UowFactory, clock: Clock, *, subscribe: Subscribe | None = None,
                 wake_sources: tuple[WakeSource, ...] = (), idle_seconds: float = IDLE_SECONDS) -> None:
        super().__init__(subscribe=subscribe, wake_sources=wake_sources, idle_seconds=idle_seconds)
        self.uow_factory = uow_factory
        self.clock = clock
        self.actions = 0
        self.last_progress: datetime | None = None
        self.heartbeat = Heartbeat(uow_factory, clock, "escalator")

    async def _step(self) -> float:
        return await self._once()

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
