"""Outbox drain: send ready messages, urgent before bulk, with retries and fallbacks.

The drain claims ready rows in one short transaction, sends each one outside
any transaction (a network call must not hold database locks), and records the
outcome in another short transaction. A claim is a lease (``claimed_until``):
on PostgreSQL the claim query uses ``FOR UPDATE SKIP LOCKED`` and a guarded
update, so two workers never send one row twice; a worker that dies mid-send
lets its lease run out and the row is tried again. SQLite runs one worker.

Platform rate limits (Telegram: about 30 messages/s overall, about 1/s per
private chat) are enforced inside the channel's sender (PTB's
``AIORateLimiter``); the drain sends urgent rows first so bulk never starves
an incident message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import Priority
from bot.domain.periods import defer_for_quiet_hours
from bot.i18n import normalise_locale
from bot.messages.prompt import Prompt
from bot.services import conversations, incidents
from bot.services.delivery_fallbacks import fail_row
from bot.services.ports import (
    MessageRejectedError,
    PermanentSendError,
    Sender,
    TransientSendError,
    UnitOfWork,
    UowFactory,
)
from bot.store.errors import get_or_raise, rowcount
from bot.store.models import ChatAccount, OutboxMessage, Person, School

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 200
# A claim must outlive the batch's sends, or another worker could take a row
# still being sent. The sender may pace us to about 1 message/s per chat
# (Telegram), so allow a second per claimed row, and at least two minutes.
# A worker that dies leaves its rows to be retried after the lease.
MIN_CLAIM_LEASE = timedelta(minutes=2)
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0


@dataclass
class DrainStats:
    """What one drain did (counts of outbox rows).

    Attributes:
        sent: delivered to some account.
        retried: transient failure; tried again later.
        deferred: bulk rows moved past the quiet hours.
        failed: not delivered (no reachable account, or the message was refused); marked failed.
        unreachable_accounts: chat accounts marked unreachable on the way.
        forwarded: copies of undeliverable staff messages enqueued for admins and class teachers.
    """

    sent: int = 0
    retried: int = 0
    deferred: int = 0
    failed: int = 0
    unreachable_accounts: int = 0
    forwarded: int = 0
    sent_ids: list[int] = field(default_factory=list)


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Back-off before the next try: ``max(retry_after, 5 s · 2^attempts)``, the back-off capped at 15 min.

    Args:
        attempts: failed attempts so far, before this one (0 for the first failure).
        retry_after: seconds the platform asked for (Telegram ``RetryAfter``); always honoured in full.
    """
    backoff = min(BACKOFF_BASE_SECONDS * (2 ** min(attempts, 20)), BACKOFF_CAP_SECONDS)
    return timedelta(seconds=max(backoff, retry_after or 0.0))


def _ready(now: datetime) -> list[Any]:
    return [
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.cancelled_at.is_(None),
        OutboxMessage.not_before <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    ]


def _claim(uow_factory: UowFactory, *, now: datetime, settings: Settings, limit: int,
           stats: DrainStats) -> list[int]:
    """Claim up to ``limit`` ready rows (urgent first, then oldest); defer bulk rows in quiet hours."""
    lease = max(MIN_CLAIM_LEASE, timedelta(seconds=limit))
    urgent_first = case((OutboxMessage.priority == Priority.URGENT.value, 0), else_=1)
    with uow_factory() as uow:
        s = uow.session
        query = (
            select(OutboxMessage.id, OutboxMessage.priority, School.timezone)
            .join(Person, Person.id == OutboxMessage.person_id)
            .join(School, School.id == Person.school_id)
            .where(*_ready(now))
            .order_by(urgent_first, OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
        if uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
        claimed: list[int] = []
        for row_id, priority, tz in s.execute(query).all():
            if priority != Priority.URGENT.value:
                later = defer_for_quiet_hours(now, tz or settings.timezone, settings.quiet_start, settings.quiet_end)
                if later > now:
                    s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(not_before=later))
                    stats.deferred += 1
                    continue
            # Guarded update: whoever flips claimed_until first owns the row.
            result = s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, *_ready(now))
                .values(claimed_until=now + lease)
            )
            if rowcount(result) == 1:
                claimed.append(row_id)
        uow.commit()
    return claimed


@dataclass(frozen=True)
class _Target:
    account_pk: int
    channel: str
    account_id: str


@dataclass(frozen=True)
class _Plan:
    prompt: Prompt
    locale: str
    timezone: str
    targets: tuple[_Target, ...]
    incident_step_id: int | None
    attempts: int


def _accounts_in_order(s: Session, person: Person) -> list[ChatAccount]:
    """The person's reachable accounts: preferred channel first, then most recently seen or bound.

    An account marked unreachable counts again once the person writes from it
    (``last_seen_at`` after ``unreachable_at``): they followed the WeChat
    account again, unblocked the bot, or reopened WeChat's 48-hour window.
    An account waiting for the school's confirmation gets nothing
    (``bot.services.bindings``).
    """
    accounts = s.scalars(
        select(ChatAccount).where(
            ChatAccount.person_id == person.id,
            ChatAccount.pending_since.is_(None),
            or_(ChatAccount.unreachable_at.is_(None), ChatAccount.last_seen_at > ChatAccount.unreachable_at),
        )
    ).all()
    epoch = datetime.min.replace(tzinfo=UTC)

    # Sort by preference, then recency descending, then newest account.
    return sorted(
        accounts,
        key=lambda a: (
            0 if a.channel == person.preferred_channel else 1,
            -max(a.last_seen_at or epoch, a.bound_at or epoch).timestamp(),
            -a.id,
        ),
    )


def _plan(uow: UnitOfWork, row_id: int, senders: Mapping[str, Sender], settings: Settings,
          now: datetime) -> _Plan | None:
    s = uow.session
    row = s.get(OutboxMessage, row_id)
    if row is None or row.sent_at or row.failed_at or row.cancelled_at:
        return None
    if incidents.cancel_if_closed(uow, row, now=now):
        # Its incident was closed while a drain held the row (a close leaves claimed rows alone).
        uow.commit()
        return None
    person = s.get(Person, row.person_id)
    school = s.get(School, person.school_id) if person else None
    locale = normalise_locale(
        (person.locale if person else None) or (school.locale if school else None), settings.default_locale
    )
    tz = (school.timezone if school else None) or settings.timezone
    targets: tuple[_Target, ...]
    if row.to_account is not None and row.to_channel is not None:
        # Addressed to one chat account (a binding notice), even one no longer bound: that one only.
        pk = s.scalar(select(ChatAccount.id).where(ChatAccount.channel == row.to_channel,
                                                   ChatAccount.account_id == row.to_account))
        targets = (_Target(pk or 0, row.to_channel, row.to_account),) if row.to_channel in senders else ()
    else:
        accounts = _accounts_in_order(s, person) if person else []
        targets = tuple(_Target(a.id, a.channel, a.account_id) for a in accounts if a.channel in senders)
    return _Plan(Prompt.from_dict(row.payload), locale, tz, targets, row.incident_step_id, row.attempts)


async def drain_outbox(
    uow_factory: UowFactory,
    senders: Mapping[str, Sender],
    *,
    now: datetime,
    settings: Settings,
    limit: int = DEFAULT_LIMIT,
) -> DrainStats:
    """Send the ready outbox rows once each.

    Rows are ready when not sent, failed or cancelled, ``not_before <= now``
    and not leased by another worker. Urgent rows go first, then the oldest.
    Bulk rows found in the quiet hours (``settings.quiet_start`` –
    ``quiet_end``, school time) get ``not_before`` moved to the window's end;
    urgent rows never wait (issue 2).

    Per row, the recipient's accounts are tried in order (preferred channel,
    then the most recently seen or bound; accounts of channels without a
    sender here are skipped). A :class:`TransientSendError` schedules a retry
    after :func:`retry_delay`; a :class:`PermanentSendError` marks that account
    unreachable and tries the next at once. A :class:`MessageRejectedError`
    (the platform refused this message, not the account) leaves the account
    reachable and tries the next account too (another channel renders the
    message differently). With no account left the row is marked failed and
    the fallback runs: an incident row calls
    ``incident_fallback.on_recipient_unreachable`` (the alert did not arrive, whatever
    the reason); any other row to a guardian or parent gives each of their
    children's class teachers a phone-call task (one per contact, child and
    school day) with a message naming the contact and their phone number; any
    other row to anyone else (staff: not a guardian or parent) is forwarded
    once to the school's admins and leaders and, for a message about a child,
    to that child's class teacher (see :mod:`bot.services.delivery_fallbacks`). A forwarded
    copy that fails is only marked failed. A non-incident row that was refused as a message gets no fallback: it is
    marked failed with the platform's reason in ``last_error``, since phoning
    someone about a message we could not format does not help them.

    Args:
        uow_factory: makes units of work; each step commits its own.
        senders: channel name (``Channel`` value) → sender.
        now: UTC now (injected clock).
        settings: quiet hours, default zone and locale.
        limit: most rows claimed by this call.

    Returns:
        Counts of what happened. Logs carry outbox, person and account ids only.
    """
    stats = DrainStats()
    for row_id in _claim(uow_factory, now=now, settings=settings, limit=limit, stats=stats):
        try:
            await _deliver(uow_factory, row_id, senders, now=now, settings=settings, stats=stats)
        except Exception:  # one bad row must not stop the others; its lease expires and it is retried
            log.exception("outbox row %s: delivery crashed", row_id)
    return stats


async def _deliver(uow_factory: UowFactory, row_id: int, senders: Mapping[str, Sender], *,
                   now: datetime, settings: Settings, stats: DrainStats) -> None:
    with uow_factory() as uow:
        plan = _plan(uow, row_id, senders, settings, now)
    if plan is None:
        return
    rejected: MessageRejectedError | None = None
    for target in plan.targets:
        prompt = plan.prompt
        if prompt.choices:
            # The agenda hook (conversations.present): the question goes on the recipient chat's agenda,
            # committed before sending, so a typed "1" answers what is on screen; a question that must wait
            # behind another goes out without its choices and is asked again in its turn.
            with uow_factory() as uow:
                prompt = conversations.present(uow, channel=target.channel, account_id=target.account_id,
                                               prompt=prompt, now=now)
                uow.commit()
        try:
            await senders[target.channel].send(target.account_id, prompt, plan.locale, plan.timezone)
        except TransientSendError as exc:
            delay = retry_delay(plan.attempts, exc.retry_after)
            with uow_factory() as uow:
                row = get_or_raise(uow.session, OutboxMessage, row_id)
                row.attempts += 1
                row.not_before = now + delay
                row.claimed_until = None
                row.last_error = f"transient on {target.channel}: {type(exc).__name__}"[:500]
                uow.commit()
            stats.retried += 1
            log.info("outbox row %s: transient failure on account %s, retry in %.0f s",
                     row_id, target.account_pk, delay.total_seconds())
            return
        except PermanentSendError as exc:
            with uow_factory() as uow:
                account = uow.session.get(ChatAccount, target.account_pk)
                if account is not None:  # (again) unreachable from now on, until the person writes
                    account.unreachable_at = now
                    account.unreachable_reason = str(exc)[:200] or type(exc).__name__
                uow.commit()
            stats.unreachable_accounts += 1
            log.warning("outbox row %s: account %s unreachable", row_id, target.account_pk)
            continue
        except MessageRejectedError as exc:
            rejected = exc
            log.warning("outbox row %s: message refused on account %s", row_id, target.account_pk)
            continue
        with uow_factory() as uow:
            # Guarded: a row cancelled meanwhile (an incident closed after this worker's lease ran
            # out) stays cancelled; a row ends with one of sent_at / failed_at / cancelled_at.
            recorded = rowcount(uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None),
                       OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None))
                .values(attempts=OutboxMessage.attempts + 1, sent_at=now, sent_channel=target.channel,
                        claimed_until=None)
            )) == 1
            if not recorded:
                uow.commit()
                log.warning("outbox row %s: sent via account %s after it was cancelled; left cancelled",
                            row_id, target.account_pk)
                return
            uow.commit()
        stats.sent += 1
        stats.sent_ids.append(row_id)
        log.info("outbox row %s: sent via account %s", row_id, target.account_pk)
        return
    failed, forwarded = fail_row(uow_factory, row_id, now=now, settings=settings, rejected=rejected)
    stats.failed += int(failed)
    stats.forwarded += forwarded
