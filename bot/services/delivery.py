"""Outbox delivery: send a claimed row, with a deadline, retries and fallbacks.

:func:`deliver` is the one way out of the outbox: it resolves the recipient's
accounts, sends outside any transaction (a network call must not hold database
locks) with a total deadline, and records the outcome in another short
transaction; all database work runs in worker threads. Rows are claimed by
:mod:`bot.services.outbox_claims` (short leases, ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL). The long-lived sender (``bot.scheduler.outbox_sender``) claims a
few rows at a time as send slots free up; :func:`drain_outbox` sends everything
ready once, in order (the demo, the tests and ``guanai`` commands without a
running sender).

Platform rate limits are kept by the channel's pacer (``bot.handlers.telegram``),
shared with direct replies, so a person's next message waits instead of
being refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.periods import in_quiet_hours
from bot.messages.prompt import Prompt
from bot.services import conversations, outbox, outbox_claims
from bot.services.delivery_fallbacks import fail_row
from bot.services.delivery_messages import marked_as_repeat
from bot.services.delivery_plan import _load_plan, _Plan, _Target
from bot.services.ports import (
    MessageRejectedError,
    PermanentSendError,
    Sender,
    TransientSendError,
    UowFactory,
    WaitForPersonError,
)
from bot.store.errors import rowcount
from bot.store.models import ChatAccount, OutboxMessage
from bot.store.threads import run_sync

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
        waiting: parked until the person writes (WeChat's 48-hour window, no template).
        given_up: rows whose lease ran out mid-delivery and another worker claimed (or an outcome
            ended): left to it, nothing more sent or recorded here.
    """

    sent: int = 0
    retried: int = 0
    deferred: int = 0
    failed: int = 0
    unreachable_accounts: int = 0
    forwarded: int = 0
    waiting: int = 0
    given_up: int = 0
    sent_ids: list[int] = field(default_factory=list)


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Wait before the next try: the platform's ``retry_after`` when it gave one, else ``5 s · 2^attempts``.

    The back-off is capped at 15 min. Flood control (Telegram ``RetryAfter``)
    says exactly when the chat may be written to again: waiting longer only
    delays the message, so its figure is used as it is.

    Args:
        attempts: failed attempts so far, before this one (0 for the first failure).
        retry_after: seconds the platform asked for (Telegram ``RetryAfter``).
    """
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * (2 ** min(attempts, 20)), BACKOFF_CAP_SECONDS))


async def drain_outbox(
    uow_factory: UowFactory,
    senders: Mapping[str, Sender],
    *,
    now: datetime,
    settings: Settings,
    limit: int = DEFAULT_LIMIT,
    deadline: float | None = None,
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
        deadline: seconds one platform call may take in all (default ``settings.send_deadline_seconds``).

    Returns:
        Counts of what happened. Logs carry outbox, person and account ids only.
    """
    stats = DrainStats()
    lease = max(MIN_CLAIM_LEASE, timedelta(seconds=limit))
    claimed, stats.deferred = await run_sync(
        outbox_claims.claim, uow_factory, now=now, settings=settings, limit=limit, lease=lease)
    for row in claimed:
        await deliver(uow_factory, row.row_id, senders, now=now, settings=settings, stats=stats,
                      deadline=deadline, repeat=row.repeat, claims=row.claims, lease=lease)
    return stats


async def deliver(
    uow_factory: UowFactory,
    row_id: int,
    senders: Mapping[str, Sender],
    *,
    now: datetime,
    settings: Settings,
    stats: DrainStats,
    deadline: float | None = None,
    repeat: bool = False,
    clock: Clock | None = None,
    claims: int | None = None,
    lease: timedelta | None = None,
) -> None:
    """Send one claimed outbox row and record the outcome: the one way out of the outbox.

    The recipient's accounts are tried in order (see :func:`drain_outbox`);
    each platform call has a total deadline, so a hung or trickling reply is
    abandoned and the row retried like any transient failure. The database
    work runs in worker threads, never on the event loop. Never raises: a
    crash is logged and the row's lease runs out, so it is tried again.

    A delivery may outlive its lease (a slow platform call, the pacer, a
    permanent failure after a long wait), and then another worker may claim
    the row and send it. So before each send, and before recording a retry, a
    wait or a failure, this worker checks it still holds its claim and renews
    the lease (``outbox_claims.hold``); if it lost the claim it stops there and
    records nothing about the row: the worker that took it (or the row's
    outcome) is responsible, so the person gets it once and it is never lost.

    Args:
        uow_factory: units of work; each step commits its own.
        row_id: a row this worker has claimed.
        senders: channel name → sender.
        now: UTC now.
        settings: the default zone and locale, the call deadline.
        stats: counts to add to.
        deadline: seconds one call may take in all (default ``settings.send_deadline_seconds``).
        repeat: the row's previous worker stopped mid-send: say it may be a second copy.
        clock: when given, the outcome is recorded at the clock's time after the call (``sent_at``
            is then when the platform answered: the recipient's pace across workers counts from it).
        claims: the count of this worker's claim (``Claimed.claims``); None: the row's count when it is
            loaded (a caller that has just claimed it).
        lease: how long each renewal holds the row (default ``settings.claim_lease_seconds``).
    """
    try:
        await _deliver(uow_factory, row_id, senders, now=now, settings=settings, stats=stats,
                       deadline=settings.send_deadline_seconds if deadline is None else deadline, repeat=repeat,
                       clock=clock, claims=claims,
                       lease=timedelta(seconds=settings.claim_lease_seconds) if lease is None else lease)
    except Exception:  # one bad row must not stop the others; its lease expires and it is retried
        log.exception("outbox row %s: delivery crashed", row_id)


def _present(uow_factory: UowFactory, target: _Target, prompt: Prompt, now: datetime, urgent: bool, quiet: bool) \
        -> Prompt:
    """The agenda hook (``conversations.present``) in its own committed transaction; returns the prompt to send."""
    with uow_factory() as uow:
        shown = conversations.present(uow, channel=target.channel, account_id=target.account_id, prompt=prompt,
                                      now=now, urgent=urgent, quiet=quiet)
        uow.commit()
    return shown


def _record_transient(uow_factory: UowFactory, row_id: int, claims: int, channel: str, reason: str, now: datetime,
                      delay: timedelta) -> bool:
    with uow_factory() as uow:
        # Guarded by this worker's claim: a worker that took the row over keeps its lease.
        recorded = rowcount(uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claims == claims, *outbox_claims.pending())
            .values(attempts=OutboxMessage.attempts + 1, not_before=now + delay, claimed_until=None,
                    last_error=f"transient on {channel}: {reason}"[:500])
        )) == 1
        uow.commit()
    return recorded


def _record_unreachable(uow_factory: UowFactory, account_pk: int, reason: str, now: datetime) -> None:
    with uow_factory() as uow:
        account = uow.session.get(ChatAccount, account_pk)
        if account is not None:  # (again) unreachable from now on, until the person writes
            account.unreachable_at = now
            account.unreachable_reason = reason[:200]
        uow.commit()


def _record_sent(uow_factory: UowFactory, row_id: int, channel: str, now: datetime) -> bool:
    with uow_factory() as uow:
        # Guarded: a row cancelled meanwhile (an incident closed after this worker's lease ran
        # out) stays cancelled; a row ends with one of sent_at / failed_at / cancelled_at.
        recorded = rowcount(uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, *outbox_claims.pending())
            .values(attempts=OutboxMessage.attempts + 1, sent_at=now, sent_channel=channel, claimed_until=None)
        )) == 1
        uow.commit()
    return recorded


async def _send(sender: Sender, target: _Target, prompt: Prompt, plan: _Plan, deadline: float) -> None:
    try:
        async with asyncio.timeout(deadline):
            await sender.send(target.account_id, prompt, plan.locale, plan.timezone)
    except TimeoutError as exc:
        # A hung or trickling answer: the message may or may not have arrived; retry like a network error.
        raise TransientSendError(f"no answer within {deadline:.0f} s") from exc


async def _deliver(uow_factory: UowFactory, row_id: int, senders: Mapping[str, Sender], *,
                   now: datetime, settings: Settings, stats: DrainStats, deadline: float, repeat: bool,
                   clock: Clock | None, claims: int | None, lease: timedelta) -> None:
    plan = await run_sync(_load_plan, uow_factory, row_id, senders, settings, now)
    if plan is None:
        return
    mine = plan.claims if claims is None else claims

    async def held(step: str) -> bool:
        """Whether this worker still holds the row (its lease renewed); if not, leave it to whoever does."""
        if await run_sync(outbox_claims.hold, uow_factory, row_id, claims=mine,
                          now=clock.now() if clock is not None else now, lease=lease):
            return True
        stats.given_up += 1
        log.warning("outbox row %s: lease lost before %s; left to the worker that claimed it", row_id, step)
        return False

    rejected: MessageRejectedError | None = None
    waiting_on: str | None = None
    for target in plan.targets:
        if not await held("a send"):
            return
        prompt = marked_as_repeat(plan.prompt) if repeat else plan.prompt
        if prompt.choices or prompt.kind in conversations.ENDING_KINDS:  # a close brings back what an alert held
            # The agenda hook (conversations.present): committed before sending, a typed "1" answers what is shown.
            quiet = in_quiet_hours(now, plan.timezone, settings.quiet_start, settings.quiet_end)  # no question at 22:00
            prompt = await run_sync(_present, uow_factory, target, prompt, now, plan.urgent, quiet)
        try:
            await _send(senders[target.channel], target, prompt, plan, deadline)
        except TransientSendError as exc:
            now = clock.now() if clock is not None else now
            delay = retry_delay(plan.attempts, exc.retry_after)
            if not await run_sync(_record_transient, uow_factory, row_id, mine, target.channel,
                                  type(exc).__name__, now, delay):
                stats.given_up += 1
                log.warning("outbox row %s: lease lost during a send; left to the worker that claimed it", row_id)
                return
            stats.retried += 1
            log.info("outbox row %s: transient failure on account %s, retry in %.0f s",
                     row_id, target.account_pk, delay.total_seconds())
            return
        except PermanentSendError as exc:
            await run_sync(_record_unreachable, uow_factory, target.account_pk,
                                    str(exc) or type(exc).__name__, now)
            stats.unreachable_accounts += 1
            log.warning("outbox row %s: account %s unreachable", row_id, target.account_pk)
            continue
        except WaitForPersonError as exc:
            if plan.urgent:  # an alert cannot wait for the person: refused here, the next account or the fallback
                rejected = MessageRejectedError(str(exc))
            waiting_on = waiting_on or target.channel
            log.info("outbox row %s: account %s can be written to once the person writes", row_id, target.account_pk)
            continue
        except MessageRejectedError as exc:
            rejected = exc
            log.warning("outbox row %s: message refused on account %s", row_id, target.account_pk)
            continue
        now = clock.now() if clock is not None else now
        if not await run_sync(_record_sent, uow_factory, row_id, target.channel, now):
            log.warning("outbox row %s: sent via account %s after it was cancelled; left cancelled",
                        row_id, target.account_pk)
            return
        stats.sent += 1
        stats.sent_ids.append(row_id)
        log.info("outbox row %s: sent via account %s", row_id, target.account_pk)
        return
    if not await held("recording its outcome"):  # the fallback too is the new worker's to run
        return
    if waiting_on is not None and not plan.urgent:
        # No other account took it and the person can be written to once they write: wait for that
        # rather than retry every minute or fail (bot.services.outbox.release_waiting).
        await run_sync(outbox.wait_for_person, uow_factory, row_id, waiting_on, now=clock.now() if clock else now)
        stats.waiting += 1
        return
    failed, forwarded = await run_sync(fail_row, uow_factory, row_id, now=now, settings=settings,
                                                rejected=rejected)
    stats.failed += int(failed)
    stats.forwarded += forwarded
