"""Binding lifecycle: list, announce, confirm, remove and expire a person's chat accounts.

Issue 10, item 10: a second chat account must never silently take over a
person's messages. A binding is a ``chat_accounts`` row made by
:func:`bot.services.identity.bind` with a one-time invite code.

Rules (docs/bindings.md has the whole picture):

* **Announced.** A new account of a person who already has one is told, on
  each of the person's other accounts (messages addressed to that account, not
  to the person), which channel was linked and when, that messages now go to
  the account used last, and how to remove it. The school's admins and leaders
  are told when the person now has two or more accounts, or is staff or an
  official; a guardian's or parent's first account is not announced (they come
  by the hundred at the start of a term and take nothing over).
* **Alerts** keep going to the person's preferred channel if they chose one,
  else to the account used (or bound) last (``bot.services.delivery``) — never
  silently, because of the announcement above.
* **Confirmed.** With ``settings.confirm_staff_bindings`` a new binding of a
  staff member or official is *pending* (``ChatAccount.pending_since``): it has
  no access and gets no messages until an admin confirms it (chat buttons, or
  ``guanai bindings PERSON --confirm ID``); a refusal removes it.
* **Removed.** By the person (``/me``), an admin (``/unbind``, ``guanai
  unbind``), a refusal, or expiry. The row is deleted (the same chat can be
  bound again later); its conversation is reset; the removed account and the
  person's remaining accounts are told.
* **Expired.** An account not used (no message from it) for
  ``settings.binding_expiry_days`` is removed, once a day from the scheduler
  (:mod:`bot.services.binding_expiry`).

Outbox keys carry the account id *and* its bound time (``binding:<id>:<epoch>:…``):
ids of deleted rows may be reused by SQLite, a bound time is not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update

from bot.config import Settings
from bot.domain.enums import ADMIN_ROLES, OFFICIAL_ROLES, STAFF_ROLES, Priority
from bot.messages import payloads
from bot.messages.labels import CHANNEL_LABELS, ROLE_LABELS
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, msg, text
from bot.services import identity
from bot.services.binding_messages import (
    ACCOUNT_SINCE,
    ADMIN_UNLINKED_TO_PERSON,
    ALREADY_DECIDED,
    ALSO_LINKED,
    CONFIRM,
    CONFIRM_QUESTION,
    CONFIRMED_REPLY,
    CONFIRMED_TO_ACCOUNT,
    DENIED_TO_ACCOUNT,
    EXPIRED_TO_ACCOUNT,
    EXPIRED_TO_PERSON,
    NEW_ACCOUNT_TO_ADMINS,
    NEW_ACCOUNT_TO_OTHERS,
    NOT_ADMIN_DECISION,
    REFUSE,
    REFUSED_REPLY,
    REFUSED_TO_ACCOUNT,
    REFUSED_TO_PERSON,
    SCHOOL_UNLINKED_TO_PERSON,
    SELF_CONFIRMED_REPLY,
    SELF_REFUSED_REPLY,
    UNLINKED_BY_ADMIN,
    UNLINKED_BY_SCHOOL,
    UNLINKED_BY_SELF,
)
from bot.services.identity import Actor
from bot.services.invites import PersonCandidate
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import ChatAccount, Conversation, Invite, Person, School

log = logging.getLogger(__name__)


class RemovedBy(StrEnum):
    """Why a binding ends (what the removed account and the person are told)."""

    SELF = "self"  # the person, from /me
    ADMIN = "admin"  # an admin in chat (/unbind)
    SCHOOL = "school"  # the command line (guanai unbind)
    REFUSED = "refused"  # an admin refused a pending binding
    EXPIRED = "expired"  # unused for settings.binding_expiry_days
    DENIED = "denied"  # the person said a new account on probation was not theirs


@dataclass(frozen=True)
class Binding:
    """One chat account bound to a person, as listed in ``/me`` and ``guanai bindings``.

    Attributes:
        id: ``chat_accounts.id``.
        person_id: whose it is.
        channel: ``Channel`` value; account_id: the platform's id (OpenID, chat id).
        bound_at: aware UTC; last_seen_at: the last message from it (UTC), or None.
        pending: waiting for an admin's confirmation (no access, no messages).
    """

    id: int
    person_id: int
    channel: str
    account_id: str
    bound_at: datetime
    last_seen_at: datetime | None
    pending: bool

    @property
    def last_used(self) -> datetime:
        """When the account was last used: its last message, else its binding."""
        return max(self.last_seen_at or self.bound_at, self.bound_at)

    @property
    def epoch(self) -> int:
        """The bound time in whole Unix seconds (outbox keys, confirmation buttons)."""
        return int(self.bound_at.timestamp())


def as_binding(row: ChatAccount) -> Binding:
    """The :class:`Binding` of a ``chat_accounts`` row."""
    return Binding(row.id, row.person_id, row.channel, row.account_id, row.bound_at, row.last_seen_at,
                   row.pending_since is not None)


def channel_label(channel: str) -> dict:
    """The channel's name as a nested message (``Telegram``, ``微信``)."""
    return msg(CHANNEL_LABELS.get(channel, channel))


def bindings_of(uow: UnitOfWork, person_id: int) -> list[Binding]:
    """The person's bound accounts, oldest binding first."""
    rows = uow.session.scalars(
        select(ChatAccount).where(ChatAccount.person_id == person_id).order_by(ChatAccount.bound_at, ChatAccount.id))
    return [as_binding(r) for r in rows]


def binding(uow: UnitOfWork, binding_id: int) -> Binding | None:
    """One binding by ``chat_accounts.id``, or None (also for an id no row can have)."""
    if not 1 <= binding_id <= payloads.MAX_ID:
        return None
    row = uow.session.get(ChatAccount, binding_id)
    return as_binding(row) if row is not None else None


def is_pending(uow: UnitOfWork, *, channel: str, account_id: str) -> bool:
    """Whether this chat is bound but still waits for an admin's confirmation."""
    return uow.session.scalar(
        select(ChatAccount.id).where(ChatAccount.channel == str(channel), ChatAccount.account_id == str(account_id),
                                     ChatAccount.pending_since.is_not(None))) is not None


def role_labels(roles: frozenset[str]) -> list[dict[str, Any]]:
    """Role values as nested labels (a list parameter, joined by the renderer)."""
    return [msg(ROLE_LABELS[r]) for r in identity.sorted_roles(roles) if r in ROLE_LABELS] or [
        msg(N_("no role yet"))]


def tell_account(uow: UnitOfWork, b: Binding, key: str, prompt: Prompt, priority: Priority, now: datetime) -> None:
    """Enqueue a message to this one account (even after it is removed), in its person's language."""
    enqueue(uow.session, key=key, person_id=b.person_id, prompt=prompt, priority=priority, now=now,
            to_channel=b.channel, to_account=b.account_id)


def active_admins(uow: UnitOfWork, school_id: int, *, besides: int) -> list[int]:
    """Admins and leaders of the school with at least one active account, other than ``besides``."""
    ids = [i for i in identity.school_admin_ids(uow, school_id) if i != besides]
    if not ids:
        return []
    active = set(uow.session.scalars(
        select(ChatAccount.person_id).where(ChatAccount.person_id.in_(ids), ChatAccount.pending_since.is_(None))))
    return [i for i in ids if i in active]


def has_active_account(uow: UnitOfWork, person_id: int) -> bool:
    """Whether a person message can reach them (an account that is not waiting for confirmation)."""
    return uow.session.scalar(select(ChatAccount.id).where(
        ChatAccount.person_id == person_id, ChatAccount.pending_since.is_(None)).limit(1)) is not None


def announce(uow: UnitOfWork, *, account: ChatAccount, now: datetime, mainland: bool = False) -> Prompt | None:
    """Tell the person's other accounts and the admins about a new binding; the caller commits.

    Called by :func:`bot.services.invites.bind` when a chat account became the
    person's (not for a replayed code or a new code on the same chat).

    Args:
        uow: the unit of work of the binding.
        account: the new row (flushed: it has its id).
        now: aware UTC, the binding time.
        mainland: Telegram carries only a pointer (``binding_probation.can_be_asked``).

    Returns:
        A line for the new account's greeting naming the person's other
        accounts (``ALSO_LINKED``), or None when it is their only one.
    """
    s = uow.session
    person = get_or_raise(s, Person, account.person_id)
    new = as_binding(account)
    others = [b for b in bindings_of(uow, person.id) if b.id != new.id]
    from bot.services import binding_probation  # (it builds on this module)

    if new.pending and (active := binding_probation.active_others(uow, person.id, besides=new.id)):
        binding_probation.announce(uow, person=person, new=new, others=active, now=now, mainland=mainland)
        return Prompt(ALSO_LINKED, {"accounts": [
            msg(ACCOUNT_SINCE, channel=channel_label(a.channel), when=dt(a.bound_at)) for a in active]})
    for other in others:
        if other.pending:
            continue
        tell_account(uow, other, f"binding:{new.id}:{new.epoch}:tell:{other.id}",
                   Prompt(NEW_ACCOUNT_TO_OTHERS, {"channel": channel_label(new.channel), "when": dt(now)}),
                   Priority.URGENT, now)
    roles = person.role_set
    params = {"name": text(person.name), "roles": role_labels(roles), "channel": channel_label(new.channel),
              "when": dt(now)}
    if new.pending:
        for admin_id in active_admins(uow, person.school_id, besides=person.id):
            choices = tuple(Choice(label, payloads.binding_decision(new.id, new.epoch, confirm=yes))
                            for label, yes in ((CONFIRM, True), (REFUSE, False)))
            enqueue(s, key=f"binding:{new.id}:{new.epoch}:confirm:{admin_id}", person_id=admin_id,
                    prompt=Prompt(CONFIRM_QUESTION, params, choices=choices), priority=Priority.BULK, now=now)
    elif others or roles & (STAFF_ROLES | OFFICIAL_ROLES):
        for admin_id in active_admins(uow, person.school_id, besides=person.id):
            enqueue(s, key=f"binding:{new.id}:{new.epoch}:admin:{admin_id}", person_id=admin_id,
                    prompt=Prompt(NEW_ACCOUNT_TO_ADMINS, {**params, "count": len(others) + 1}),
                    priority=Priority.BULK, now=now)
    log.info("binding %s of person %s announced to %d other accounts", new.id, person.id, len(others))
    if not others:
        return None
    return Prompt(ALSO_LINKED, {"accounts": [
        msg(ACCOUNT_SINCE, channel=channel_label(b.channel), when=dt(b.bound_at)) for b in others]})


def remove(uow: UnitOfWork, *, binding_id: int, now: datetime, by: RemovedBy, admin_name: str | None = None,
           current: tuple[str, str] | None = None, settings: Settings | None = None,
           tell_removed: bool = True) -> Binding | None:
    """Remove one binding and tell whom it concerns; the caller commits.

    Args:
        uow: the unit of work (the caller commits).
        binding_id: ``chat_accounts.id``.
        now: aware UTC.
        by: why; decides the messages (see the module doc).
        admin_name: ADMIN: the admin's name, shown to the person.
        current: ``(channel, account_id)`` of the chat this is done from: that
            chat gets its answer in the reply, not a message, and its
            conversation is left to the caller.
        settings: EXPIRED: for the number of days.
        tell_removed: False when the removed account cannot be told (the caller says so instead).

    Returns:
        The removed binding, or None when it no longer exists (removed meanwhile).
    """
    s = uow.session
    row = s.get(ChatAccount, binding_id)
    if row is None:
        return None
    gone = as_binding(row)
    person = get_or_raise(s, Person, gone.person_id)
    s.execute(update(Invite).where(Invite.used_by_account_id == gone.id).values(used_by_account_id=None))
    s.delete(row)
    s.flush()
    if current != (gone.channel, gone.account_id):
        # A question still waiting in that chat must not be answerable by whoever holds it now.
        s.execute(update(Conversation)
                  .where(Conversation.channel == gone.channel, Conversation.account_id == gone.account_id)
                  .values(flow=None, state=None, data={}, version=Conversation.version + 1))
    days = settings.binding_expiry_days if settings else 0
    key = f"binding:{gone.id}:{gone.epoch}:removed"
    bound = dt(gone.bound_at)
    to_account = {
        RemovedBy.SELF: Prompt(UNLINKED_BY_SELF, {"name": text(person.name)}),
        RemovedBy.ADMIN: Prompt(UNLINKED_BY_ADMIN, {"admin": text(admin_name or "")}),
        RemovedBy.SCHOOL: Prompt(UNLINKED_BY_SCHOOL),
        RemovedBy.REFUSED: Prompt(REFUSED_TO_ACCOUNT),
        RemovedBy.EXPIRED: Prompt(EXPIRED_TO_ACCOUNT, {"days": days, "name": text(person.name)}),
        RemovedBy.DENIED: Prompt(DENIED_TO_ACCOUNT),
    }[by]
    if tell_removed and current != (gone.channel, gone.account_id):  # a template carries it outside WeChat's 48 h
        tell_account(uow, gone, key, replace(to_account, kind=PromptKind.ACCOUNT_NOTICE), Priority.BULK, now)
    to_person = {
        RemovedBy.ADMIN: Prompt(ADMIN_UNLINKED_TO_PERSON, {"admin": text(admin_name or ""),
                                                           "channel": channel_label(gone.channel), "bound": bound}),
        RemovedBy.SCHOOL: Prompt(SCHOOL_UNLINKED_TO_PERSON, {"channel": channel_label(gone.channel), "bound": bound}),
        RemovedBy.REFUSED: Prompt(REFUSED_TO_PERSON, {"channel": channel_label(gone.channel), "when": bound}),
        RemovedBy.EXPIRED: Prompt(EXPIRED_TO_PERSON, {"channel": channel_label(gone.channel), "bound": bound,
                                                      "days": days}),
    }.get(by)
    if to_person is not None and has_active_account(uow, person.id):
        enqueue(s, key=f"{key}:person", person_id=person.id, prompt=to_person, priority=Priority.BULK, now=now)
    if by is RemovedBy.SELF and current is not None and current != (gone.channel, gone.account_id):
        from bot.services import binding_probation  # (it builds on this module)

        binding_probation.tell_school_unlinked(uow, person=person, gone=gone, now=now)
    log.info("binding %s of person %s removed (%s)", gone.id, person.id, by)
    return gone


def remove_all(uow: UnitOfWork, *, person_id: int, now: datetime, by: RemovedBy,
               admin_name: str | None = None) -> list[Binding]:
    """Remove every binding of a person (admin "all accounts"); the caller commits."""
    removed = []
    for b in bindings_of(uow, person_id):
        gone = remove(uow, binding_id=b.id, now=now, by=by, admin_name=admin_name)
        if gone is not None:
            removed.append(gone)
    return removed


class Decision(StrEnum):
    """How an admin's answer to a waiting binding ended (:func:`decide`)."""

    CONFIRMED = "confirmed"
    REFUSED = "refused"
    GONE = "gone"  # decided before, removed, or not this binding any more (stale button)
    NOT_ALLOWED = "not_allowed"  # not an admin or leader of the person's school


@dataclass(frozen=True)
class DecisionResult:
    """:func:`decide`'s outcome: the decision, and for CONFIRMED / REFUSED the binding and whose it is."""

    decision: Decision
    binding: Binding | None = None
    name: str | None = None
    by_self: bool = False  # the person answered from another account (an account on probation)


def decide(uow: UnitOfWork, *, binding_id: int, epoch: int, confirm: bool, admin: Actor | None,
           now: datetime) -> DecisionResult:
    """An admin confirms or refuses a pending binding (first answer wins); the caller commits.

    Args:
        uow: the unit of work (the caller commits).
        binding_id: from the button (``bc:<id>:<epoch>:<y|n>``).
        epoch: the binding time on the button; a binding that is not pending
            or was bound at another time is GONE (the button is stale).
        confirm: True confirms, False refuses (the binding is removed).
        admin: the admin answering in chat (must lead the person's school and
            not be the person), or None for the command line.
        now: aware UTC.
    """
    s = uow.session
    row = s.get(ChatAccount, binding_id) if 1 <= binding_id <= payloads.MAX_ID else None
    if row is None or row.pending_since is None or int(row.bound_at.timestamp()) != epoch:
        return DecisionResult(Decision.GONE)
    person = get_or_raise(s, Person, row.person_id)
    from bot.services import binding_probation  # (it builds on this module)

    if binding_probation.on_probation(uow, row):
        return binding_probation.decide(uow, row=row, person=person, actor=admin, confirm=confirm, now=now)
    if admin is not None and (not admin.roles & ADMIN_ROLES or admin.school_id != person.school_id
                              or admin.person_id == person.id):
        return DecisionResult(Decision.NOT_ALLOWED)
    b = as_binding(row)
    if not confirm:
        remove(uow, binding_id=b.id, now=now, by=RemovedBy.REFUSED)
        return DecisionResult(Decision.REFUSED, b, person.name)
    row.pending_since = None
    s.flush()
    tell_account(uow, b, f"binding:{b.id}:{b.epoch}:confirmed", Prompt(CONFIRMED_TO_ACCOUNT), Priority.URGENT, now)
    log.info("binding %s of person %s confirmed", b.id, person.id)
    return DecisionResult(Decision.CONFIRMED, b, person.name)


def decision_reply(result: DecisionResult) -> Prompt:
    """What the admin sees after answering a confirmation question."""
    if result.decision is Decision.NOT_ALLOWED:
        return Prompt(NOT_ADMIN_DECISION)
    if result.binding is None or result.decision is Decision.GONE:
        return Prompt(ALREADY_DECIDED)
    params = {"name": text(result.name or ""), "channel": channel_label(result.binding.channel)}
    if result.by_self:
        return Prompt(SELF_CONFIRMED_REPLY if result.decision is Decision.CONFIRMED else SELF_REFUSED_REPLY, params)
    return Prompt(CONFIRMED_REPLY if result.decision is Decision.CONFIRMED else REFUSED_REPLY, params)


def people_in_school(uow: UnitOfWork, school_id: int, query: str) -> list[PersonCandidate]:
    """People of one school matching a name, phone or ``#id`` (found as ``guanai invite`` finds them)."""
    return [PersonCandidate(p.id, p.name, identity.sorted_roles(p.role_set), identity.mask_phone(p.phone))
            for p in identity.find_people(uow, query) if p.school_id == school_id]


def zone_of(uow: UnitOfWork, school_id: int, default: str) -> str:
    """The school's IANA zone (to show binding times), else ``default``."""
    school = uow.session.get(School, school_id)
    return (school.timezone if school else None) or default
