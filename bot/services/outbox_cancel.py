"""Stopping messages not yet sent when what they announce changes (a meeting or family call moved or cancelled)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy.orm import Session

from bot.store.models import OutboxMessage

CHANGED = "cancelled: changed by the organiser"  # OutboxMessage.last_error of messages stopped this way
SEEN = "cancelled: read or answered in the chat before it went out"  # a family message held by the quiet hours


def cancel_pending(session: Session, *, key_prefix: str, now: datetime) -> int:
    """Cancel the unsent outbox rows whose key starts with ``key_prefix`` (``meet:12:``); returns how many.

    A row a drain has claimed (live lease) is being sent and is left alone, as
    when an incident is closed (``bot.services.incident_close``).
    """
    return _cancel(session, OutboxMessage.key.like(f"{key_prefix}%"), now=now, reason=CHANGED)


def cancel_keys(session: Session, *, keys: list[str], now: datetime, reason: str) -> int:
    """Cancel the unsent outbox rows of exactly these ``keys`` (a claimed one is left alone); returns how many."""
    return _cancel(session, OutboxMessage.key.in_(keys), now=now, reason=reason) if keys else 0


def _cancel(session: Session, which: ColumnElement[bool], *, now: datetime, reason: str) -> int:
    result = session.execute(
        update(OutboxMessage)
        .where(which, OutboxMessage.sent_at.is_(None),
               OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now))
        .values(cancelled_at=now, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
