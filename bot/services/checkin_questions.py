"""The weekly check-in question as an outbox reference, worded when it is sent.

Issue 7, item 5: a city's Friday is 260,000 questions. Building and
encrypting each one's ``Prompt`` in Python was most of the planning time, so
the planner writes the outbox rows in SQL (``INSERT … SELECT``) with one
shared payload, a reference ``{"ref": "checkin_question"}``; the row's key
(``checkin:<child>:<guardian>:<week>``) names its check-in. The sender (and
anything else that reads a row's message) asks :func:`prompt_of`, which words
the question from the check-in and the child's name as they are at send time
— the very :func:`bot.services.checkin_messages.question_prompt` a one-by-one
planner would have stored. A payload may also carry ``checkin_id`` itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, String, Table, literal, select
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.domain.enums import Priority
from bot.messages.prompt import Prompt
from bot.services import checkin_messages as m
from bot.store.models import Checkin, Child, OutboxMessage
from bot.store.signals import mark_outbox_written

REF = "checkin_question"
KEY_PREFIX = "checkin:"


def reference(checkin_id: int | None = None) -> dict[str, Any]:
    """The payload of a check-in question's outbox row (``checkin_id`` optional: the key names it)."""
    return {"ref": REF} if checkin_id is None else {"ref": REF, "checkin_id": checkin_id}


def outbox_key(child_id: int, guardian_id: int, period: str) -> str:
    """The question's outbox key; the planner builds the same string in SQL."""
    return f"{KEY_PREFIX}{child_id}:{guardian_id}:{period}"


def is_reference(payload: dict[str, Any] | None) -> bool:
    """Whether an outbox payload is a check-in question's reference (worded at send time)."""
    return isinstance(payload, dict) and payload.get("ref") == REF


def checkin_of(session: Session, row: OutboxMessage) -> Checkin | None:
    """The check-in a question row asks about: by ``checkin_id`` in the payload, else by the row's key."""
    checkin_id = (row.payload or {}).get("checkin_id")
    if isinstance(checkin_id, int):
        return session.get(Checkin, checkin_id)
    parts = row.key.split(":")
    if len(parts) != 4 or not row.key.startswith(KEY_PREFIX):
        return None
    try:
        child_id, guardian_id = int(parts[1]), int(parts[2])
    except ValueError:
        return None
    return session.scalar(select(Checkin).where(Checkin.child_id == child_id, Checkin.guardian_id == guardian_id,
                                                Checkin.period == parts[3]))


def prompt_of(session: Session, row: OutboxMessage) -> Prompt | None:
    """What an outbox row says: its stored prompt, or a check-in question worded now.

    Returns:
        None when the row is a reference whose check-in is gone (nothing to ask).
    """
    if not is_reference(row.payload):
        return Prompt.from_dict(row.payload)
    checkin = checkin_of(session, row)
    if checkin is None:
        return None
    name = session.scalar(select(Child.name).where(Child.id == checkin.child_id))
    return m.question_prompt(checkin.id, name or "")


def question_rows(checkins: Any, period: str, now: datetime) -> Select[Any]:
    """The outbox rows (in :data:`COLUMNS` order) of the check-ins ``checkins`` (``child_id``, ``guardian_id``)."""
    outbox = cast(Table, OutboxMessage.__table__)
    key = (literal(KEY_PREFIX) + cast_(checkins.c.child_id, String) + literal(":")
           + cast_(checkins.c.guardian_id, String) + literal(f":{period}"))
    return select(key, checkins.c.guardian_id, literal(Priority.BULK.value, outbox.c.priority.type),
                  literal(reference(), outbox.c.payload.type), literal(now, outbox.c.created_at.type),
                  literal(now, outbox.c.not_before.type), literal(0, outbox.c.attempts.type), checkins.c.child_id,
                  literal(0, outbox.c.claims.type))


COLUMNS = ["key", "person_id", "priority", "payload", "created_at", "not_before", "attempts", "child_id", "claims"]


def enqueue_new(session: Session, new_checkins: Any, period: str, now: datetime, *, skip_existing: bool = True) -> Any:
    """PostgreSQL: the ``INSERT`` of the questions of ``new_checkins`` (the check-ins just inserted), as a CTE.

    The caller adds it to the statement that inserts the check-ins, so one
    statement writes both and reads no other check-in of the week.
    ``skip_existing=False``: a plain insert (no speculative insertion), for a
    caller that falls back to skipping on a unique violation.
    """
    mark_outbox_written(session)
    rows = question_rows(new_checkins, period, now)
    insert = pg_insert(cast(Table, OutboxMessage.__table__)).from_select(COLUMNS, rows)
    return (insert.on_conflict_do_nothing(index_elements=["key"]) if skip_existing else insert).cte("questions")


def enqueue_inserted(session: Session, *, after_id: int, period: str, now: datetime) -> None:
    """SQLite: enqueue the question of every open check-in of ``period`` with an id above ``after_id``.

    The planner's check-ins just inserted (``bot.services.checkin_planning``):
    one ``INSERT … SELECT`` over a range of the primary key, not a join over the
    week's check-ins of the schools. Each row is BULK, keyed :func:`outbox_key`
    (a question already in the outbox is skipped: ``ON CONFLICT DO NOTHING``)
    and holds :func:`reference`, encrypted once for all of them. The caller commits.
    """
    table = cast(Table, Checkin.__table__)
    rows = (
        question_rows(table, period, now)
        .where(table.c.id > after_id, table.c.period == period, table.c.guardian_id.is_not(None),
               table.c.cancelled_at.is_(None))
        .order_by(table.c.id)
    )
    mark_outbox_written(session)
    session.execute(sqlite_insert(cast(Table, OutboxMessage.__table__)).from_select(COLUMNS, rows)
                    .on_conflict_do_nothing(index_elements=["key"]))
