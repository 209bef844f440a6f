"""What /me shows about the person themself."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import ChatAccount
from bot.store.uow import UnitOfWork


def bound_channels(uow: UnitOfWork, *, person_id: int) -> list[str]:
    """The channels (``Channel`` values) the person has bound chat accounts on, sorted, without repeats."""
    rows = uow.session.scalars(select(ChatAccount.channel).where(ChatAccount.person_id == person_id))
    return sorted(set(rows))
