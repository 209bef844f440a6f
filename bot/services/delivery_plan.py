"""Planning one outbox row's delivery: its prompt, locale, zone and the accounts to try in order.

Moved out of :mod:`bot.services.delivery` (which sends and records); the
plan is read in one short transaction before any platform call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.domain.enums import Channel, Priority
from bot.i18n import normalise_locale
from bot.messages.prompt import Prompt
from bot.services import incidents, outbox_prompts
from bot.services.ports import Sender, UnitOfWork, UowFactory
from bot.store.models import ChatAccount, OutboxMessage, Person, School


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
    urgent: bool
    claims: int


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
    person = s.get(Person, row.person_id) if row.person_id is not None else None  # None: cancelled at erasure
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
        if settings.telegram_mainland_mode:  # Telegram carries only a pointer there: any other channel first
            accounts = sorted(accounts, key=lambda a: a.channel == Channel.TELEGRAM.value)
        targets = tuple(_Target(a.id, a.channel, a.account_id) for a in accounts if a.channel in senders)
    prompt = outbox_prompts.prompt_of(uow, row, timezone=tz)  # a check-in question or digest is worded now
    if prompt is None:  # its check-in is gone: nothing to ask
        row.cancelled_at = now
        uow.commit()
        return None
    return _Plan(prompt, locale, tz, targets, row.incident_step_id, row.attempts, row.priority == Priority.URGENT.value,
                 row.claims or 0)



def _load_plan(uow_factory: UowFactory, row_id: int, senders: Mapping[str, Sender], settings: Settings,
               now: datetime) -> _Plan | None:
    with uow_factory() as uow:
        return _plan(uow, row_id, senders, settings, now)
