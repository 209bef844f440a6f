"""The outbox sender: a long-lived task that drains the outbox continuously.

It is not part of the scheduler's tick (DESIGN.md, "Outbox"): it is woken at
once when a transaction that wrote outbox rows commits (this process: the
unit of work's commit signal; other workers: PostgreSQL ``LISTEN/NOTIFY``,
wired by ``bot.bootstrap``) and otherwise sleeps until the earliest pending
row becomes ready (``bot.services.outbox_claims.next_ready_at``).

Several sends are in flight at once (``settings.send_concurrency``), so a
platform's latency of 100–300 ms per call still allows its full rate; the
channel's pacer keeps the platform's limits. Urgent rows have their own lane:
``settings.urgent_reserved`` slots are never given to bulk rows, so an alert
waits at most for the pacer, never behind a bulk send. Rows are claimed only
when a slot is free and with a short lease, so a worker that stops holds at
most the rows it was sending.

Claims are gathered: a slot freed by a finished send does not claim at once
while most slots are still busy; the sender claims when a quarter of the bulk
lane is free, when :data:`CLAIM_GAP_SECONDS` passed since its last claim, or
at once when something was committed (an alert). A claim is a transaction
with a fixed cost (the head of the queue, busy recipients, zones), so one
claim per message cost more CPU than the send itself (``benchmarks.delivery``,
README); the rows claimed in between stay unleased, as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from bot.config import Settings
from bot.domain.clock import Clock
from bot.scheduler.heartbeat import Heartbeat
from bot.scheduler.wakeloop import Subscribe, WakeLoop, WakeSource
from bot.services import outbox_claims
from bot.services.delivery import DrainStats, deliver
from bot.services.outbox_claims import Claimed
from bot.services.ports import Sender, UowFactory

log = logging.getLogger(__name__)

__all__ = ["OutboxSender", "WakeSource"]

IDLE_SECONDS = 60.0
"""Longest sleep without a wake-up: a lost notification costs at most this much."""

CLAIM_GAP_SECONDS = 0.1
"""Longest a freed slot waits for others before it is filled anyway (at 29 msg/s: about three sends)."""

BUSY_POLL_SECONDS = 0.5
"""Sleep when ready rows wait for a free slot or for their recipient's row in flight on another worker."""


class OutboxSender(WakeLoop):
    """Sends outbox rows as they become ready, until :meth:`stop` (the loop: ``bot.scheduler.wakeloop``).

    Args:
        uow_factory: units of work.
        senders: channel name → sender (shared with nothing else but the channel's pacer).
        clock: UTC clock (a manual one in tests: :meth:`wake` after moving it).
        settings: lanes (``send_concurrency``, ``urgent_reserved``), lease, deadline, quiet hours.
        subscribe: registers a listener for this process's outbox commits and returns the
            function that removes it (``UnitOfWorkFactory.outbox_committed.subscribe``).
        wake_sources: further sources of wake-ups, run alongside (PostgreSQL ``LISTEN``).
        idle_seconds: longest sleep without a wake-up.
        monotonic: the clock of :data:`CLAIM_GAP_SECONDS` (seconds).

    Attributes:
        stats: what was sent since the start (counts of rows).
        last_progress: when the loop last claimed or found nothing to claim (UTC); for the health check.
    """

    failure = "outbox sender: claiming failed"

    def __init__(self, uow_factory: UowFactory, senders: Mapping[str, Sender], clock: Clock, settings: Settings,
                 *, subscribe: Subscribe | None = None,
                 wake_sources: tuple[WakeSource, ...] = (), idle_seconds: float = IDLE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(subscribe=subscribe, wake_sources=wake_sources, idle_seconds=idle_seconds)
        self.uow_factory = uow_factory
        self.senders = senders
        self.clock = clock
        self.settings = settings
        self.stats = DrainStats()
        self.last_progress: datetime | None = None
        self._in_flight: dict[asyncio.Task[None], bool] = {}  # task → urgent
        self.heartbeat = Heartbeat(uow_factory, clock, "sender")
        self._monotonic = monotonic
        self._news = True  # woken by a commit (or a timeout): claim at once, whatever is free
        self._last_claim = 0.0  # monotonic

    @property
    def in_flight(self) -> int:
        """Sends in progress."""
        return len(self._in_flight)

    # --------------------------------------------------------------------- loop
    def wake(self) -> None:
        """Look now, and claim at once (a commit, a wake source, a test that moved the clock)."""
        self._news = True
        super().wake()

    async def _step(self) -> float | None:
        news, self._news = self._news, False
        free = self.settings.send_concurrency - len(self._in_flight)
        gathering = self._gathering(free, news)
        if gathering is None and await self._fill():
            return None  # maybe more slots and rows
        if free <= 0 or gathering is not None:
            # A finished send wakes the loop (_done): nothing to look up until then.
            return self.idle_seconds if gathering is None else gathering
        self._news = True  # after this sleep (woken or not), claim whatever is free
        return await self._idle_delay()

    def _gathering(self, free: int, news: bool) -> float | None:
        """Seconds to wait for more free bulk slots before claiming (None: claim now); see the module doc."""
        if news or free <= 0:
            return None
        bulk_lane = self.settings.send_concurrency - min(self.settings.urgent_reserved,
                                                         self.settings.send_concurrency - 1)
        bulk_free = bulk_lane - sum(1 for is_urgent in self._in_flight.values() if not is_urgent)
        waited = self._monotonic() - self._last_claim
        if bulk_free >= max(1, bulk_lane // 4) or waited >= CLAIM_GAP_SECONDS:
            return None
        return CLAIM_GAP_SECONDS - waited

    async def _finish(self) -> None:
        """Wait for the sends in flight (each bounded by the call deadline); cancel what still runs, and wait.

        A cancelled send waits for its database work to end (``bot.store.threads.run_sync``), so when
        this returns no thread of this sender still holds a connection.
        """
        if not self._in_flight:
            return
        tasks = list(self._in_flight)
        _done, pending = await asyncio.wait(tasks, timeout=self.settings.send_deadline_seconds + 5)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("outbox sender: %d sends cancelled at stop", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    async def _fill(self) -> bool:
        """Claim rows for the free slots (urgent lane first); returns whether any were claimed."""
        total = self.settings.send_concurrency
        reserved = min(self.settings.urgent_reserved, total - 1)
        free = total - len(self._in_flight)
        self.last_progress = self.clock.now()
        await self.heartbeat(self.last_progress, {"in_flight": len(self._in_flight), "sent": self.stats.sent,
                                                  "retried": self.stats.retried, "failed": self.stats.failed})
        if free <= 0:
            return False
        bulk_in_flight = sum(1 for is_urgent in self._in_flight.values() if not is_urgent)
        bulk_free = min(free, total - reserved - bulk_in_flight)
        self._last_claim = self._monotonic()
        claimed, deferred = await asyncio.to_thread(
            outbox_claims.claim, self.uow_factory, now=self.clock.now(), settings=self.settings, limit=free,
            lease=timedelta(seconds=self.settings.claim_lease_seconds), one_per_person=True, bulk_limit=bulk_free,
            person_gap=timedelta(seconds=self.settings.recipient_gap_seconds))
        self.stats.deferred += deferred
        for row in claimed:
            self._launch(row)
        return bool(claimed)

    def _launch(self, row: Claimed) -> None:
        task = asyncio.create_task(deliver(self.uow_factory, row.row_id, self.senders, now=self.clock.now(),
                                           settings=self.settings, stats=self.stats, repeat=row.repeat,
                                           clock=self.clock, claims=row.claims))
        self._in_flight[task] = row.urgent
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.pop(task, None)
        WakeLoop.wake(self)  # a slot is free, and the recipient may have a next row (claimed with others)

    async def _idle_delay(self) -> float:
        now = self.clock.now()
        ready_at = await asyncio.to_thread(outbox_claims.next_ready_at, self.uow_factory, now=now)
        if ready_at is None:
            return self.idle_seconds
        wait = (ready_at - now).total_seconds()
        if wait <= 0:
            return BUSY_POLL_SECONDS  # ready but not claimable now: a slot or the recipient's row in flight
        return min(wait, self.idle_seconds)
