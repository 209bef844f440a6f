"""When a chat account last wrote to us (the list of accounts is ``bot.services.bindings``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.services.ports import UowFactory
from bot.store.models import ChatAccount
from bot.store.threads import run_sync


def last_seen_at(uow_factory: UowFactory, *, channel: str, account_id: str) -> datetime | None:
    """When the chat account last wrote to us (aware UTC), or None (unknown account, never wrote).

    WeChat may send customer-service messages only within 48 hours of it
    (``bot.handlers.wechat.senders``). Runs in its own short transaction.
    """
    with uow_factory() as uow:
        return uow.session.scalar(select(ChatAccount.last_seen_at).where(
            ChatAccount.channel == channel, ChatAccount.account_id == account_id))


async def last_seen_at_off_loop(uow_factory: UowFactory, *, channel: str, account_id: str) -> datetime | None:
    """:func:`last_seen_at` in a worker thread, for a caller on the event loop (a sender)."""
    return await run_sync(last_seen_at, uow_factory, channel=channel, account_id=account_id)
