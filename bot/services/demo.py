"""Use cases of ``guanai demo``: everyone chats in the terminal, and the demo person can become anyone.

The console channel (``bot.handlers.console``) reaches the database only
through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Channel, Role
from bot.domain.privacy import ConsentChannel, ConsentDecision, ConsentStatus
from bot.services import consent, identity
from bot.services.identity import find_people, mask_phone, sorted_roles
from bot.services.invites import AmbiguousPerson, PersonCandidate, PersonNotFound
from bot.services.ports import UnitOfWork
from bot.services.relations import FAMILY_KINDS
from bot.store.models import ChatAccount, Child, ChildRelation, Person, PersonRole, School, SchoolClass


@dataclass(frozen=True)
class Persona:
    """Someone the demo person can act as.

    Attributes:
        person_id: ``Person.id``.
        name: the person's name.
        roles: ``Role`` values, in ``Role`` order.
    """

    person_id: int
    name: str
    roles: tuple[str, ...]


def console_account(person_id: int) -> str:
    """The console account id of a person in the demo (``p<id>``)."""
    return f"p{person_id}"


def bind_console_accounts(uow: UnitOfWork, *, now: datetime) -> list[Persona]:
    """Give every person a console account (``p<id>``, bound at ``now``) and list them, by id.

    Idempotent: people who have one keep it. The caller commits.
    """
    s = uow.session
    bound = set(s.scalars(select(ChatAccount.person_id).where(ChatAccount.channel == Channel.CONSOLE.value)))
    people = []
    for person in s.scalars(select(Person).order_by(Person.id)):
        people.append(Persona(person.id, person.name, sorted_roles(person.role_set)))
        if person.id not in bound:
            s.add(ChatAccount(person_id=person.id, channel=Channel.CONSOLE.value,
                              account_id=console_account(person.id), bound_at=now))
    s.flush()
    return people


def school_on_record(uow: UnitOfWork) -> tuple[str, int] | None:
    """The first school in the database and its active children, or None for a new (empty) database.

    ``guanai demo --database FILE`` uses a database that holds a school as it is: the sample roster is imported
    only into a new or empty one (issue 9).
    """
    school = uow.session.scalars(select(School).order_by(School.id).limit(1)).first()
    if school is None:
        return None
    count = len(uow.session.scalars(select(Child.id).where(Child.school_id == school.id,
                                                            Child.active.is_(True))).all())
    return school.name, count


def record_sample_consent(uow: UnitOfWork, *, now: datetime) -> int:
    """As if the sample school had entered its guardians' signed paper forms: consent for every pending child.

    Without it the demo could keep no talk record (``bot.services.consent``). Idempotent; the caller commits.
    """
    pending = [c for c, st in consent.statuses(uow, list(uow.session.scalars(select(Child.id)))).items()
               if st is ConsentStatus.PENDING]
    return consent.record(uow, child_ids=pending, decision=ConsentDecision.GRANTED, channel=ConsentChannel.PAPER,
                          now=now) if pending else 0


def default_persona(uow: UnitOfWork) -> Persona:
    """The class teacher of the first class: the person a demo usually starts as (else the first person).

    Raises:
        LookupError: the school has nobody in it.
    """
    s = uow.session
    person = s.scalar(
        select(Person).join(SchoolClass, SchoolClass.class_teacher_id == Person.id).order_by(SchoolClass.id)
    ) or s.scalar(select(Person).order_by(Person.id))
    if person is None:
        raise LookupError("the demo school has nobody in it")
    return Persona(person.id, person.name, sorted_roles(person.role_set))


def set_school_locale(uow: UnitOfWork, locale: str) -> None:
    """Make ``locale`` every school's language, so everyone in the demo hears it. The caller commits."""
    for school in uow.session.scalars(select(School)):
        school.locale = locale
    uow.session.flush()


def find_persona(uow: UnitOfWork, query: str) -> Persona:
    """A person by name, phone or ``#id`` (:func:`bot.services.identity.find_people`), else by part of a name.

    A tester types the name they read in a message (``张科长``) where the roster
    has the full one (``镇教育办张科长``): a part of a name that names at most
    :data:`_PART_MATCHES` people is taken as those people.

    Raises:
        PersonNotFound: nobody matches.
        AmbiguousPerson: several people match (listed with masked phones and roles).
    """
    people = find_people(uow, query) or _part_of_name(uow, query)
    if not people:
        raise PersonNotFound(query)
    if len(people) > 1:
        raise AmbiguousPerson(query, tuple(
            PersonCandidate(p.id, p.name, sorted_roles(p.role_set), mask_phone(p.phone)) for p in people
        ))
    return Persona(people[0].id, people[0].name, sorted_roles(people[0].role_set))


_PART_MATCHES = 9
"""Most people a part of a name may match (``:as`` lists them); more means the part says too little."""


def _part_of_name(uow: UnitOfWork, query: str) -> list[Person]:
    """People whose name contains ``query`` (two characters or more, not an id or phone), or none when too many."""
    query = query.strip()
    if len(query) < 2 or query[0] in "#＃+" or query.replace(" ", "").isdecimal():
        return []
    people = list(uow.session.scalars(select(Person).where(Person.name.contains(query, autoescape=True))
                                      .order_by(Person.id).limit(_PART_MATCHES + 1)))
    return people if len(people) <= _PART_MATCHES else []


def person_locale(uow: UnitOfWork, person_id: int) -> str | None:
    """The language a person reads (their own, else their school's), or None when they are unknown."""
    actor = identity.actor_of(uow, person_id)
    return actor.locale if actor is not None else None


def persona_notes(uow: UnitOfWork, person_ids: list[int]) -> dict[int, list[str]]:
    """What tells namesakes apart in ``:as``: the children a person is family of or paired with, else their classes.

    Names as the roster writes them, family first; an empty list for someone with neither.
    """
    s = uow.session
    notes: dict[int | None, list[str]] = {pid: [] for pid in person_ids}
    for person_id, child in s.execute(
            select(ChildRelation.person_id, Child.name).join(Child, Child.id == ChildRelation.child_id)
            .where(ChildRelation.person_id.in_(person_ids))
            .order_by(ChildRelation.kind.not_in(sorted(FAMILY_KINDS)), Child.name)):
        if child not in notes[person_id]:
            notes[person_id].append(child)
    for person_id, klass in s.execute(select(SchoolClass.class_teacher_id, SchoolClass.name)
                                      .where(SchoolClass.class_teacher_id.in_(person_ids)).order_by(SchoolClass.id)):
        if not notes[person_id]:
            notes[person_id].append(klass)
    return {pid: names for pid, names in notes.items() if pid is not None}


SAMPLE_ROLES = (Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.GUARDIAN, Role.PARENT, Role.ADMIN,
                Role.EDUCATION_BUREAU)


def sample_names(uow: UnitOfWork) -> list[str]:
    """One name per role of :data:`SAMPLE_ROLES` (the first person holding it), to suggest for ``:as``."""
    s = uow.session
    names = []
    for role in SAMPLE_ROLES:
        person = s.scalar(select(Person).join(PersonRole).where(PersonRole.role == role.value).order_by(Person.id))
        if person is not None:
            names.append(person.name)
    return names
