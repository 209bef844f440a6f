"""Stopping messages not yet sent when what they announce changes (a meeting or family call moved or cancelled)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from bot.store.models import OutboxMessage

CHANGED = "cancelled: changed by the organiser"  # OutboxMessage.last_error of messages stopped this way


def cancel_pending(session: Session, *, key_prefix: str, now: datetime) -> int:
    """Cancel the unsent outbox rows whose key starts with ``key_prefix`` (``meet:12:``); returns how many.

    A row a drain has claimed (live lease) is being sent and is left alone, as
    when an incident is closed (``bot.services.incident_close``).
    """
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key.like(f"{key_prefix}%"), OutboxMessage.sent_at.is_(None),
               OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now))
        .values(cancelled_at=now, last_error=CHANGED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
