"""Need-to-know kept current: a relation to a child that ends takes its access and its messages with it.

Issue 10, item 5. Access itself is always read from the current records
(``bot.services.access``); what can outlive a relation is work already
planned for it: this week's check-in question waiting in the outbox, its
reminder, the task for a teacher to phone that guardian. :func:`relations_ended`
closes that work at once, in the transaction that removes the relation (the
roster import); :func:`is_current_guardian` is the check every check-in
answer, note, reminder and escalation makes when it happens, so a relation
removed any other way stops them too.

What is deliberately kept: a help request the guardian made while they were
the guardian (a ``help_request`` task) stays with the teacher — it is about
the child, who may still need the help.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.enums import RelationKind, TaskKind
from bot.store.models import Checkin, Child, ChildRelation, OutboxMessage, Task

log = logging.getLogger(__name__)

FAMILY_KINDS = frozenset({RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value})


def is_current_guardian(session: Session, *, child_id: int, person_id: int) -> bool:
    """Whether the person is, right now, the entrusted guardian (委托监护人) of this active child.

    Args:
        session: any session.
        child_id: the child.
        person_id: the person who claims to be the guardian.
    """
    found = session.scalar(
        select(ChildRelation.id)
        .join(Child, Child.id == ChildRelation.child_id)
        .where(ChildRelation.child_id == child_id, ChildRelation.person_id == person_id,
               ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value, Child.active.is_(True))
        .limit(1)
    )
    return found is not None


def relations_ended(session: Session, ended: Iterable[tuple[int, str, int | None]], *, now: datetime) -> int:
    """Close the work planned for relations that were just removed; the caller commits.

    For an entrusted guardian: their open check-ins about that child are
    cancelled (``checkins.cancelled_at``) with the unsent question and reminder
    rows (``outbox.cancelled_at``). For a guardian, father or mother: open
    tasks to phone them about that child (``phone_guardian``,
    ``phone_contact``) are closed (``done_at`` and ``cancelled_at``) with their
    unsent messages.

    Args:
        session: the session of the change that removed the relations (the caller commits).
        ended: ``(child_id, RelationKind value, person_id)`` of each removed relation.
        now: aware UTC.

    Returns:
        The number of check-ins and tasks closed.
    """
    pairs = sorted({(c, k, p) for c, k, p in ended if p is not None and k in FAMILY_KINDS})
    closed = 0
    for child_id, kind, person_id in pairs:
        if kind == RelationKind.ENTRUSTED_GUARDIAN.value:
            closed += _cancel_checkins(session, child_id, person_id, now)
        closed += _cancel_phone_tasks(session, child_id, person_id, now)
    if closed:
        log.info("relations ended: %d check-ins and tasks closed", closed)
    return closed


def _cancel_checkins(session: Session, child_id: int, person_id: int, now: datetime) -> int:
    open_checkins = session.execute(
        select(Checkin.id, Checkin.period).where(
            Checkin.child_id == child_id, Checkin.guardian_id == person_id,
            Checkin.answered_at.is_(None), Checkin.cancelled_at.is_(None))
    ).all()
    if not open_checkins:
        return 0
    ids = [i for i, _ in open_checkins]
    session.execute(update(Checkin).where(Checkin.id.in_(ids)).values(cancelled_at=now))
    keys = [f"checkin:{child_id}:{person_id}:{period}" for _, period in open_checkins]
    keys += [f"checkin-reminder:{i}" for i in ids]
    _cancel_rows(session, or_(OutboxMessage.key.in_(keys)), now)
    return len(ids)


def _cancel_phone_tasks(session: Session, child_id: int, person_id: int, now: datetime) -> int:
    ids = list(session.scalars(select(Task.id).where(
        Task.child_id == child_id, Task.about_person_id == person_id, Task.done_at.is_(None),
        Task.kind.in_([TaskKind.PHONE_GUARDIAN.value, TaskKind.PHONE_CONTACT.value]))))
    if not ids:
        return 0
    session.execute(update(Task).where(Task.id.in_(ids)).values(done_at=now, cancelled_at=now))
    _cancel_rows(session, or_(*[OutboxMessage.key.like(f"task:{i}:%") for i in ids]), now)
    return len(ids)


def _cancel_rows(session: Session, condition: ColumnElement[bool], now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(condition, OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.cancelled_at.is_(None))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
