"""Identity: who is writing (the person behind a bound chat account), and finding people.

Nobody is trusted because of a chat id alone (DESIGN.md, "Identity and
access"): a chat account is bound to a person's record with a one-time invite
code (:mod:`bot.services.invites`); from then on :func:`actor_for` says who is
writing. ``guanai invite`` and the demo find people by name, phone or ``#id``
(:func:`find_people`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, Role
from bot.services import outbox
from bot.services.ports import UnitOfWork
from bot.store import crypto
from bot.store.errors import get_or_raise
from bot.store.models import ChatAccount, Person, PersonRole, School

log = logging.getLogger(__name__)

LOCALES = ("zh_Hans", "en")
PHONE_REGION = "CN"
_ROLE_ORDER = list(Role)


@dataclass(frozen=True)
class Actor:
    """The person behind a bound chat account.

    Attributes:
        person_id, name, school_id: from the person's record.
        roles: ``bot.domain.enums.Role`` values.
        locale: stored locale (``zh_Hans``/``en``), or the school default.
        timezone: the school's IANA zone.
    """

    person_id: int
    name: str
    school_id: int
    roles: frozenset[str]
    locale: str
    timezone: str


def normalise_name(value: str) -> str:
    """A name for comparison: NFKC (full-width → half-width) without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def mask_phone(e164: str | None) -> str | None:
    """``+8613812346956`` → ``138****6956``: enough to tell people apart, not to call them."""
    if not e164:
        return None
    try:
        digits = str(phonenumbers.parse(e164, PHONE_REGION).national_number)
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in e164 if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    head = digits[:3] if len(digits) >= 8 else ""
    return head + "*" * (len(digits) - len(head) - 4) + digits[-4:]


def sorted_roles(roles: frozenset[str] | set[str]) -> tuple[str, ...]:
    """Role values in :class:`Role` order (unknown values last, alphabetically)."""
    known = [r for r in _ROLE_ORDER if r in roles]
    return tuple(known) + tuple(sorted(r for r in roles if r not in _ROLE_ORDER))


def _phone_query(query: str) -> str | None:
    """The E.164 form when the query looks like a phone number, else None."""
    if not any(ch.isdigit() for ch in query):
        return None
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", query), PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_people(uow: UnitOfWork, query: str) -> list[Person]:
    """People matching an invite query.

    Args:
        uow: the unit of work.
        query: ``#<id>`` (a person id), a phone number in any usual writing
            (``138 1234 6956``, ``+86 138-1234-6956``; region CN by default,
            compared in E.164), or a name (exact, also after removing spaces
            and full-width forms).

    Returns:
        matching people, ordered by id (possibly empty).
    """
    query = query.strip()
    session = uow.session
    if re.fullmatch(r"[#＃]\d{1,18}", query):  # ids are 64-bit: a longer number names nobody
        person = session.get(Person, int(query[1:]))
        return [person] if person else []
    phone = _phone_query(query)
    if phone is not None:
        if not phone:
            return []
        # Phones are encrypted at rest: the lookup compares their blind index (bot.store.crypto).
        return list(session.scalars(select(Person).where(Person.phone_index == crypto.phone_index(phone))
                                    .order_by(Person.id)))
    names = {query, normalise_name(query)} - {""}
    if not names:
        return []
    return list(session.scalars(select(Person).where(Person.name.in_(names)).order_by(Person.id)))


def actor_of_person(uow: UnitOfWork, person: Person) -> Actor:
    """The person as an :class:`Actor`: their own locale, else their school's; the school's zone.

    Raises:
        RecordNotFound: the person's school is gone (``people.school_id`` is a foreign key).
    """
    school = get_or_raise(uow.session, School, person.school_id)
    return Actor(
        person_id=person.id,
        name=person.name,
        school_id=person.school_id,
        roles=person.role_set,
        locale=person.locale or school.locale,
        timezone=school.timezone,
    )


def actor_for(uow: UnitOfWork, *, channel: str, account_id: str, now: datetime) -> Actor | None:
    """The bound person of a chat account, or None (unbound).

    Updates the account's ``last_seen_at`` and clears ``unreachable_at`` /
    ``unreachable_reason``: a person who wrote to us (e.g. after unblocking the
    bot) can be reached there again, so the outbox drain tries the account
    again. An account still waiting for the school's confirmation
    (``pending_since``) is nobody yet: None. The caller commits.

    Args:
        uow: the unit of work (the caller commits).
        channel: a :class:`bot.domain.enums.Channel` value.
        account_id: the platform's id as a string (exact match; Telegram ids
            above 2**53 are compared as written).
        now: aware UTC time.
    """
    account = uow.session.scalars(
        select(ChatAccount).where(ChatAccount.channel == str(channel), ChatAccount.account_id == str(account_id))
    ).one_or_none()
    if account is None:
        return None
    person = uow.session.get(Person, account.person_id)
    if person is None:
        return None
    account.last_seen_at = now
    if account.pending_since is not None:
        return None
    if account.unreachable_at is not None:
        log.info("%s account %s wrote to us: reachable again", account.channel, account.id)
        account.unreachable_at = None
        account.unreachable_reason = None
    # Messages that waited for them to write (WeChat's 48-hour window reopened) go now.
    if released := outbox.release_waiting(uow.session, person.id, now=now):
        log.info("person %s wrote: %s waiting messages released", person.id, released)
    return actor_of_person(uow, person)


def actor_of(uow: UnitOfWork, person_id: int) -> Actor | None:
    """The person as an :class:`Actor` (roles, locale, zone), e.g. to re-check access in a service; None if unknown."""
    person = uow.session.get(Person, person_id)
    return actor_of_person(uow, person) if person is not None else None


def school_admin_ids(uow: UnitOfWork, school_id: int) -> list[int]:
    """Ids of the school's admins and leaders (``Role.ADMIN``, ``Role.SCHOOL_LEADER``), ordered by id.

    They are whom a message goes to when nobody closer to the child can take
    it (an unreachable teacher, a child without helper or class teacher).
    """
    return list(
        uow.session.scalars(
            select(Person.id)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == school_id, PersonRole.role.in_([r.value for r in ADMIN_ROLES]))
            .distinct()
            .order_by(Person.id)
        )
    )


def set_locale(uow: UnitOfWork, *, person_id: int, locale: str) -> None:
    """Store the person's chosen language (``zh_Hans`` or ``en``). The caller commits.

    Raises:
        ValueError: another locale.
        LookupError: no such person.
    """
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}")
    person = uow.session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    person.locale = locale
    uow.session.flush()

