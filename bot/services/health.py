"""Signs of life: the workers' heartbeats and the health of delivery (issue 7 item 7).

Each long-lived part of a worker — the outbox sender, the escalator, the
scheduler's tick — writes a heartbeat row (:func:`beat`). :func:`check` reads
them with the age of the oldest urgent message still waiting and the schools
whose weekly check-ins got no answer at all, for ``/healthz``, ``guanai
status`` and the no-signal alarm (:mod:`bot.services.no_signal`).
"""

from __future__ import annotations

import itertools
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import Priority
from bot.messages.prompt import N_
from bot.services.ports import UowFactory
from bot.store.models import Checkin, Child, OutboxMessage, WorkerHeartbeat

ROLES = ("sender", "escalator", "scheduler")
BEAT_EVERY = timedelta(seconds=15)
"""How often a busy loop writes its heartbeat (an idle one wakes at least every minute)."""

URGENT_LATE = timedelta(minutes=1)
"""An urgent message still waiting this long after it was due: the alarm rings."""

FORGET_AFTER = timedelta(days=1)
"""A worker silent this long is taken as removed, not as stalled."""

CHECKIN_SILENCE = timedelta(hours=40)
"""Friday 18:00 to Sunday 10:00: a school whose check-ins of the week got no answer at all by then."""

STALE_WORKER = N_("The {role} of worker {worker} gave no sign of life for {seconds} s.")
URGENT_WAITING = N_("An urgent message has waited {seconds} s to be sent.")
SCHOOL_SILENT = N_("No guardian of school #{school} has answered this week's check-in ({count} sent).")
"""Said by ``guanai status`` (not a failure of the health check: the admins are told)."""


_instances = itertools.count(1)


def worker_name(role: str) -> str:
    """``<host>:<pid>:<role>`` (``:<n>`` for a further one in the same process): one row per running part."""
    n = next(_instances)
    return f"{socket.gethostname()}:{os.getpid()}:{role}" + (f":{n}" if n > 1 else "")


def beat(uow_factory: UowFactory, *, worker: str, role: str, now: datetime, started_at: datetime,
         progress_at: datetime | None = None, detail: dict[str, Any] | None = None) -> None:
    """Write ``worker``'s heartbeat (one short transaction)."""
    with uow_factory() as uow:
        s = uow.session
        row = s.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.worker == worker))
        if row is None:
            row = WorkerHeartbeat(worker=worker, role=role, started_at=started_at, beat_at=now, detail={})
            s.add(row)
        row.beat_at = now
        row.progress_at = progress_at or row.progress_at
        row.detail = detail or {}
        uow.commit()


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a message id of this module and its parameters (ids and numbers only)."""

    message_id: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Part:
    """The newest heartbeat of one part of one worker."""

    worker: str
    role: str
    beat_at: datetime
    progress_at: datetime | None
    detail: dict[str, Any]


@dataclass
class Health:
    """What :func:`check` found.

    Attributes:
        checked_at: when (UTC).
        parts: the workers' parts heard from in the last day.
        oldest_urgent_due: ``not_before`` of the oldest urgent message still waiting, or None.
        silent_schools: school id → check-ins sent this week, none answered.
        waiting_for_person: messages waiting for the person to write (WeChat's 48-hour window closed
            and no template; not a problem: they go when the person writes).
        problems: what makes the health check fail (a silent school does not: it is the
            school's matter, told to its admins by :mod:`bot.services.no_signal`).
    """

    checked_at: datetime
    parts: list[Part] = field(default_factory=list)
    oldest_urgent_due: datetime | None = None
    silent_schools: dict[int, int] = field(default_factory=dict)
    waiting_for_person: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of ``/healthz`` (ages in seconds)."""
        now = self.checked_at

        def age(when: datetime | None) -> float | None:
            return None if when is None else round((now - when).total_seconds(), 1)

        return {
            "status": "ok" if self.ok else "failing",
            "workers": [{"worker": p.worker, "role": p.role, "beat_age_s": age(p.beat_at),
                         "progress_age_s": age(p.progress_at), **p.detail} for p in self.parts],
            "oldest_urgent_age_s": age(self.oldest_urgent_due),
            "waiting_for_person": self.waiting_for_person,
            "silent_schools": [{"school": school, "checkins": n} for school, n in sorted(self.silent_schools.items())],
            "problems": [{"problem": p.message_id, **p.params} for p in self.problems],
        }


def check_silent_schools(s: Session, *, now: datetime) -> dict[int, int]:
    """Schools whose check-ins sent 40 h to 7 days ago got no answer at all: school id → how many were sent."""
    return {school: count for school, (count, _last) in silent_rounds(s, now=now).items()}


def silent_rounds(s: Session, *, now: datetime) -> dict[int, tuple[int, datetime]]:
    """:func:`check_silent_schools` with the time the last of those check-ins was sent.

    The last sending names the silent round (the no-signal alarm's key): the
    same unanswered check-ins stay in the 7-day window into the next week, and
    are still one incident then.
    """
    silent: dict[int, tuple[int, datetime]] = {}
    for school, sent, got, last in s.execute(
        select(Child.school_id, func.count(Checkin.id), func.count(Checkin.answered_at), func.max(Checkin.sent_at))
        .join(Child, Child.id == Checkin.child_id)
        .where(Checkin.sent_at > now - timedelta(days=7), Checkin.sent_at <= now - CHECKIN_SILENCE,
               Checkin.cancelled_at.is_(None))
        .group_by(Child.school_id)
    ):
        if sent and not got:
            silent[school] = (sent, _utc(last))
    return silent


def _utc(value: object) -> datetime:
    """An aggregate's datetime: SQLite returns ``MAX(...)`` as text without the column's type (UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def stale_after(role: str, settings: Settings) -> timedelta:
    """How long a part may stay silent: a minute's idle sleep plus margin; the tick: three intervals."""
    if role == "scheduler":
        return max(timedelta(seconds=3 * settings.tick_seconds), timedelta(minutes=2))
    return timedelta(seconds=150)


def check(uow_factory: UowFactory, *, now: datetime, settings: Settings) -> Health:
    """The health of delivery at ``now`` (read-only)."""
    health = Health(checked_at=now)
    with uow_factory() as uow:
        s = uow.session
        for row in s.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.beat_at > now - FORGET_AFTER)
                             .order_by(WorkerHeartbeat.role, WorkerHeartbeat.worker)):
            health.parts.append(Part(row.worker, row.role, row.beat_at, row.progress_at, dict(row.detail or {})))
        health.oldest_urgent_due = s.scalar(
            select(func.min(OutboxMessage.not_before)).where(
                OutboxMessage.priority == Priority.URGENT.value, OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None),
                OutboxMessage.not_before <= now))
        health.silent_schools = check_silent_schools(s, now=now)
        health.waiting_for_person = s.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.waiting_since.is_not(None), OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None))) or 0
    newest: dict[str, Part] = {}
    for part in health.parts:
        if part.role not in newest or part.beat_at > newest[part.role].beat_at:
            newest[part.role] = part
    for role, part in sorted(newest.items()):
        # Per role, not per worker: a restarted worker leaves its old row behind, and one live
        # sender (escalator, scheduler) is enough for the messages to flow.
        silent = now - part.beat_at
        if silent > stale_after(role, settings):
            health.problems.append(Problem(STALE_WORKER, {"role": role, "worker": part.worker,
                                                          "seconds": int(silent.total_seconds())}))
    if health.oldest_urgent_due is not None and now - health.oldest_urgent_due > URGENT_LATE:
        waited = int((now - health.oldest_urgent_due).total_seconds())
        health.problems.append(Problem(URGENT_WAITING, {"seconds": waited}))
    return health
