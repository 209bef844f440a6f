"""Platform callbacks: replay protection (seen nonces), claims of inbound messages, unfollow.

WeChat and WeCom push each message to our callback URL and, when they get
no answer within 5 seconds, push it again (three times in all). These
functions keep a message from being handled twice, on one worker or on
several sharing the database:

* :func:`check_nonce` records a signed request's nonce; the same nonce within
  :data:`NONCE_MEMORY` is WeChat's retry when the request is byte-identical,
  a replay otherwise.
* :func:`claim` records a message's de-duplication key (account, sender,
  MsgId) in its own committed transaction *before* the message is handled; a
  retry finds the claim. A retry that comes while the first attempt is still
  running marks it ``reply_later`` (:func:`defer`).
* :func:`finish` stores the reply text of a handled message, so a retry
  that arrives later can be answered with it — or, when the claim was marked
  ``reply_later``, tells the caller to send the reply by API instead.
* A claim has a lease (:data:`CLAIM_LEASE`, fix6j): an attempt that died
  before :func:`finish` (the process killed mid-message) leaves a claim
  nobody will finish; a retry that finds it older than the lease takes it
  over and handles the message, instead of answering ``success`` for a
  message never handled. A live attempt renews its lease while it works
  (:func:`renew`, every :data:`CLAIM_RENEW`), so one that is only slow keeps
  its message: a retry then answers ``success`` and the reply goes by API.
* :func:`release` gives a claim up when handling failed (the database
  erred around the flows): a retry of the message then handles it afresh.
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
from bot.store.errors import rowcount
from bot.store.models import ChatAccount, InboundClaim, Person, School, SeenNonce

log = logging.getLogger(__name__)

NONCE_MEMORY = timedelta(minutes=10)
"""Nonces are kept this long: twice the 5-minute timestamp tolerance, so a replay is refused either by its
stale timestamp or by its nonce."""

CLAIM_MEMORY = timedelta(days=2)
"""Claims older than this are purged (WeChat stops retrying after about 15 s)."""


CLAIM_LEASE = timedelta(seconds=10)
"""How long an unfinished claim belongs to the attempt that made it.

WeChat pushes a message, and when it gets no answer within 5 s pushes it
again, three times in all (about 5, 10 and 15 s after the first; WeChat
public-platform docs, "被动回复用户消息": 五秒内收不到响应会断掉连接，并且重新发起请求，总共重试三次). A live
attempt answers within :data:`bot.handlers.wechat.inbound.REPLY_TIMEOUT`
(4 s) or marks the claim ``reply_later`` and finishes in the background,
well within 10 s; a claim still unfinished after 10 s is taken to be left by
an attempt that died, and the retries at about 10 and 15 s may take it over.
Measured between ``claimed_at`` as stored and the injected clock's ``now``,
in one guarded UPDATE, so only one retry (on any worker) wins it. A live
attempt, however slow, renews ``claimed_at`` every :data:`CLAIM_RENEW`
(:func:`renew`), so only an attempt that stopped renewing (it died, or could
not reach the database for the whole lease) is taken over; the message is
then handled twice only in that last case. A worker never takes over a claim
it is still running itself."""

CLAIM_RENEW = timedelta(seconds=3)
"""How often a live attempt renews its claim: three renewals fit in :data:`CLAIM_LEASE`, so one or two
late or failed ones (a busy database) do not give a live attempt's message away."""


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


class NonceStatus(StrEnum):
    """What a signed request's nonce says about it."""

    NEW = "new"  # not seen before: handle the request
    COPY = "copy"  # seen on a byte-identical request: WeChat's retry of it (the claim dedupes the message)
    REPLAY = "replay"  # seen on another request (or unusable): refuse it


def check_nonce(uow_factory: Callable[[], UnitOfWork], *, channel: str, nonce: str, request_hash: str,
                now: datetime) -> NonceStatus:
    """Record a signed request's nonce with a hash of the request; classify a nonce seen before.

    WeChat retries a request it got no answer to with the very same query and
    body, nonce included; that copy is not a replay (issue 6, item 6) and goes
    on to the message's claim, which answers it without handling it twice. The
    same nonce on anything else within :data:`NONCE_MEMORY` is a replay.
    Commits its own transactions and purges nonces older than :data:`NONCE_MEMORY`.

    Args:
        uow_factory: units of work (this commits its own).
        channel: ``wechat`` or ``wecom``.
        nonce: the request's ``nonce`` query parameter (at most 128 characters; longer is refused).
        request_hash: SHA-256 hex of the signed parts of the request (timestamp, signatures, body).
        now: aware UTC.
    """
    if not nonce or len(nonce) > 128:
        return NonceStatus.REPLAY
    with uow_factory() as uow:
        s = uow.session
        s.execute(delete(SeenNonce).where(SeenNonce.seen_at < now - NONCE_MEMORY))
        uow.commit()
    try:
        with uow_factory() as uow:
            uow.session.add(SeenNonce(channel=channel, nonce=nonce, seen_at=now, request_hash=request_hash))
            uow.commit()
    except IntegrityError:
        with uow_factory() as uow:
            seen = uow.session.scalar(select(SeenNonce.request_hash).where(
                SeenNonce.channel == channel, SeenNonce.nonce == nonce))
        return NonceStatus.COPY if seen is not None and seen == request_hash else NonceStatus.REPLAY
    return NonceStatus.NEW


def claim(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, now: datetime,
          take_over: bool = True) -> Claim:
    """Claim one inbound message by its de-duplication key, committed before it is handled.

    A delivery that finds the message claimed and still being handled marks
    the claim ``reply_later``: WeChat only retries after giving up on the
    earlier connection, so the earlier attempt's passive reply would be lost;
    it sends its reply by API instead (:func:`finish`).

    Args:
        uow_factory: units of work (this commits its own).
        channel: ``wechat`` or ``wecom``.
        key: ``m:<account>:<sender>:<MsgId>``, or for events
            ``e:<sender>:<CreateTime>:<Event>:<EventKey>`` (at most 200 characters).
        now: aware UTC.
        take_over: False when this worker is itself still handling the message (a live attempt is never
            taken over, however slow).

    Returns:
        NEW when this call made the claim, or took over one unfinished for longer than
        :data:`CLAIM_LEASE` (the caller handles the message and calls :func:`finish`); IN_PROGRESS (now
        marked ``reply_later``) or DONE (with the stored reply) when an earlier delivery claimed it.
    """
    try:
        with uow_factory() as uow:
            uow.session.add(InboundClaim(channel=channel, dedupe_key=key, claimed_at=now))
            uow.commit()
        return Claim(ClaimStatus.NEW)
    except IntegrityError:
        pass
    if take_over and _take_over(uow_factory, channel=channel, key=key, now=now):
        log.warning("%s message %s: unfinished claim older than %s taken over", channel, key, CLAIM_LEASE)
        return Claim(ClaimStatus.NEW)
    if defer(uow_factory, channel=channel, key=key):
        return Claim(ClaimStatus.IN_PROGRESS)
    with uow_factory() as uow:
        row = uow.session.scalars(
            select(InboundClaim).where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key)
        ).one_or_none()
        if row is None or row.finished_at is None:  # purged meanwhile: it was handled long ago
            return Claim(ClaimStatus.DONE)
        return Claim(ClaimStatus.DONE, dict(row.reply) if row.reply else None)


def _take_over(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, now: datetime) -> bool:
    """Renew an unfinished claim made :data:`CLAIM_LEASE` or longer ago for this attempt (one guarded UPDATE).

    ``reply_later`` is cleared: this attempt's connection is live, its reply may be passive again.
    """
    with uow_factory() as uow:
        won = rowcount(uow.session.execute(
            update(InboundClaim)
            .where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key,
                   InboundClaim.finished_at.is_(None), InboundClaim.claimed_at <= now - CLAIM_LEASE)
            .values(claimed_at=now, reply_later=False)
        ))
        uow.commit()
    return won == 1


def renew(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, now: datetime) -> bool:
    """Renew the lease of a claim whose attempt is still handling it: ``claimed_at`` becomes ``now``.

    The database keeps the time (the injected clock's ``now`` stored in the
    row), so a retry on any worker sees the attempt alive. Commits.

    Returns:
        False once the claim is finished or given up (nothing left to keep).
    """
    return _set_unfinished(uow_factory, channel=channel, key=key, claimed_at=now)


def release(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str) -> bool:
    """Give up the unfinished claim of a message whose handling failed, so a retry of it handles it again.

    Returns:
        True when the caller may answer passively (no retry marked the claim ``reply_later``); False when
        its connection was given up (answer by API). Commits.
    """
    with uow_factory() as uow:
        s = uow.session
        mine = (InboundClaim.channel == channel, InboundClaim.dedupe_key == key, InboundClaim.finished_at.is_(None))
        passive = rowcount(s.execute(delete(InboundClaim).where(*mine, InboundClaim.reply_later.is_(False)))) == 1
        if not passive:
            s.execute(delete(InboundClaim).where(*mine))
        uow.commit()
    return passive


def account_locale(uow_factory: Callable[[], UnitOfWork], *, channel: str, account_id: str) -> str | None:
    """The locale of the person bound to a chat account (else their school's), or None when unknown."""
    with uow_factory() as uow:
        row = uow.session.execute(
            select(Person.locale, School.locale)
            .join(ChatAccount, ChatAccount.person_id == Person.id)
            .join(School, School.id == Person.school_id)
            .where(ChatAccount.channel == channel, ChatAccount.account_id == account_id)
        ).first()
    return (row[0] or row[1]) if row is not None else None


def defer(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str) -> bool:
    """Mark a claimed, unfinished message ``reply_later``; False when it has finished (its reply is stored).

    One guarded UPDATE: it and :func:`finish` cannot both win, so a reply goes
    out exactly once, passively or by API. Commits.
    """
    return _set_unfinished(uow_factory, channel=channel, key=key, reply_later=True)


def _set_unfinished(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, **values: object) -> bool:
    """Set ``values`` on the claim of ``key`` if it is not finished (one guarded UPDATE); True when it was not."""
    with uow_factory() as uow:
        changed = rowcount(uow.session.execute(
            update(InboundClaim)
            .where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key,
                   InboundClaim.finished_at.is_(None))
            .values(**values)
        ))
        uow.commit()
    return changed == 1


def finish(uow_factory: Callable[[], UnitOfWork], *, channel: str, key: str, reply: dict | None,
           now: datetime) -> bool:
    """Mark a claimed message handled; keep its reply (``{"texts": [...]}``) for later retries.

    Also purges claims older than :data:`CLAIM_MEMORY`. Commits.

    Returns:
        True when the caller may answer passively; False when a retry (or the
        caller's own deadline) marked the claim ``reply_later`` first: the
        caller sends the reply by API, and it is not stored.
    """
    with uow_factory() as uow:
        s = uow.session
        passive = rowcount(s.execute(
            update(InboundClaim)
            .where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key,
                   InboundClaim.reply_later.is_(False))
            .values(finished_at=now, reply=reply)
        )) == 1
        if not passive:
            s.execute(update(InboundClaim)
                      .where(InboundClaim.channel == channel, InboundClaim.dedupe_key == key)
                      .values(finished_at=now, reply=None))
        s.execute(delete(InboundClaim).where(InboundClaim.claimed_at < now - CLAIM_MEMORY))
        uow.commit()
    return passive


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
