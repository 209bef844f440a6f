"""What the bot knows about a person's own chat accounts (``/me``, last-seen times)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.services.ports import UnitOfWork, UowFactory
from bot.store.models import ChatAccount


def bound_channels(uow: UnitOfWork, *, person_id: int) -> list[str]:
    """The channels (``Channel`` values) the person has bound chat accounts on, sorted, without repeats."""
    rows = uow.session.scalars(select(ChatAccount.channel).where(ChatAccount.person_id == person_id))
    return sorted(set(rows))


def last_seen_at(uow_factory: UowFactory, *, channel: str, account_id: str) -> datetime | None:
    """When the chat account last wrote to us (aware UTC), or None (unknown account, never wrote).

    WeChat may send customer-service messages only within 48 hours of it
    (``bot.handlers.wechat.senders``). Runs in its own short transaction.
    """
    with uow_factory() as uow:
        return uow.session.scalar(select(ChatAccount.last_seen_at).where(
            ChatAccount.channel == channel, ChatAccount.account_id == account_id))
