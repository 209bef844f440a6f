"""Claiming outbox rows: short leases, urgent and bulk lanes, one row in flight per recipient.

A claim is a lease (``claimed_until``): the claim query uses ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL and a guarded update, so two workers never hold one
row; a worker that dies mid-send lets its lease run out and the row is tried
again (at most once more for the one call that was in flight: ``claims``
counts leases, and a row claimed again without an outcome in between is sent
marked as a possible repeat, ``bot.services.delivery``).

The sender (``bot.scheduler.outbox_sender``) claims a few rows at a time, only
as many as it has free send slots, so what was never attempted is never held
by a lease; :func:`next_ready_at` tells it how long it may sleep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import Priority
from bot.domain.periods import defer_for_quiet_hours
from bot.services.ports import UowFactory
from bot.store.errors import rowcount
from bot.store.models import OutboxMessage, Person, School


@dataclass(frozen=True)
class Claimed:
    """One claimed row.

    Attributes:
        row_id: the outbox row.
        urgent: in the urgent lane.
        repeat: claimed before without an outcome (its worker died mid-send): may reach the person twice.
        claims: the row's claim count with this claim: this worker holds the row while it is unchanged
            (:func:`hold`); another worker's claim after this lease ran out raises it.
    """

    row_id: int
    urgent: bool
    repeat: bool
    claims: int = 0


def pending() -> list[Any]:
    """Conditions of a row that still has to be sent (no outcome yet)."""
    return [
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.cancelled_at.is_(None),
    ]


def ready(now: datetime) -> list[Any]:
    """Conditions of a row that may be claimed at ``now``: pending, due and not leased."""
    return [
        *pending(),
        OutboxMessage.not_before <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    ]


def _busy_people(s: Session, people: set[int], now: datetime, gap: timedelta) -> set[int]:
    """Of ``people``, those with a row in flight, or sent a row less than ``gap`` ago (by any worker)."""
    in_flight = and_(OutboxMessage.claimed_until > now, *pending())
    condition = or_(in_flight, OutboxMessage.sent_at > now - gap) if gap > timedelta(0) else in_flight
    return {p for p in s.scalars(select(OutboxMessage.person_id).where(OutboxMessage.person_id.in_(people), condition)
                                 .distinct()) if p is not None}


def _first_ready(s: Session, people: set[int], now: datetime) -> dict[int, int]:
    """Each of ``people``'s first ready row in queue order (urgent first, then the oldest), by person.

    Read without ``SKIP LOCKED``: a row another worker is claiming right now is
    still seen, so this worker never takes the same person's next row past it.
    """
    position = func.row_number().over(
        partition_by=OutboxMessage.person_id,
        order_by=(OutboxMessage.priority.desc(), OutboxMessage.not_before, OutboxMessage.id))
    ranked = (select(OutboxMessage.person_id, OutboxMessage.id, position.label("position"))
              .where(OutboxMessage.person_id.in_(people), *ready(now)).subquery())
    rows = s.execute(select(ranked.c.person_id, ranked.c.id).where(ranked.c.position == 1)).all()
    return {person_id: row_id for person_id, row_id in rows}


def claim(
    uow_factory: UowFactory,
    *,
    now: datetime,
    settings: Settings,
    limit: int,
    lease: timedelta,
    lane: Priority | None = None,
    one_per_person: bool = False,
    bulk_limit: int | None = None,
    person_gap: timedelta = timedelta(0),
) -> tuple[list[Claimed], int]:
    """Claim up to ``limit`` ready rows (urgent first, then the oldest); defer bulk rows in quiet hours.

    Args:
        uow_factory: units of work; the claim is one short transaction.
        now: UTC now.
        settings: quiet hours and the default zone.
        limit: most rows claimed.
        lease: how long the claim holds (then another worker may take the row).
        lane: only rows of this priority (``URGENT`` or ``BULK``); None: both, urgent first.
        one_per_person: skip rows whose recipient has another row in flight (leased, no
            outcome) and take at most one row per recipient, so one chat's messages go out in
            order and at the chat's pace even with several workers.
        bulk_limit: at most this many bulk rows among the ``limit`` (the rest is the urgent lane's).
        person_gap: with ``one_per_person``, also skip recipients sent a row less than this ago
            (``sent_at`` is when the platform answered): one chat's pace across workers, whose
            pacers do not know each other's calls.

    Returns:
        The claimed rows, and how many bulk rows were moved past the quiet hours.
    """
    deferred = 0
    with uow_factory() as uow:
        s = uow.session
        # The head of the queue only, in the order of the queue index ("urgent" > "bulk": urgent
        # first, then the oldest), so a claim costs the same whatever the queue's length.
        query = select(OutboxMessage.id, OutboxMessage.person_id, OutboxMessage.priority, OutboxMessage.claims,
                       OutboxMessage.attempts).where(*ready(now))
        if lane is Priority.URGENT:
            query = query.where(OutboxMessage.priority == Priority.URGENT.value)
        elif lane is not None:
            query = query.where(OutboxMessage.priority != Priority.URGENT.value)
        scan = limit * 4 + 16 if one_per_person else limit  # some heads may belong to busy recipients
        query = query.order_by(OutboxMessage.priority.desc(), OutboxMessage.not_before, OutboxMessage.id).limit(scan)
        if uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        else:  # SQLite's planner prefers the equality index and sorts the whole queue
            query = query.with_hint(OutboxMessage, "INDEXED BY ix_outbox_queue", "sqlite")
        heads = s.execute(query).all()
        # A pending row always has a recipient (only an erased child's rows lose theirs, cancelled first).
        people_ids = {row.person_id for row in heads if row.person_id is not None}
        # One person's rows in queue order across workers (PostgreSQL: SKIP LOCKED may have hidden a
        # person's first row that another worker is claiming): first read each person's first ready row,
        # *then* who is busy. A row another worker claims meanwhile is either still ready in the first
        # read (so its successor is not first) or already leased in the second (so the person is busy).
        # SQLite skips no row, so there the heads already start with each person's first.
        in_order = one_per_person and bool(heads) and uow.dialect == "postgresql"
        first = _first_ready(s, people_ids, now) if in_order else {}
        busy = _busy_people(s, people_ids, now, person_gap) if one_per_person and heads else set()
        zones = dict(s.execute(select(Person.id, School.timezone).join(School, School.id == Person.school_id)
                               .where(Person.id.in_(people_ids))).all()) if heads else {}
        claimed: list[Claimed] = []
        for row_id, person_id, priority, claims, attempts in heads:
            if len(claimed) >= limit:
                break
            if person_id is None:
                continue
            urgent = priority == Priority.URGENT.value
            if person_id in busy or (in_order and first.get(person_id) != row_id):
                continue
            if not urgent:
                tz = zones.get(person_id) or settings.timezone
                later = defer_for_quiet_hours(now, tz, settings.quiet_start, settings.quiet_end)
                if later > now:
                    s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(not_before=later))
                    deferred += 1
                    continue
                if bulk_limit is not None:
                    if bulk_limit <= 0:
                        continue
                    bulk_limit -= 1
            # Guarded update: whoever flips claimed_until first owns the row.
            result = s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, *ready(now))
                .values(claimed_until=now + lease, claims=OutboxMessage.claims + 1)
            )
            if rowcount(result) == 1:
                if one_per_person:
                    busy.add(person_id)
                # Every earlier lease ended in a recorded attempt (transient failure) or none was taken;
                # one more lease than attempts means a worker stopped between claiming and recording.
                claimed.append(Claimed(row_id, urgent, repeat=(claims or 0) > (attempts or 0),
                                       claims=(claims or 0) + 1))
        uow.commit()
    return claimed, deferred


def hold(uow_factory: UowFactory, row_id: int, *, claims: int, now: datetime, lease: timedelta) -> bool:
    """Whether this worker still holds its claim on a pending row; if so its lease is renewed to ``now + lease``.

    Called before each send and before recording a failure: a delivery may outlive its lease
    (a slow platform call, the pacer), and once the lease has run out another worker may claim
    the row and send it. The claim count tells the two apart: a row nobody claimed since keeps
    it (the lease is simply taken up again); a row claimed again, sent or cancelled does not,
    and its new worker (or outcome) is responsible for it. One guarded UPDATE, so a claim
    racing this renewal either sees the renewed lease or has already raised the count.

    Args:
        uow_factory: units of work; this commits its own.
        row_id: the outbox row.
        claims: the count of this worker's claim (:attr:`Claimed.claims`).
        now: UTC now (the injected clock).
        lease: how long the renewed claim holds.
    """
    with uow_factory() as uow:
        held = rowcount(uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claims == claims, *pending())
            .values(claimed_until=now + lease)
        )) == 1
        uow.commit()
    return held


def next_ready_at(uow_factory: UowFactory, *, now: datetime) -> datetime | None:
    """When the next pending row becomes claimable (its ``not_before``, or its lease's end); None: no row.

    A time at or before ``now`` means a row is ready now (it may still be
    skipped by ``one_per_person`` while its recipient has a row in flight).
    """
    ready_at = case(
        (OutboxMessage.claimed_until > OutboxMessage.not_before, OutboxMessage.claimed_until),
        else_=OutboxMessage.not_before,
    )
    with uow_factory() as uow:
        value = uow.session.scalar(select(func.min(ready_at)).where(*pending()))
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=now.tzinfo)
