"""Outbox: messages are written in the same transaction as the change that causes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.enums import Priority
from bot.messages.prompt import Prompt
from bot.services.ports import UowFactory
from bot.store.errors import get_or_raise, rowcount
from bot.store.models import OutboxMessage
from bot.store.signals import mark_outbox_written


def enqueue(
    session: Session,
    *,
    key: str,
    person_id: int,
    prompt: Prompt,
    priority: Priority,
    now: datetime,
    not_before: datetime | None = None,
    incident_step_id: int | None = None,
    to_channel: str | None = None,
    to_account: str | None = None,
    child_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox unless one with ``key`` exists (idempotent).

    Two transactions enqueueing the same key at once are safe: the insert runs
    in a savepoint, and the loser of the unique-key race gets the winner's row
    instead of an ``IntegrityError`` that would roll back its whole use case.

    Args:
        session: the use case's session; the caller commits.
        key: idempotency key, e.g. ``"checkin:{child}:{guardian}:2026-W48"``
            or ``"incident:{id}:step:{n}:person:{p}:send"``.
        person_id: recipient; the channel and locale are resolved when sent.
        prompt: what to say.
        priority: ``URGENT`` for incidents (never waits for quiet hours),
            ``BULK`` otherwise.
        now: UTC now.
        not_before: earliest send time (UTC); default ``now``.
        incident_step_id: the incident step this message belongs to.
        to_channel: with ``to_account``, deliver to this one chat account only
            (even one no longer bound; no fallback when it fails), in
            ``person_id``'s language: binding notices (``bot.services.bindings``).
        to_account: the platform's account id (OpenID, Telegram chat id).
        child_id: the one child the message is about, if any: erasing the child cancels it while unsent
            (``bot.services.retention``).

    Returns:
        The new or the existing outbox row.
    """
    existing = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    mark_outbox_written(session)
    row = OutboxMessage(
        key=key,
        person_id=person_id,
        priority=priority.value,
        payload=prompt.to_dict(),
        created_at=now,
        not_before=not_before or now,
        attempts=0,
        incident_step_id=incident_step_id,
        to_channel=to_channel,
        to_account=to_account,
        child_id=child_id,
    )
    if session.get_bind().dialect.name != "postgresql":
        # SQLite has one writer at a time, and pysqlite's SAVEPOINT outside an
        # explicit BEGIN would commit on release: a plain insert is both safe and right.
        session.add(row)
        session.flush()
        return row
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Another transaction committed the same key between our select and insert.
        existing = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        if existing is None:
            raise
        return existing
    return row


_MANY = 5_000  # rows per executemany: bounded parameter lists, bounded memory


@dataclass(frozen=True)
class Outgoing:
    """One message for :func:`enqueue_many` (fields as in :func:`enqueue`).

    ``prompt`` may be given as its ``to_dict()`` data already, for planners
    that build a city's messages at once (``checkin_messages.question_payloads``).
    """

    key: str
    person_id: int
    prompt: Prompt | dict[str, Any]
    priority: Priority
    not_before: datetime | None = None
    incident_step_id: int | None = None
    child_id: int | None = None


def enqueue_many(session: Session, messages: Sequence[Outgoing], *, now: datetime) -> None:
    """Add many messages in one statement; keys already in the outbox are skipped.

    The bulk form of :func:`enqueue` for planners that enqueue a whole city's
    check-ins at once: ``INSERT … ON CONFLICT (key) DO NOTHING`` keeps it
    idempotent and race-free without a round trip per row.
    """
    if not messages:
        return
    mark_outbox_written(session)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Core, not the ORM's bulk path: a city's check-ins are 260,000 rows, and the table's
    # statement is a plain executemany (the payload column still encrypts each row).
    stmt = insert(cast(Table, OutboxMessage.__table__)).on_conflict_do_nothing(index_elements=["key"])
    for i in range(0, len(messages), _MANY):
        session.execute(
            stmt,
            [
                {
                    "key": m.key,
                    "person_id": m.person_id,
                    "priority": m.priority.value,
                    "payload": m.prompt if isinstance(m.prompt, dict) else m.prompt.to_dict(),
                    "created_at": now,
                    "not_before": m.not_before or now,
                    "attempts": 0,
                    "incident_step_id": m.incident_step_id,
                    "child_id": m.child_id,
                }
                for m in messages[i : i + _MANY]
            ],
        )


WAIT_FOR_PERSON = timedelta(days=365)
"""How far off a row waiting for the person's next message is put (``not_before``); their message brings it to now."""


def wait_for_person(uow_factory: UowFactory, row_id: int, channel: str, *, now: datetime) -> None:
    """Park a claimed row until the person writes (:func:`release_waiting`), in its own transaction.

    Its attempt counts, and ``last_error`` says what it waits for on which channel.
    """
    with uow_factory() as uow:
        row = get_or_raise(uow.session, OutboxMessage, row_id)
        row.attempts += 1
        row.last_error = f"waiting on {channel} for the person to write"
        row.waiting_since = row.waiting_since or now
        row.not_before = now + WAIT_FOR_PERSON
        row.claimed_until = None
        uow.commit()


def release_waiting(session: Session, person_id: int, *, now: datetime) -> int:
    """The person wrote: their rows waiting for it go now (the sender is woken on commit). Returns how many.

    Called for every inbound message, so it first asks whether anything waits (one indexed lookup on
    ``person_id``) and writes only then: a person with nothing waiting costs no UPDATE. The caller commits.
    """
    waiting = (OutboxMessage.person_id == person_id, OutboxMessage.waiting_since.is_not(None),
               OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.cancelled_at.is_(None))
    if session.scalar(select(OutboxMessage.id).where(*waiting).limit(1)) is None:
        return 0
    released = rowcount(session.execute(
        update(OutboxMessage).where(*waiting).values(not_before=now, waiting_since=None)))
    if released:
        mark_outbox_written(session)
    return released
