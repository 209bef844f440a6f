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
import re
from collections.abc import Callable, Mapping
from dataclasses import replace, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select, update

from bot.config import Settings
from bot.domain.enums import Priority, RelationKind, Role, TaskKind
from bot.domain.periods import defer_for_quiet_hours, local_date, week_period
from bot.flows.prompt import phone as phone_param, N_, Prompt, msg, text
from bot.i18n import normalise_locale
from bot.services import conversations, identity, incidents
from bot.services.outbox import enqueue
from bot.services.ports import MessageRejectedError, PermanentSendError, Sender, TransientSendError
from bot.store.models import (
    ChatAccount,
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    OutboxMessage,
    Person,
    School,
    SchoolClass,
    Task,
)
from bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 200
# A claim must outlive the batch's sends, or another worker could take a row
# still being sent. The sender may pace us to about 1 message/s per chat
# (Telegram), so allow a second per claimed row, and at least two minutes.
# A worker that dies leaves its rows to be retried after the lease.
MIN_CLAIM_LEASE = timedelta(minutes=2)
PHONE_TASK_QUIET_DAYS = 7
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0

_GUARDIAN_KINDS = (RelationKind.ENTRUSTED_GUARDIAN, RelationKind.FATHER, RelationKind.MOTHER)
_FAMILY_ROLES = frozenset({Role.GUARDIAN, Role.PARENT})
# Rows written by :func:`_forward_to_admins`; when one fails nothing more is forwarded (no loops).
FORWARD_KEY_PREFIX = "fwd:"
# Keys that name the child a message is about: "task:<task id>:…" and "incident:<incident id>:…".
_SUBJECT_KEY = re.compile(r"^(task|incident):(\d+):")


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


def _claim(uow_factory: Callable[[], UnitOfWork], *, now: datetime, settings: Settings, limit: int,
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
            if result.rowcount == 1:
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


def _accounts_in_order(s: Any, person: Person) -> list[ChatAccount]:
    """The person's reachable accounts: preferred channel first, then most recently seen or bound.

    An account marked unreachable counts again once the person writes from it
    (``last_seen_at`` after ``unreachable_at``): they followed the WeChat
    account again, unblocked the bot, or reopened WeChat's 48-hour window.
    """
    accounts = s.scalars(
        select(ChatAccount).where(
            ChatAccount.person_id == person.id,
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
    accounts = _accounts_in_order(s, person) if person else []
    targets = tuple(_Target(a.id, a.channel, a.account_id) for a in accounts if a.channel in senders)
    return _Plan(Prompt.from_dict(row.payload), locale, tz, targets, row.incident_step_id, row.attempts)


async def drain_outbox(
    uow_factory: Callable[[], UnitOfWork],
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
    ``incidents.on_recipient_unreachable`` (the alert did not arrive, whatever
    the reason); any other row to a guardian or parent gives each of their
    children's class teachers a phone-call task (one per contact, child and
    school day) with a message naming the contact and their phone number; any
    other row to anyone else (staff: not a guardian or parent) is forwarded
    once to the school's admins and leaders and, for a message about a child,
    to that child's class teacher (see :func:`_forward_to_admins`). A forwarded
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


async def _deliver(uow_factory: Callable[[], UnitOfWork], row_id: int, senders: Mapping[str, Sender], *,
                   now: datetime, settings: Settings, stats: DrainStats) -> None:
    with uow_factory() as uow:
        plan = _plan(uow, row_id, senders, settings, now)
    if plan is None:
        return
    rejected: MessageRejectedError | None = None
    for target in plan.targets:
        prompt = plan.prompt
        if prompt.choices and not getattr(senders[target.channel], "has_buttons", True):
            # Numbered before sending, so the numbers shown are the ones the engine reads back.
            with uow_factory() as uow:
                first = conversations.reserve_numbers(uow, channel=target.channel, account_id=target.account_id,
                                                      payloads=[c.payload for c in prompt.choices], now=now,
                                                      labels=[[c.label, c.params] for c in prompt.choices])
                uow.commit()
            prompt = replace(prompt, first_number=first)
        try:
            await senders[target.channel].send(target.account_id, prompt, plan.locale, plan.timezone)
        except TransientSendError as exc:
            delay = retry_delay(plan.attempts, exc.retry_after)
            with uow_factory() as uow:
                row = uow.session.get(OutboxMessage, row_id)
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
            recorded = uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None),
                       OutboxMessage.failed_at.is_(None), OutboxMessage.cancelled_at.is_(None))
                .values(attempts=OutboxMessage.attempts + 1, sent_at=now, sent_channel=target.channel,
                        claimed_until=None)
            ).rowcount == 1
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
    _fail(uow_factory, row_id, now=now, stats=stats, rejected=rejected)


def _fail(uow_factory: Callable[[], UnitOfWork], row_id: int, *, now: datetime, stats: DrainStats,
          rejected: MessageRejectedError | None = None) -> None:
    """No account took the row: run the fallback and mark the row failed, in one transaction if possible.

    Args:
        rejected: set when at least one account refused the message itself; a
            non-incident row then gets no fallback (see :func:`drain_outbox`).
    """
    error = f"message rejected: {rejected}"[:500] if rejected is not None else "no reachable chat account"
    try:
        with uow_factory() as uow:
            row = uow.session.get(OutboxMessage, row_id)
            if row.cancelled_at is not None or row.sent_at is not None:
                return  # cancelled by a close meanwhile: not a failure, no fallback
            if row.incident_step_id is not None:
                incidents.on_recipient_unreachable(uow, incident_step_id=row.incident_step_id, now=now)
            elif rejected is None and not row.key.startswith(FORWARD_KEY_PREFIX):
                _phone_tasks_for_class_teachers(uow, row.person_id, now=now)
                stats.forwarded += _forward_to_admins(uow, row, now=now)
            row.failed_at = now
            row.claimed_until = None
            row.last_error = error
            uow.commit()
    except Exception as exc:  # the fallback is another service's; never lose the failure itself
        log.exception("outbox row %s: fallback failed", row_id)
        with uow_factory() as uow:
            row = uow.session.get(OutboxMessage, row_id)
            row.failed_at = now
            row.claimed_until = None
            row.last_error = f"{error}; fallback failed: {type(exc).__name__}"[:500]
            uow.commit()
    stats.failed += 1
    log.warning("outbox row %s: failed (%s)", row_id, "message rejected" if rejected is not None else "no reachable account")


def _phone_tasks_for_class_teachers(uow: UnitOfWork, person_id: int, *, now: datetime) -> int:
    """A phone-call task (and a message) for the class teacher of each child the contact cares for.

    Only guardians and parents get this fallback: a teacher or official who
    cannot be reached has no class teacher to phone them. A contact who misses
    many messages makes one task, not one per message: no new task while one
    for the same contact and child is open and under
    :data:`PHONE_TASK_QUIET_DAYS` (7) days old; the key
    ``phone_contact:{contact}:{child}:{school-local date}`` keeps it unique.

    Returns:
        The number of new tasks.
    """
    s = uow.session
    contact = s.get(Person, person_id)
    if contact is None:
        return 0
    school = s.get(School, contact.school_id)
    tz = school.timezone if school else "Asia/Shanghai"
    today = local_date(now, tz).isoformat()
    rows = s.execute(
        select(Child.id, Child.name, SchoolClass.class_teacher_id)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(
            ChildRelation.person_id == person_id,
            ChildRelation.kind.in_([k.value for k in _GUARDIAN_KINDS]),
            Child.active.is_(True),
            SchoolClass.class_teacher_id.is_not(None),
        )
        .distinct()
    ).all()
    created = 0
    for child_id, child_name, teacher_id in rows:
        if teacher_id == person_id:
            continue
        key = f"phone_contact:{person_id}:{child_id}:{today}"
        open_task = s.scalar(
            select(Task.id).where(
                Task.kind == TaskKind.PHONE_CONTACT.value, Task.about_person_id == person_id,
                Task.child_id == child_id, Task.done_at.is_(None),
                Task.created_at > now - timedelta(days=PHONE_TASK_QUIET_DAYS),
            ).limit(1)
        )
        if open_task is not None or s.scalar(select(Task.id).where(Task.key == key)) is not None:
            continue
        task = Task(key=key, kind=TaskKind.PHONE_CONTACT.value, child_id=child_id, assignee_id=teacher_id,
                    about_person_id=person_id, detail="unreachable on every chat account", created_at=now)
        s.add(task)
        s.flush()
        if contact.phone:
            prompt = Prompt(
                N_("{contact}, a contact of {child}, cannot be reached by chat. Please phone them: {phone}."),
                {"contact": text(contact.name), "child": text(child_name), "phone": phone_param(contact.phone)},
            )
        else:
            prompt = Prompt(
                N_("{contact}, a contact of {child}, cannot be reached by chat and has no phone number on file. "
                   "Please reach them another way."),
                {"contact": text(contact.name), "child": text(child_name)},
            )
        enqueue(s, key=f"task:{task.id}:notify", person_id=teacher_id, prompt=prompt,
                priority=Priority.BULK, now=now)
        created += 1
        log.info("phone task %s for teacher %s about person %s (child %s)", task.id, teacher_id, person_id, child_id)
    return created


def _child_of(uow: UnitOfWork, row: OutboxMessage) -> Child | None:
    """The child an outbox row is about, when its incident step or key says so (else None)."""
    s = uow.session
    child_id: int | None = None
    if row.incident_step_id is not None:
        child_id = s.scalar(select(Incident.child_id).join(IncidentStep, IncidentStep.incident_id == Incident.id)
                            .where(IncidentStep.id == row.incident_step_id))
    elif (match := _SUBJECT_KEY.match(row.key)) is not None:
        model = Task if match[1] == "task" else Incident
        child_id = s.scalar(select(model.child_id).where(model.id == int(match[2])))
    return s.get(Child, child_id) if child_id is not None else None


def _forward_to_admins(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> int:
    """Forward an undeliverable message to a staff member to whoever can act on it instead.

    Guardians and parents have the phone-task fallback; anyone else (a helper
    teacher without a chat account, a class teacher who blocked the bot, …)
    would otherwise lose the message silently — e.g. a guardian's "needs help"
    told "your teacher will contact you" while nobody was told. The copy goes,
    once (key ``fwd:<row>:to:<person>``), to each admin and leader of the
    recipient's school and, when the row is about a child (an incident or a
    task), to the child's class teacher, never to the original recipient. It
    starts with a line naming whom it was meant for and saying they cannot be
    reached (worded as urgent for an URGENT row), then the original message;
    it keeps the row's priority and drops its buttons (they answer the original
    recipient's conversation, not the new one's).

    A row about no child (the daily digest of talks due) is forwarded at most
    once per unreachable person and school-local ISO week (key
    ``fwd:person:<person>:<week>:to:<person>``): it tells the admins that the
    teacher cannot be reached and what is due, without a copy every morning
    for every unbound teacher.

    Returns:
        The number of copies enqueued (0 for a guardian or parent, when nobody
        else is on record — then a warning is logged — or when this week's
        copy about a childless message went out already).
    """
    s = uow.session
    person = s.get(Person, row.person_id)
    if person is None or person.role_set & _FAMILY_ROLES:
        return 0
    child = _child_of(uow, row)
    to: list[int] = []
    if child is not None and child.class_id is not None:
        teacher_id = s.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id))
        if teacher_id is not None:
            to.append(teacher_id)
    to += identity.school_admin_ids(uow, person.school_id)
    to = [p for p in dict.fromkeys(to) if p != person.id]
    if not to:
        log.warning("outbox row %s: person %s unreachable and nobody to forward to", row.id, person.id)
        return 0
    urgent = row.priority == Priority.URGENT.value
    original = Prompt.from_dict(row.payload)
    roles = [msg(identity.ROLE_LABELS[r]) for r in identity.sorted_roles(person.role_set)
             if r in identity.ROLE_LABELS]
    heading = (
        N_("URGENT, forwarded to you: this message was meant for {name} ({roles}), who cannot be reached "
           "by chat. Please act on it or pass it on:")
        if urgent else
        N_("Forwarded to you: this message was meant for {name} ({roles}), who cannot be reached by chat. "
           "Please act on it or pass it on:")
    )
    prompt = Prompt(heading, {"name": text(person.name), "roles": roles or "—"},
                    lines=((original.message_id, original.params), *original.lines))
    if child is not None:
        base = f"{FORWARD_KEY_PREFIX}{row.id}"
    else:
        school = s.get(School, person.school_id)
        week = week_period(now, (school.timezone if school else None) or "Asia/Shanghai")
        base = f"{FORWARD_KEY_PREFIX}person:{person.id}:{week}"
    created = 0
    for person_id in to:
        key = f"{base}:to:{person_id}"
        if s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        enqueue(s, key=key, person_id=person_id, prompt=prompt, priority=Priority(row.priority), now=now)
        created += 1
    log.info("outbox row %s: person %s unreachable, forwarded to %s people", row.id, person.id, created)
    return created
