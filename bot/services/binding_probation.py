"""A new account of a person who already has one is on probation until confirmed (docs/bindings.md).

The privacy rule: a second account must never take over a guardian's alerts
silently, nor read anything about a child, on the strength of an invite code
alone (a code can be lost, photographed or passed on). So:

* **Probation.** When a person who already has an active (confirmed) account
  binds another, the new one is *pending* (``ChatAccount.pending_since``, as a
  staff binding waiting for an admin): it gets a greeting, ``/help`` and
  ``/lang`` only, no outbox message (``bot.services.delivery``) and nothing
  about any child. Alerts keep going to the existing accounts.
* **The person confirms** from an existing account: that account is asked
  "Did you link it yourself? Type “It was me” or “It was not me”" (URGENT,
  addressed to that account). "It was me" confirms; "It was not me" removes the
  new account and tells the school. The answer is words or a button, never a
  number (``Choice.typed``, as closing an incident): confirming gives the new
  chat the children's alerts, and a ``1`` typed twice after an alert (the first
  acknowledging it, the second landing on this question) once confirmed a
  stranger's account (fix9ab).
* **Or the school confirms** after phoning: the class teachers of the
  person's children and the school's admins get the question with the
  person's name and phone, and Confirm / Refuse. When no existing account can
  be asked now (a WeChat account outside the 48-hour window, one marked
  unreachable) — or the question to it fails when sent — they get it URGENT,
  so quiet hours do not hold it and someone can phone at once.

The decision is answered with the ``bc:<account>:<epoch>:<y|n>`` button of
:mod:`bot.services.bindings` (first answer wins).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.config import Settings
from bot.domain.enums import ADMIN_ROLES, Channel, Priority
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt, dt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services import binding_messages as m
from bot.services import bindings, identity
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, Child, ChildRelation, OutboxMessage, Person, SchoolClass

log = logging.getLogger(__name__)

WECHAT_WINDOW = timedelta(hours=48)  # WeChat's customer-service window; the question has no template
_ASK_KEY = re.compile(r"^binding:(\d+):(\d+):ask:\d+$")


def active_others(uow: UnitOfWork, person_id: int, *, besides: int | None = None) -> list[ChatAccount]:
    """The person's confirmed accounts (not pending), other than ``besides``."""
    return [a for a in uow.session.scalars(select(ChatAccount).where(
        ChatAccount.person_id == person_id, ChatAccount.pending_since.is_(None)).order_by(ChatAccount.id))
        if a.id != besides]


def confirming_accounts(uow: UnitOfWork, person_id: int, *, channel: str, account_id: str) -> list[Any]:
    """The accounts that can confirm this chat's binding, as greeting lines ("WeChat (linked 30 Nov)").

    For the greeting of a chat on probation bound again with its code (a second scan): the
    first binding's note is gone then, and "your other linked account: ." named nobody.
    """
    besides = uow.session.scalar(select(ChatAccount.id).where(ChatAccount.channel == channel,
                                                              ChatAccount.account_id == account_id))
    return [msg(m.ACCOUNT_SINCE, channel=bindings.channel_label(a.channel), when=dt(a.bound_at))
            for a in active_others(uow, person_id, besides=besides)]


def on_probation(uow: UnitOfWork, row: ChatAccount) -> bool:
    """A pending account of a person who has a confirmed one (the person may confirm it)."""
    return row.pending_since is not None and bool(active_others(uow, row.person_id, besides=row.id))


def _unreachable(account: ChatAccount) -> bool:
    """Marked unreachable by a send, and not heard from since."""
    return account.unreachable_at is not None and not (
        account.last_seen_at is not None and account.last_seen_at > account.unreachable_at)


def can_be_asked(account: ChatAccount, now: datetime, *, mainland: bool = False) -> bool:
    """Whether a question is likely to reach this account now (not unreachable; WeChat: inside 48 hours).

    In mainland mode (``GUANAI_TELEGRAM_MAINLAND_MODE``) a Telegram account gets only a pointer to the
    school's WeChat account, without the question or its buttons: it cannot be asked.
    """
    if _unreachable(account) or (mainland and account.channel == Channel.TELEGRAM.value):
        return False
    if account.channel == Channel.WECHAT.value:
        return account.last_seen_at is not None and now - account.last_seen_at < WECHAT_WINDOW
    return True


def can_be_told_unlinked(uow: UnitOfWork, binding_id: int, settings: Settings, now: datetime) -> bool:
    """Whether "this chat was unlinked" can reach that account now, so it is worth sending.

    A WeChat account outside the 48-hour window gets it only as a template message
    (``GUANAI_WECHAT_TEMPLATE_ACCOUNT``, :class:`~bot.messages.prompt.PromptKind` ``ACCOUNT_NOTICE`` in
    ``bot.handlers.wechat.templates``); without one it would wait for a message from a chat that is no
    longer anyone's, for ever. Other channels are tried as ever (a failure marks them unreachable); True
    when the row is gone.
    """
    account = uow.session.get(ChatAccount, binding_id)
    if account is None or account.channel != Channel.WECHAT.value or can_be_asked(account, now):
        return True
    return bool(settings.wechat_template_account) and not _unreachable(account)


def untold_line(uow: UnitOfWork, binding_id: int, settings: Settings, now: datetime,
                ) -> tuple[str, dict[str, Any]] | None:
    """For an admin about to unlink someone's account: the line to phone them, when that account cannot be told.

    Ask before the removal. WeChat outside its 48-hour window, with no template
    (:func:`can_be_told_unlinked`): the notice is not parked for ever (fix9k); the admin phones instead.
    """
    if can_be_told_unlinked(uow, binding_id, settings, now):
        return None
    account = uow.session.get(ChatAccount, binding_id)
    person = uow.session.get(Person, account.person_id) if account is not None else None
    if account is None or person is None:
        return None
    return (m.NOT_TOLD_PHONE, {"name": text(person.name), "channel": bindings.channel_label(account.channel),
                               "phone": phone_param(person.phone) if person.phone else text("—")})


def school_deciders(uow: UnitOfWork, person: Person) -> list[int]:
    """The class teachers of the person's children, then the school's admins and leaders (not the person)."""
    teachers = uow.session.scalars(
        select(SchoolClass.class_teacher_id)
        .join(Child, Child.class_id == SchoolClass.id)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .where(ChildRelation.person_id == person.id, Child.active.is_(True),
               SchoolClass.class_teacher_id.is_not(None))
        .order_by(SchoolClass.class_teacher_id)).all()
    ids = [*teachers, *identity.school_admin_ids(uow, person.school_id)]
    return [i for i in dict.fromkeys(ids) if i is not None and i != person.id]


def _about(person: Person, b: bindings.Binding) -> dict[str, Any]:
    return {"name": text(person.name), "roles": bindings.role_labels(person.role_set),
            "channel": bindings.channel_label(b.channel), "when": dt(b.bound_at),
            "phone": phone_param(person.phone) if person.phone else msg(m.NO_PHONE_ON_RECORD)}


def _decision_choices(b: bindings.Binding, yes: str, no: str) -> tuple[Choice, ...]:
    return (Choice(yes, payloads.binding_decision(b.id, b.epoch, confirm=True)),
            Choice(no, payloads.binding_decision(b.id, b.epoch, confirm=False)))


def school_question(person: Person, b: bindings.Binding, message: str) -> Prompt:
    """The school's question after phoning: “Confirm the account” only by its words or button, never a number.

    A class teacher's ``1`` typed twice (the first answering an alert) could confirm a stranger's account,
    as it once did for the person's own question (fix9ab, fix9ac). Refusing is the safe side, but a number is
    refused for both so the rule is one: the words (or the Telegram button on this message).
    """
    yes, no = _decision_choices(b, m.CONFIRM_LINK, m.REFUSE_LINK)
    return Prompt(message, {**_about(person, b), "yes": msg(m.CONFIRM_LINK), "no": msg(m.REFUSE_LINK)},
                  choices=(replace(yes, typed=True), no))


def announce(uow: UnitOfWork, *, person: Person, new: bindings.Binding, others: list[ChatAccount],
             now: datetime, mainland: bool = False) -> None:
    """Ask the person's confirmed accounts and the school about a new account on probation; the caller commits.

    The school's question is URGENT when none of those accounts can be asked now (:func:`can_be_asked`;
    ``mainland``: Telegram carries only a pointer).
    """
    yes, no = _decision_choices(new, m.IT_WAS_ME, m.NOT_ME)
    # "It was me" only by its words or its button: a "1" typed twice after an alert once confirmed a stranger (fix9ab).
    ask = Prompt(m.PROBATION_ASK, {"channel": bindings.channel_label(new.channel), "when": dt(new.bound_at),
                                   "yes": msg(m.IT_WAS_ME), "no": msg(m.NOT_ME)},
                 choices=(replace(yes, typed=True), no))
    reachable = False
    for other in others:
        bindings.tell_account(uow, bindings.as_binding(other), f"binding:{new.id}:{new.epoch}:ask:{other.id}", ask,
                              Priority.URGENT, now)
        reachable = reachable or can_be_asked(other, now, mainland=mainland)
    tell_school(uow, person=person, new=new, urgent=not reachable, now=now)
    log.info("binding %s of person %s on probation (%d accounts asked, reachable: %s)",
             new.id, person.id, len(others), reachable)


def tell_school(uow: UnitOfWork, *, person: Person, new: bindings.Binding, urgent: bool, now: datetime) -> None:
    """The school's question (phone the person, then Confirm / Refuse); URGENT when the person cannot be asked."""
    prompt = school_question(person, new, m.PROBATION_UNTOLD if urgent else m.PROBATION_TO_SCHOOL)
    for staff_id in school_deciders(uow, person):
        key = f"binding:{new.id}:{new.epoch}:school:{staff_id}"
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        if row is None:
            enqueue(uow.session, key=key, person_id=staff_id, prompt=prompt,
                    priority=Priority.URGENT if urgent else Priority.BULK, now=now)
        elif urgent and row.sent_at is None and row.priority != Priority.URGENT.value:
            # Asked quietly at binding; the person's account turned out unreachable: now, not after quiet hours.
            uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(
                priority=Priority.URGENT.value, not_before=now, payload=prompt.to_dict(), failed_at=None))


def on_ask_failed(uow: UnitOfWork, key: str, *, now: datetime) -> bool:
    """The question to an existing account failed when sent: the school is told at once (when still pending)."""
    match = _ASK_KEY.match(key)
    if match is None:
        return False
    row = uow.session.get(ChatAccount, int(match[1]))
    if row is None or row.pending_since is None or int(row.bound_at.timestamp()) != int(match[2]):
        return True
    person = uow.session.get(Person, row.person_id)
    if person is not None:
        tell_school(uow, person=person, new=bindings.as_binding(row), urgent=True, now=now)
        log.info("binding %s: the person's account could not be asked; school told now", row.id)
    return True


def may_decide(uow: UnitOfWork, person: Person, actor: identity.Actor | None) -> bool:
    """The person (from a confirmed account), the school's admins, or a class teacher of their children."""
    if actor is None or actor.person_id == person.id:
        return True
    if actor.school_id != person.school_id:
        return False
    return bool(actor.roles & ADMIN_ROLES) or actor.person_id in school_deciders(uow, person)


def decide(uow: UnitOfWork, *, row: ChatAccount, person: Person, actor: identity.Actor | None, confirm: bool,
           now: datetime) -> bindings.DecisionResult:
    """Confirm or refuse an account on probation (see the module doc); the caller commits."""
    if not may_decide(uow, person, actor):
        return bindings.DecisionResult(bindings.Decision.NOT_ALLOWED)
    b = bindings.as_binding(row)
    by_self = actor is not None and actor.person_id == person.id
    if not confirm:
        bindings.remove(uow, binding_id=b.id, now=now,
                        by=bindings.RemovedBy.DENIED if by_self else bindings.RemovedBy.REFUSED)
        if by_self:
            for staff_id in school_deciders(uow, person):
                enqueue(uow.session, key=f"binding:{b.id}:{b.epoch}:denied:{staff_id}", person_id=staff_id,
                        prompt=Prompt(m.NOT_ME_TO_SCHOOL, _about(person, b)), priority=Priority.URGENT, now=now)
        return bindings.DecisionResult(bindings.Decision.REFUSED, b, person.name, by_self=by_self)
    row.pending_since = None
    uow.session.flush()
    bindings.tell_account(uow, b, f"binding:{b.id}:{b.epoch}:confirmed",
                          Prompt(m.SELF_CONFIRMED_TO_ACCOUNT if by_self else m.CONFIRMED_TO_ACCOUNT),
                          Priority.URGENT, now)
    log.info("binding %s of person %s confirmed (by the person: %s)", b.id, person.id, by_self)
    return bindings.DecisionResult(bindings.Decision.CONFIRMED, b, person.name, by_self=by_self)


def tell_school_unlinked(uow: UnitOfWork, *, person: Person, gone: bindings.Binding, now: datetime) -> None:
    """A person removed another of their own accounts: the school hears of it (it may not have been them)."""
    params = {**_about(person, gone), "bound": dt(gone.bound_at), "when": dt(now)}
    for staff_id in school_deciders(uow, person):
        enqueue(uow.session, key=f"binding:{gone.id}:{gone.epoch}:unlinked:{staff_id}", person_id=staff_id,
                prompt=Prompt(m.UNLINKED_OTHER_TO_SCHOOL, params), priority=Priority.BULK, now=now)


def chat_on_probation(uow: UnitOfWork, *, channel: str, account_id: str) -> bool:
    """Whether this chat is an account on probation (the person's other account can confirm it)."""
    row = uow.session.scalar(select(ChatAccount).where(ChatAccount.channel == str(channel),
                                                       ChatAccount.account_id == str(account_id)))
    return row is not None and on_probation(uow, row)


PROBATION_GREETING = m.PROBATION_GREETING
PROBATION_WAITING = m.PROBATION_WAITING


def due_prompts(uow: UnitOfWork, actor: identity.Actor, *, limit: int) -> list[Prompt]:
    """``/due``: the accounts on probation this class teacher or admin may confirm after phoning (name, phone)."""
    rows = uow.session.execute(
        select(ChatAccount, Person).join(Person, Person.id == ChatAccount.person_id)
        .where(ChatAccount.pending_since.is_not(None), Person.school_id == actor.school_id,
               Person.id != actor.person_id)
        .order_by(ChatAccount.pending_since, ChatAccount.id)).all()
    found: list[Prompt] = []
    for row, person in rows:
        if len(found) >= limit:
            break
        if on_probation(uow, row) and may_decide(uow, person, actor):
            b = bindings.as_binding(row)
            found.append(school_question(person, b, m.PROBATION_TO_SCHOOL))
    return found
