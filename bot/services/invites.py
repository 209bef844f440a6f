"""Invites: one-time codes that bind a chat account to a person's record.

Nobody is trusted because of a chat id alone (DESIGN.md, "Identity and
access"). An admin issues a one-time invite code for a person
(:func:`create_invite`, ``guanai invite``); the person sends it to the bot
(Telegram deep link ``/start <code>``, WeChat ``绑定 <code>``) and
:func:`bind` ties that chat account to their record. From then on
:func:`bot.services.identity.actor_for` says who is writing.

Decisions (issue 2, item 4):

* Codes are ``secrets.token_urlsafe(16)``: 128 random bits as 22 characters
  of ``A-Z a-z 0-9 _ -``, valid as a Telegram deep-link ``start`` parameter
  (Bot API: up to 64 characters of that alphabet). Only their SHA-256 (hex)
  is stored; the database never holds a usable code.
* A code starts with a letter or digit (:func:`new_code`): a leading ``-`` reads as
  a minus sign, and a spreadsheet writes it as ``'-…`` in the invite sheet, a
  code nobody can type back.
* A code works once and expires after ``ttl`` (``settings.invite_ttl_hours``,
  72 h by default).
* A new invite for a person **revokes** that person's older unused invites
  (their ``expires_at`` is set to the issue time): only the code printed last
  works, so a code printed earlier and lost or passed on cannot be used.
  Binding one account does not revoke anything else.
* Wrong codes from one chat account are slowed down: the first
  :data:`FREE_FAILURES` (5) wrong codes cost nothing; the 5th and every later
  one blocks the account for ``60 s * 2**(failures - 5)`` (1 min, 2 min,
  4 min, …, capped at :data:`MAX_BLOCK` = 24 h). A success resets the count,
  and so do :data:`FAILURE_MEMORY` (24 h) without a wrong code. While
  blocked, every attempt (even with a good code) is answered THROTTLED and
  does not count. Used and expired codes are real codes, not guesses, and do
  not count. The count is per chat account; guessing from many accounts is
  defeated by the 128-bit codes, not by this. Updates of one chat are
  handled one at a time (DESIGN.md), so one account's count has one writer.
* A replayed ``/start <code>`` from the account that already used the code
  (a redelivered update, a second tap on the link) is BOUND again, not USED.
* ``guanai invite`` finds the person by name, by phone (region CN, compared
  in E.164) or by ``#<id>``; namesakes raise :class:`AmbiguousPerson` with
  masked phones so the admin can pick by phone or id.
* One account belongs to one person. A chat bound to someone else that
  sends another person's code is refused with ALREADY_BOUND_OTHER and the
  code stays unused: a teacher who tries an invite link before forwarding it
  keeps her own binding, and the code still works for the person it is for.
  (Moving an account to someone else is an admin's job: delete the old
  binding first.) The same person's new code on their own chat is BOUND, as
  any bind. A person may have several accounts (Telegram and WeChat).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update

from bot.domain.enums import OFFICIAL_ROLES, STAFF_ROLES, Channel
from bot.messages.prompt import Prompt
from bot.services.identity import (
    Actor,
    actor_of_person,
    find_people,
    mask_phone,
    sorted_roles,
)
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise, rowcount
from bot.store.models import BindAttempt, ChatAccount, Invite, Person, School

log = logging.getLogger(__name__)

CODE_BYTES = 16  # 128 random bits (issue 2 asks for at least 64)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram deep-link start parameter
FREE_FAILURES = 5
FIRST_BLOCK = timedelta(minutes=1)
MAX_BLOCK = timedelta(hours=24)
FAILURE_MEMORY = timedelta(hours=24)


class BindStatus(StrEnum):
    """What a bind attempt came to (see :func:`bind`)."""
    BOUND = "bound"
    WRONG = "wrong"  # no such code
    USED = "used"
    EXPIRED = "expired"
    THROTTLED = "throttled"  # too many wrong codes from this chat; retry_after_seconds says how long
    ALREADY_BOUND_OTHER = "already_bound_other"  # this chat belongs to someone else; the code was not used


@dataclass(frozen=True)
class BindOutcome:
    """What :func:`bind` did.

    Attributes:
        status: see :class:`BindStatus`.
        actor: BOUND: the bound person, with roles to greet by;
            ALREADY_BOUND_OTHER: the person this chat is already bound to.
        retry_after_seconds: THROTTLED: seconds until the next attempt is
            heard; WRONG: set when this wrong code started a block.
        pending: BOUND: the account waits for an admin's confirmation.
        note: BOUND, a new account of a person who has others: a line naming
            them, for the greeting (``bot.services.bindings.ALSO_LINKED``).
        probation: BOUND, the person already had a confirmed account: this one
            is pending until they or the school confirm it (``bot.services.binding_probation``).
    """

    status: BindStatus
    actor: Actor | None = None
    retry_after_seconds: float | None = None
    pending: bool = False
    note: Prompt | None = None
    probation: bool = False


@dataclass(frozen=True)
class PersonCandidate:
    """One of several people matching an invite query, as listed to the admin.

    Attributes:
        id: person id (``guanai invite '#<id>'`` picks this one).
        name: the person's name.
        roles: Role values, in :class:`Role` order.
        masked_phone: ``138****6956`` or None when no phone is on record.
    """

    id: int
    name: str
    roles: tuple[str, ...]
    masked_phone: str | None


class PersonNotFound(LookupError):
    """No person matches the invite query (name, phone or ``#id``)."""

    def __init__(self, query: str) -> None:
        super().__init__("no person matches the query")
        self.query = query


class AmbiguousPerson(LookupError):
    """Several people match the invite query; ``candidates`` lists them."""

    def __init__(self, query: str, candidates: tuple[PersonCandidate, ...]) -> None:
        super().__init__(f"{len(candidates)} people match the query")
        self.query = query
        self.candidates = candidates


@dataclass(frozen=True)
class InviteIssued:
    """A freshly issued invite. ``code`` exists only here: the database holds its hash.

    Attributes:
        code: the one-time code (22 chars of ``A-Z a-z 0-9 _ -``).
        person_id, person_name: who it is for.
        expires_at: aware UTC.
        roles: the person's Role values, in :class:`Role` order.
        timezone: the person's school zone, to show ``expires_at``.
    """

    code: str
    person_id: int
    person_name: str
    expires_at: datetime
    roles: tuple[str, ...]
    timezone: str


def new_code() -> str:
    """A fresh invite code: ``secrets.token_urlsafe(CODE_BYTES)`` drawn again while it starts with ``-`` or ``_``.

    About 1 draw in 32 starts so; skipping them costs 0.05 bits of the 128.
    """
    code = secrets.token_urlsafe(CODE_BYTES)
    while not code[0].isalnum():
        code = secrets.token_urlsafe(CODE_BYTES)
    return code


def hash_code(code: str) -> str:
    """SHA-256 hex digest of an invite code (what ``Invite.code_hash`` holds)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def create_invite(uow: UnitOfWork, *, query: str, now: datetime, ttl: timedelta) -> InviteIssued:
    """Issue a one-time invite code for the person named by ``query``.

    Older unused invites of that person are revoked (see the module doc).
    The caller commits.

    Args:
        uow: the unit of work (the caller commits).
        query: see :func:`find_people` (name, phone or ``#id``).
        now: aware UTC issue time.
        ttl: lifetime of the code (``settings.invite_ttl_hours``, 72 h by default).

    Raises:
        PersonNotFound: nobody matches.
        AmbiguousPerson: several people match; ask for the phone or ``#id``.
    """
    people = find_people(uow, query)
    if not people:
        raise PersonNotFound(query)
    if len(people) > 1:
        raise AmbiguousPerson(
            query,
            tuple(
                PersonCandidate(p.id, p.name, sorted_roles(p.role_set), mask_phone(p.phone)) for p in people
            ),
        )
    person = people[0]
    session = uow.session
    session.execute(
        update(Invite)
        .where(Invite.person_id == person.id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(expires_at=now)
    )
    code = new_code()
    expires_at = now + ttl
    row = Invite(person_id=person.id, code_hash=hash_code(code), created_at=now, expires_at=expires_at)
    session.add(row)
    session.flush()
    log.info("invite %s issued for person %s", row.id, person.id)
    school = get_or_raise(session, School, person.school_id)
    return InviteIssued(
        code=code,
        person_id=person.id,
        person_name=person.name,
        expires_at=expires_at,
        roles=sorted_roles(person.role_set),
        timezone=school.timezone,
    )


def block_for(failures: int) -> timedelta | None:
    """How long an account is blocked after ``failures`` wrong codes in a row (None: not blocked)."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_BLOCK * 2 ** min(failures - FREE_FAILURES, 20), MAX_BLOCK)


def _attempts(uow: UnitOfWork, channel: str, account_id: str) -> BindAttempt | None:
    return uow.session.scalars(
        select(BindAttempt).where(BindAttempt.channel == channel, BindAttempt.account_id == account_id)
    ).one_or_none()


def _record_failure(
    uow: UnitOfWork, attempt: BindAttempt | None, channel: str, account_id: str, now: datetime
) -> float | None:
    if attempt is None:
        attempt = BindAttempt(channel=channel, account_id=account_id, failures=0)
        uow.session.add(attempt)
    elif attempt.last_failure_at is not None and now - attempt.last_failure_at >= FAILURE_MEMORY:
        attempt.failures = 0
    attempt.failures = (attempt.failures or 0) + 1
    attempt.last_failure_at = now
    block = block_for(attempt.failures)
    attempt.blocked_until = now + block if block else None
    uow.session.flush()
    if block:
        log.warning("bind: %s account %s blocked for %ss after %d wrong codes",
                    channel, account_id, int(block.total_seconds()), attempt.failures)
    return block.total_seconds() if block else None


def bind(uow: UnitOfWork, *, channel: str, account_id: str, code: str, now: datetime,
         confirm_staff: bool = False, mainland: bool = False) -> BindOutcome:
    """Bind a chat account to the invited person with a one-time code.

    The caller commits in every case (a wrong code must be counted too). A
    new account (not a replay, not a new code on the person's own chat) is
    announced to the person's other accounts and, as the rules say, to the
    school's admins (:func:`bot.services.bindings.announce`).

    Args:
        uow: the unit of work.
        channel: a :class:`bot.domain.enums.Channel` value.
        account_id: the platform's id as a string (Telegram chat ids are
            64-bit: pass ``str(chat_id)``, never a float).
        code: what the person sent after ``/start`` or ``绑定`` (surrounding
            spaces are ignored).
        now: aware UTC time.
        confirm_staff: ``settings.confirm_staff_bindings``: a new account of a
            staff member or official waits for an admin (``pending``).
        mainland: ``settings.telegram_mainland_mode``: a Telegram account gets only a pointer, so it
            cannot be asked whether a new account was the person's (:func:`bindings.announce`).

    Returns:
        BOUND with the actor (``pending`` while it waits for the school;
        ``note`` naming the person's other accounts); WRONG (no such code),
        USED (used by another account), EXPIRED (expired or revoked by a newer invite),
        ALREADY_BOUND_OTHER (a valid code for someone else, sent from a chat
        bound to the person in ``actor``: nothing changes, the code stays
        unused), or THROTTLED with ``retry_after_seconds``. See the module doc
        for the throttling figures.

    Raises:
        ValueError: unknown channel.
    """
    channel = Channel(channel).value
    account_id = str(account_id)
    session = uow.session
    attempt = _attempts(uow, channel, account_id)
    if attempt is not None and attempt.blocked_until is not None and attempt.blocked_until > now:
        return BindOutcome(BindStatus.THROTTLED, retry_after_seconds=(attempt.blocked_until - now).total_seconds())
    code = code.strip()
    invite = None
    if CODE_PATTERN.fullmatch(code):
        invite = session.scalars(select(Invite).where(Invite.code_hash == hash_code(code))).one_or_none()
    if invite is None:
        retry = _record_failure(uow, attempt, channel, account_id, now)
        return BindOutcome(BindStatus.WRONG, retry_after_seconds=retry)
    account = session.scalars(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.account_id == account_id)
    ).one_or_none()
    if invite.used_at is not None:
        return _replay(uow, invite, account, attempt)
    if invite.expires_at <= now:
        return BindOutcome(BindStatus.EXPIRED)
    if account is not None and account.person_id != invite.person_id:
        owner = session.get(Person, account.person_id)
        if owner is not None:
            log.info("bind: %s account %s is bound to person %s; invite %s for person %s left unused",
                     channel, account_id, owner.id, invite.id, invite.person_id)
            return BindOutcome(BindStatus.ALREADY_BOUND_OTHER, actor=actor_of_person(uow, owner))
    # Claim the code atomically: of two simultaneous binds only one updates the row.
    claimed = rowcount(session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now)
    ))
    if claimed != 1:
        session.refresh(invite)
        return _replay(uow, invite, account, attempt)
    person = get_or_raise(session, Person, invite.person_id)  # invites.person_id is a foreign key
    new = account is None
    # A person who already has a confirmed account: the new one is on probation (never a silent takeover).
    probation = new and session.scalar(select(ChatAccount.id).where(
        ChatAccount.person_id == person.id, ChatAccount.pending_since.is_(None)).limit(1)) is not None
    if account is None:
        account = ChatAccount(channel=channel, account_id=account_id, person_id=invite.person_id, bound_at=now)
        if (confirm_staff and person.role_set & (STAFF_ROLES | OFFICIAL_ROLES)) or probation:
            account.pending_since = now  # probation: the person or the school confirms (binding_probation)
        session.add(account)
    else:
        # The same person's own chat (another person's code was refused above).
        account.person_id = invite.person_id
        account.bound_at = now
        account.unreachable_at = None
        account.unreachable_reason = None
    account.last_seen_at = now
    session.flush()
    session.execute(update(Invite).where(Invite.id == invite.id).values(used_by_account_id=account.id))
    if attempt is not None:
        session.delete(attempt)
    session.flush()
    log.info("bind: %s account %s bound to person %s with invite %s", channel, account_id, person.id, invite.id)
    from bot.services import bindings  # (bindings lists people with this module's PersonCandidate)

    note = bindings.announce(uow, account=account, now=now, mainland=mainland) if new else None
    return BindOutcome(BindStatus.BOUND, actor=actor_of_person(uow, person),
                       pending=account.pending_since is not None, note=note, probation=probation)


def _replay(uow: UnitOfWork, invite: Invite, account: ChatAccount | None, attempt: BindAttempt | None) -> BindOutcome:
    """A used code: BOUND again for the account that used it (and still belongs to that person), else USED."""
    if account is not None and invite.used_by_account_id == account.id and account.person_id == invite.person_id:
        if attempt is not None:
            uow.session.delete(attempt)
            uow.session.flush()
        person = get_or_raise(uow.session, Person, invite.person_id)
        pending = account.pending_since is not None
        probation = pending and uow.session.scalar(select(ChatAccount.id).where(
            ChatAccount.person_id == person.id, ChatAccount.pending_since.is_(None)).limit(1)) is not None
        return BindOutcome(BindStatus.BOUND, actor=actor_of_person(uow, person), pending=pending,
                           probation=probation)
    return BindOutcome(BindStatus.USED)

