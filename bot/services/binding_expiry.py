"""Bindings unused for too long are warned, then removed (issue 10, item 10): a daily job of the scheduler.

An account is *used* when a message comes from it (``ChatAccount.last_seen_at``,
set by :func:`bot.services.identity.actor_for`); one never used counts from
``bound_at``. Messages the bot sends do not count: a delivered alert does not
show that anybody still holds the phone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from bot.config import Settings
from bot.domain.enums import Priority
from bot.domain.periods import local_date
from bot.messages.prompt import Prompt, PromptKind, dt, text
from bot.messages.prompt import phone as phone_param
from bot.services import binding_probation
from bot.services.binding_messages import EXPIRED_TO_ADMINS, EXPIRY_WARNING
from bot.services.bindings import (
    Binding,
    RemovedBy,
    active_admins,
    as_binding,
    has_active_account,
    remove,
    role_labels,
    tell_account,
)
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, OutboxMessage, Person, PlanMarker

log = logging.getLogger(__name__)


def expire_bindings(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Warn, then remove, bindings unused for ``settings.binding_expiry_days`` (once per school day).

    Runs from the scheduler tick; a :class:`PlanMarker` ``binding-expiry:<date>``
    (the date in ``settings.timezone``) makes it a daily job whatever the tick
    interval. ``binding_expiry_warning_days`` before the end, the account is
    warned once per stretch of non-use (the key names the last use), BULK (it
    waits out the quiet hours): "send 我的 or /me to keep it" — not "reply
    anything", since free text is relayed to a teacher. At the end the
    binding is removed (the account is told how to bind again, the person's
    other accounts are told); when the person has no account left, the
    school's admins are told to phone them. The caller commits.

    Args:
        uow: the unit of work (the caller commits).
        now: aware UTC.
        settings: ``binding_expiry_days`` (0: never), ``binding_expiry_warning_days``, ``timezone``.

    Returns:
        Warnings enqueued plus bindings removed (0 when already run today or expiry is off).
    """
    if settings.binding_expiry_days <= 0:
        return 0
    s = uow.session
    marker = f"binding-expiry:{local_date(now, settings.timezone).isoformat()}"
    if s.scalar(select(PlanMarker.id).where(PlanMarker.key == marker)) is not None:
        return 0
    life = timedelta(days=settings.binding_expiry_days)
    warn_after = life - timedelta(days=min(settings.binding_expiry_warning_days, settings.binding_expiry_days))
    since = now - warn_after  # only the accounts unused for that long: a handful a day, not the whole table
    rows = s.scalars(select(ChatAccount).where(
        ChatAccount.bound_at <= since,
        or_(ChatAccount.last_seen_at.is_(None), ChatAccount.last_seen_at <= since),
    ).order_by(ChatAccount.id)).all()
    actions = 0
    for b in [as_binding(r) for r in rows]:
        expires = b.last_used + life
        if expires <= now:
            # WeChat outside 48 hours, no template: the account is not told (nothing parked for ever, fix9k).
            told = binding_probation.can_be_told_unlinked(uow, b.id, settings, now)
            remove(uow, binding_id=b.id, now=now, by=RemovedBy.EXPIRED, settings=settings, tell_removed=told)
            if not has_active_account(uow, b.person_id):
                _tell_admins(uow, b, settings, now)
            actions += 1
        elif not b.pending:
            key = f"binding:{b.id}:warn:{int(b.last_used.timestamp())}"
            # WeChat outside 48 hours with no template: it cannot reach that chat; parked, it would wait for ever
            # (or come after the message that made it moot). A template carries it (fix9k).
            if s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None \
                    and binding_probation.can_be_told_unlinked(uow, b.id, settings, now):  # warned once
                tell_account(uow, b, key, Prompt(EXPIRY_WARNING, {"since": dt(b.last_used), "expires": dt(expires)},
                                                 kind=PromptKind.ACCOUNT_NOTICE), Priority.BULK, now)
                actions += 1
    s.add(PlanMarker(key=marker, created_at=now))
    s.flush()
    if actions:
        log.info("binding expiry: %d warnings and removals", actions)
    return actions


def _tell_admins(uow: UnitOfWork, gone: Binding, settings: Settings, now: datetime) -> None:
    """The person has no account left: the admins are asked to phone them."""
    person = uow.session.get(Person, gone.person_id)
    if person is None:
        return
    params = {"name": text(person.name), "roles": role_labels(person.role_set), "days": settings.binding_expiry_days,
              "phone": phone_param(person.phone) if person.phone else text("—")}
    for admin_id in active_admins(uow, person.school_id, besides=person.id):
        enqueue(uow.session, key=f"binding:{gone.id}:{gone.epoch}:expired:admin:{admin_id}", person_id=admin_id,
                prompt=Prompt(EXPIRED_TO_ADMINS, params), priority=Priority.BULK, now=now)
