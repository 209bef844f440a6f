"""Platform callbacks: replay protection (seen nonces), claims of inbound messages, unfollow.

WeChat and WeCom push each message to our callback URL and, when they get
no answer within 5 seconds, push it again (three times in all). These
functions keep a message from being handled twice, on one worker or on
several sharing the database:

* :func:`nonce_is_new` records a signed request's nonce; a second request
  with the same nonce within :data:`NONCE_MEMORY` is a replay.
* :func:`claim` records a message's de-duplication key in its own committed
  transaction *before* the message is handled; a retry finds the claim.
* :func:`finish` stores the reply text of a handled message, so a retry
  that arrives later can be answered with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, InboundClaim, SeenNonce

log = logging.getLogger(__name__)

NONCE_MEMORY = timedelta(minutes=10)
"""Nonces are kept this long: twice the 5-minute timestamp tolerance, so a replay is refused either by its
stale timestamp or by its nonce."""

CLAIM_MEMORY = timedelta(days=2)
"""Claims older than this are purged (WeChat stops retrying after about 15 s)."""


class ClaimStatus(StrEnum):
    """Whose turn an inbound message is."""

    NEW = "new"  # this worker claimed the message: handle it
    IN_PROGRESS = "in_progress"  # claimed by an earlier delivery that has not finished
    DONE = "done"  # handled; ``reply`` holds what was answered (or None)


@dataclass(frozen=True)
class Claim:
    """Outcome of :func:`claim`.

    Attributes:
        status: see :class:`ClaimStatus`.
        reply: DONE only: the stored reply (``{"texts": [...]}``) or None.
    """

    status: ClaimStatus
    reply: dict | None = None


def nonce_is_new(uow_factory: Callable[[], UnitOfWork], *, channel: str, nonce: str, now: datetime) -> bool:
    """Record a signed request's nonce; False when it was seen within :data:`NONCE_MEMORY` (a replay).

    Commits its own transaction and purges nonces older than :data:`NONCE_MEMORY`.

    Args:
        uow_factory: units of work (this commits its own).
        channel: ``wechat`` or ``wecom``.
        nonce: the request's ``nonce`` query parameter (at most 128 characters; longer is refused).
        now: aware UTC.
    """
    if not nonce or len(nonce) > 128:
        return False
    with uow_factory() as uow:
        s = uow.session
        s.execute(delete(SeenNonce).where(SeenNonce.seen_at < now - NONCE_MEMORY))
        uow.commit()
    try:
        with uow_factory() as uow:
            uow.session.add(SeenNonce(channel=channel, nonce=nonce, seen_at=now))
            uow.commit()
    except IntegrityError:
        return False
    return True


def claim(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, now: datetime) -> Claim:
    """Claim one inbound message by its de-duplication key, committed before it is handled.

    Args:
        uow_factory: units of work (this commits its own).
        channel: ``wechat`` or ``wecom``.
        key: MsgId, or for events ``sender:CreateTime:Event:EventKey`` (at most 200 characters).
        now: aware UTC.

    Returns:
        NEW when this call made the claim (the caller handles the message and
        calls :func:`finish`); IN_PROGRESS or DONE (with the stored reply) when
        an earlier delivery claimed it.
    """
    try:
        with uow_factory() as uow:
            uow.session.add(InboundClaim(channel=channel, dedupe_key=key, claimed_at=now))
            uow.commit()
        return Claim(ClaimStatus.NEW)
    except IntegrityError:
        pass
    with uow_factory() as uow:
        row = uow.session.scalars(
            select(InboundClaim).where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key)
        ).one_or_none()
        if row is None:  # purged between the two statements: it was handled long ago
            return Claim(ClaimStatus.DONE)
        if row.finished_at is None:
            return Claim(ClaimStatus.IN_PROGRESS)
        return Claim(ClaimStatus.DONE, dict(row.reply) if row.reply else None)


def finish(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, reply: dict | None,
           now: datetime) -> None:
    """Mark a claimed message handled and keep its reply (``{"texts": [...]}``) for later retries.

    Also purges claims older than :data:`CLAIM_MEMORY`. Commits.
    """
    with uow_factory() as uow:
        s = uow.session
        s.execute(
            update(InboundClaim)
            .where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key)
            .values(finished_at=now, reply=reply)
        )
        s.execute(delete(InboundClaim).where(InboundClaim.claimed_at < now - CLAIM_MEMORY))
        uow.commit()


def mark_unfollowed(uow_factory: Callable[[], UnitOfWork], *, channel: str, account_id: str,
                    now: datetime) -> bool:
    """The person unfollowed the Official Account: mark that chat account unreachable.

    The outbox then skips it and falls back to the person's other accounts or
    a phone-call task (DESIGN.md, "Outbox"). A later message from the account
    makes it reachable again (:func:`mark_reachable`).

    Returns:
        True when a bound account was marked.
    """
    with uow_factory() as uow:
        account = uow.session.scalars(
            select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.account_id == account_id)
        ).one_or_none()
        if account is None:
            return False
        account.unreachable_at = now
        account.unreachable_reason = "unfollowed"
        uow.commit()
        log.info("chat account %s unfollowed: marked unreachable", account.id)
        return True


def mark_reachable(uow_factory: Callable[[], UnitOfWork], *, channel: str, account_id: str) -> None:
    """A message arrived from the account: it can be reached again (re-followed, or back in the window)."""
    with uow_factory() as uow:
        uow.session.execute(
            update(ChatAccount)
            .where(ChatAccount.channel == channel, ChatAccount.account_id == account_id,
                   ChatAccount.unreachable_at.is_not(None))
            .values(unreachable_at=None, unreachable_reason=None)
        )
        uow.commit()
