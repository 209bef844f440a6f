"""The scheduler tick and its APScheduler job.

APScheduler only wakes :func:`tick`; every due item lives in the database
with an idempotency key (DESIGN.md), so a late, repeated or concurrent tick
neither loses nor repeats anything. The job therefore runs however late it is
(``misfire_grace_time=None``, never APScheduler's 1 s default), collapses a
backlog of missed runs into one (``coalesce=True``) and never overlaps itself
(``max_instances=1``).

The scheduler is given what it needs — the unit-of-work factory, the clock,
the settings and the senders — by the composition root (``bot.bootstrap``);
it knows no container.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.domain.clock import Clock
from bot.scheduler.heartbeat import Heartbeat
from bot.services import (
    binding_expiry,
    checkins,
    digests,
    family_news,
    incident_escalation,
    incident_unsent,
    meetings,
    no_signal,
    planning,
    plans,
    programme,
    programme_tasks,
    retention,
    school_year,
    urgent_escalation,
)
from bot.services.delivery import DrainStats, drain_outbox
from bot.services.ports import MediaStore, Sender, UnitOfWork, UowFactory

log = logging.getLogger(__name__)

TICK_JOB_ID = "guanai-tick"
Timer = tuple[str, Callable[[], int]]
"""A conversation's timed step (name, run): given by the composition root, which knows the flow runner."""
# How long a thread may hold the GIL while another waits (CPython's default: 5 ms). With the planners
# busy in one worker thread and a chat reply in another, the event loop waited several turns of 5 ms
# behind them; at 1 ms its turn comes sooner (issue 7, item 5: the loop never stalls 100 ms).
SWITCH_INTERVAL = 0.001
_SETTLED = False  # settle_startup_objects ran in this process


@dataclass
class TickReport:
    """What one tick did.

    Attributes:
        counts: service name → what it returned (number of actions).
        errors: names of the services that raised (logged with traceback).
        drain: the outbox drain's counts, or None when it raised.
    """

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    drain: DrainStats | None = None


def _run_step(uow_factory: UowFactory, name: str, step: Callable[[UnitOfWork], int],
              report: TickReport) -> None:
    """Run one service in its own transaction; a failure rolls back that service only."""
    try:
        with uow_factory() as uow:
            report.counts[name] = int(step(uow) or 0)
            uow.commit()
    except Exception:
        report.errors.append(name)
        log.exception("scheduler step %s failed", name)


def _calendar_steps(uow_factory: UowFactory, now: datetime, settings: Settings, report: TickReport) -> None:
    """The care programme's calendar (issue 8): the holiday-data warning, planning, reminders, monthly news."""
    _run_step(uow_factory, "warn_missing_holiday_data",
              lambda uow: school_year.warn_missing_holiday_data(uow, now=now, timezone=settings.timezone), report)
    _run_batched(uow_factory, "plan_programme",  # once a day for all schools, in batches of schools
                 lambda uow, ids: programme.plan_programme(uow, now=now, timezone=settings.timezone, school_ids=ids),
                 report, once=(programme.day_marker(now, settings.timezone), now))
    _run_step(uow_factory, "remind_programme",
              lambda uow: programme_tasks.remind_programme(uow, now=now, settings=settings), report)
    _run_batched(uow_factory, "draft_monthly_news",  # issue 8, item 5: last month's news, once a month per school
                 lambda uow, ids: family_news.draft_monthly_news(uow, now=now, settings=settings, school_ids=ids),
                 report)
    _run_step(uow_factory, "remind_meetings",  # issue 8, item 7: the day before, and attendance afterwards
              lambda uow: meetings.remind_meetings(uow, now=now, default_tz=settings.timezone), report)
    _run_step(uow_factory, "remind_plan_reviews",  # individual education plans (issue 9, item 3)
              lambda uow: plans.remind_reviews(uow, now=now, settings=settings), report)


def _run_batched(uow_factory: UowFactory, name: str, step: Callable[[UnitOfWork, Sequence[int]], int],
                 report: TickReport, once: tuple[str, datetime] | None = None, workers: int = 1) -> None:
    """Run a planner over the schools in batches, each batch its own short transaction (``bot.services.planning``)."""
    try:
        total, failed = planning.plan_in_batches(uow_factory, step, once=once, workers=workers)
    except Exception:  # listing the schools failed: nothing was planned
        report.errors.append(name)
        log.exception("scheduler step %s failed", name)
        return
    report.counts[name] = total
    if failed:
        report.errors.append(name)
        log.error("scheduler step %s failed for %s batch(es) of schools", name, failed)


def _database_steps(uow_factory: UowFactory, now: datetime, settings: Settings, report: TickReport,
                    escalate: bool, media: MediaStore | None, timers: Sequence[Timer] = ()) -> None:
    """The tick's services, in order, each in its own transaction(s); runs in a worker thread."""
    for name, timer in timers:  # the conversations' timed steps (a "which child?" left unanswered: fix6w)
        try:
            report.counts[name] = timer()
        except Exception:
            report.errors.append(name)
            log.exception("scheduler step %s failed", name)
    _run_batched(uow_factory, "plan_checkins",
                 lambda uow, ids: checkins.plan_checkins(uow, now=now, settings=settings, school_ids=ids), report,
                 workers=planning.CHECKIN_WORKERS_POSTGRES)  # disjoint rows per batch: two at once on PostgreSQL
    _run_step(uow_factory, "remind_checkins",
              lambda uow: checkins.remind_checkins(uow, now=now, settings=settings), report)
    if escalate:
        _run_step(uow_factory, "run_escalations",
                  lambda uow: incident_escalation.run_escalations(uow, now=now), report)
        _run_step(uow_factory, "urgent_messages",  # an URGENT family message nobody answered (issue 6)
                  lambda uow: urgent_escalation.run_due(uow, now=now), report)
    _run_step(uow_factory, "remind_unsent_incidents",  # an emergency report left unconfirmed (fig9d)
              lambda uow: incident_unsent.remind_unsent(uow, now=now), report)
    _run_batched(uow_factory, "plan_digests",
                 lambda uow, ids: digests.plan_digests(uow, now=now, settings=settings, school_ids=ids), report)
    _calendar_steps(uow_factory, now, settings, report)
    _run_step(uow_factory, "expire_bindings",  # once a day: the service keeps a daily marker
              lambda uow: binding_expiry.expire_bindings(uow, now=now, settings=settings), report)
    _run_step(uow_factory, "purge_expired",  # once a day: the service keeps a daily marker
              lambda uow: retention.purge(uow, now=now, settings=settings, media=media), report)
    _run_step(uow_factory, "no_signal",  # the school admins hear of messages that do not get through
              lambda uow: no_signal.raise_alarms(uow, now=now, settings=settings), report)


async def tick(uow_factory: UowFactory, clock: Clock, settings: Settings, senders: Mapping[str, Sender], *,
               drain: bool = True, escalate: bool = True, media: MediaStore | None = None,
               timers: Sequence[Timer] = ()) -> TickReport:
    """Wake every service once: check-ins, reminders, escalations, digests, binding expiry, then drain the outbox.

    Each service runs in its own transaction with the time read from
    ``clock``; an exception is logged and the next service still runs, so one
    broken service never stops the scheduler. The drain runs last so messages
    planned in this tick go out in it; with a running outbox sender
    (``guanai run``: :mod:`bot.scheduler.outbox_sender`) the tick does not
    drain, the sender is woken by the tick's commits.

    Args:
        uow_factory: units of work on the database.
        clock: UTC clock (the demo's and the tests' move on command).
        settings: quiet hours, check-in moment, default zone and locale.
        senders: channel name → sender, for the drain.
        drain: send the ready outbox rows at the end (False when an outbox sender runs).
        escalate: run the incident chain (False when the escalator runs:
            :mod:`bot.scheduler.escalator` acts on each step when it falls due).
        media: the media folder, where the retention purge deletes erased children's letter photos.
        timers: the conversations' timed steps, run first, each on its own (:data:`Timer`).
    """
    report = TickReport()
    now = clock.now()
    # Every step is database work, some of it city-sized: in a worker thread, never on the event
    # loop, so chat replies and the outbox sender go on meanwhile (issue 7, item 5).
    await asyncio.to_thread(_database_steps, uow_factory, now, settings, report, escalate, media, timers)
    await Heartbeat(uow_factory, clock, "scheduler")(now, {"errors": len(report.errors)}, force=True)
    if not drain:
        return report
    try:
        report.drain = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    except Exception:
        report.errors.append("drain_outbox")
        log.exception("scheduler step drain_outbox failed")
    return report


def settle_startup_objects() -> None:
    """Collect once, then move every object alive after start-up out of the garbage collector's sight.

    Issue 7, item 5: most of the event loop's longest stall during a city's
    Friday tick was the cyclic collector walking the start-up objects (modules,
    the ORM's mappings, catalogs) again and again while the planners allocate
    in a worker thread — a full collection holds the GIL for hundreds of
    milliseconds. They live as long as the process, so they are frozen
    (``gc.freeze``) after one collection. The interpreter's switch interval is
    shortened too (:data:`SWITCH_INTERVAL`). Call this after start-up and
    before the scheduler starts (a second call does nothing: a process that serves
    again, as the tests do, must not freeze its garbage).
    """
    global _SETTLED
    if _SETTLED:
        return
    _SETTLED = True
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)


def make_scheduler(uow_factory: UowFactory, clock: Clock, settings: Settings, senders: Mapping[str, Sender],
                   *, drain: bool = True, escalate: bool = True, media: MediaStore | None = None,
                   timers: Sequence[Timer] = (), **scheduler_kwargs: Any) -> AsyncIOScheduler:
    """An ``AsyncIOScheduler`` (APScheduler 3.11) with the tick as an interval job; not started.

    The job runs every ``settings.tick_seconds`` from start-up, with
    ``misfire_grace_time=None`` (run however late: a late escalation must
    still be sent), ``coalesce=True`` and ``max_instances=1``. Call
    ``.start()`` inside a running asyncio loop and ``.shutdown()`` on exit.

    Args:
        uow_factory: see :func:`tick`.
        clock: see :func:`tick`.
        settings: see :func:`tick`; ``tick_seconds`` is the interval.
        senders: see :func:`tick`.
        drain: see :func:`tick`.
        escalate: see :func:`tick`.
        media: see :func:`tick`.
        timers: see :func:`tick`.
        scheduler_kwargs: passed to ``AsyncIOScheduler`` (e.g. ``event_loop``).
    """
    scheduler = AsyncIOScheduler(timezone=UTC, **scheduler_kwargs)
    scheduler.add_job(
        tick,
        "interval",
        seconds=settings.tick_seconds,
        args=(uow_factory, clock, settings, senders),
        kwargs={"drain": drain, "escalate": escalate, "media": media, "timers": tuple(timers)},
        id=TICK_JOB_ID,
        name="guanai tick",
        misfire_grace_time=None,
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),  # first tick at start-up, not one interval later
        replace_existing=True,
    )
    return scheduler
