"""Correcting a child's card in chat: address, the guardian's phone, the guardian, a pairing — each change recorded.

Only the child's class teacher and the school's admins and leaders may
correct a card (:func:`bot.services.cards.may_correct`). Every change is a
:class:`~bot.store.models.RecordChange` row (old and new value, who, when,
``source``). A relation that ends takes its planned work with it
(:func:`bot.services.relations.relations_ended`). A later re-import of an
older spreadsheet writes the spreadsheet's values again: schools correct the
sheet too, or import only the sheet they keep current.

What is typed is read by the roster import's own rules
(:func:`bot.domain.roster.read_cell`): a name, relation, address or phone
starting like a spreadsheet formula, or longer than its column, is refused
with the import's reason (:class:`~bot.domain.roster_cells.CellError`) and
nothing changes — the card must never hold what an import would refuse.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select

from bot.domain.enums import ChangeSource, RelationKind, Role
from bot.domain.roster import read_cell
from bot.domain.roster_cells import CellError, clean_text, parse_phone
from bot.domain.roster_messages import FORMULA, TOO_LONG
from bot.services import card_phone, cards, relations
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.services.roster_check import guardian_key
from bot.store import crypto
from bot.store.models import Child, ChildRelation, Person, PersonRole, RecordChange

log = logging.getLogger(__name__)


class Field(StrEnum):
    """What can be corrected in chat."""

    ADDRESS = "address"
    GUARDIAN_PHONE = "guardian_phone"
    GUARDIAN = "guardian"
    HELPER_TEACHER = "helper_teacher"
    CARING_PARENT = "caring_parent"
    STUDY_BUDDY = "study_buddy"


class Edit(StrEnum):
    """What a correction came to."""

    SAVED = "saved"
    NOT_ALLOWED = "not_allowed"  # unknown child, or not the class teacher / an admin
    BAD_VALUE = "bad_value"  # empty, too long, no valid phone number
    NOT_FOUND = "not_found"  # no such colleague / pupil at the school
    AMBIGUOUS = "ambiguous"  # several of that name
    NO_GUARDIAN = "no_guardian"  # a guardian's phone, but the card names no guardian
    UNCHANGED = "unchanged"  # the phone typed is the one on record: nothing to confirm (trial)
    PHONE_TAKEN = "phone_taken"  # another person's number: the guardian's alerts would reach them (card_phone)


_PAIRING_ROLE = {Field.HELPER_TEACHER: Role.HELPER_TEACHER, Field.CARING_PARENT: Role.CARING_PARENT}


def _record(uow: UnitOfWork, actor: Actor, child: Child, subject: str, subject_id: int | None, name: str,
            old: str | None, new: str | None, now: datetime, source: ChangeSource) -> None:
    uow.session.add(RecordChange(school_id=child.school_id, child_id=child.id, subject=subject,
                                 subject_id=subject_id, field=name, old_value=old, new_value=new,
                                 changed_by_id=actor.person_id, changed_at=now, source=source.value))


def correct(uow: UnitOfWork, actor: Actor, *, child_id: int, what: Field, value: str, now: datetime,
            source: ChangeSource = ChangeSource.CHAT) -> Edit:
    """Correct one part of a child's card. The caller commits.

    Args:
        uow: the unit of work.
        actor: who corrects (the class teacher, an admin or leader).
        child_id: the child.
        what: the part (:class:`Field`).
        value: as typed: an address; a phone number; ``name phone [relation]``
            for a new guardian; a colleague's name for a helper teacher or caring
            parent; a pupil's name for a study buddy.
        now: UTC.
        source: recorded with the change.

    Raises:
        CellError: the text starts like a spreadsheet formula or is longer
            than its column (the roster import's reasons); nothing is changed.
    """
    s = uow.session
    child = s.get(Child, child_id)
    if child is None or not child.active or not cards.may_correct(uow, actor, child):
        return Edit.NOT_ALLOWED
    value = " ".join(value.split())
    if not value:
        return Edit.BAD_VALUE
    if what is Field.ADDRESS:
        value = _checked("address", value, str, free_text=True)  # as typed (spaces already single), not squeezed
        _record(uow, actor, child, "child", child.id, "address", child.address, value, now, source)
        child.address = value
    elif what is Field.GUARDIAN_PHONE:
        result = _guardian_phone(uow, actor, child, value, now, source)
        if result is not Edit.SAVED:
            return result
    elif what is Field.GUARDIAN:
        result = _guardian(uow, actor, child, value, now, source)
        if result is not Edit.SAVED:
            return result
    else:
        result = _pairing(uow, actor, child, what, value, now, source)
        if result is not Edit.SAVED:
            return result
    s.flush()
    log.info("card of child %s corrected by person %s: %s", child.id, actor.person_id, what.value)
    return Edit.SAVED


def _phone(value: str) -> str | None:
    try:
        return parse_phone(value)
    except CellError:
        return None


def _checked(fld: str, raw: str, parse: Any = clean_text, *, free_text: bool = False) -> Any:
    """``raw`` read as the roster import reads the field ``fld``; None when it is no value of that kind.

    Raises:
        CellError: a formula's start or too long (the import's reasons, shown to the person as they are).
    """
    try:
        return read_cell(fld, raw, parse, free_text=free_text)
    except CellError as exc:
        if exc.reason in (FORMULA, TOO_LONG):
            raise
        return None


@dataclass(frozen=True)
class PhoneChange:
    """What correcting a guardian's phone would change: shown, old → new, before it is saved (issue 9)."""

    guardian: str
    old: str | None
    new: str
    taken: bool = False  # ``new`` is another person's number: refused, never offered to save


def phone_change(uow: UnitOfWork, actor: Actor, *, child_id: int, value: str) -> PhoneChange | Edit:
    """The guardian's phone as it is and as ``value`` would make it; nothing is changed.

    Raises:
        CellError: as :func:`correct`.
    """
    child = uow.session.get(Child, child_id)
    if child is None or not child.active or not cards.may_correct(uow, actor, child):
        return Edit.NOT_ALLOWED
    phone = _checked("guardian_phone", " ".join(value.split()), parse_phone) if value.strip() else None
    if phone is None:
        return Edit.BAD_VALUE
    guardian = _guardian_of(uow, child)
    if guardian is None:
        return Edit.NO_GUARDIAN
    if guardian.phone == phone:
        return Edit.UNCHANGED
    return PhoneChange(guardian.name, guardian.phone, phone,
                       taken=card_phone.phone_taken(uow, guardian.id, phone))


def _guardian_of(uow: UnitOfWork, child: Child) -> Person | None:
    return uow.session.scalar(
        select(Person).join(ChildRelation, ChildRelation.person_id == Person.id)
        .where(ChildRelation.child_id == child.id, ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value)
        .order_by(ChildRelation.id).limit(1))


def _guardian_phone(uow: UnitOfWork, actor: Actor, child: Child, value: str, now: datetime,
                    source: ChangeSource) -> Edit:
    phone = _checked("guardian_phone", value, parse_phone)
    if phone is None:
        return Edit.BAD_VALUE
    guardian = _guardian_of(uow, child)
    if guardian is None:
        return Edit.NO_GUARDIAN
    if card_phone.phone_taken(uow, guardian.id, phone):  # checked again when saved: nothing half-written
        return Edit.PHONE_TAKEN
    _record(uow, actor, child, "person", guardian.id, "phone", guardian.phone, phone, now, source)
    guardian.phone = phone
    return Edit.SAVED


def _guardian(uow: UnitOfWork, actor: Actor, child: Child, value: str, now: datetime,
              source: ChangeSource) -> Edit:
    """``name phone [relation]``: the child's entrusted guardian is now this person (found or added)."""
    words = value.split()
    phone_at = next((i for i, w in enumerate(words) if _phone(w) is not None), None)
    if phone_at is None or phone_at == 0:
        return Edit.BAD_VALUE
    name = _checked("guardian_name", " ".join(words[:phone_at]))
    phone = _checked("guardian_phone", words[phone_at], parse_phone)
    label = _checked("guardian_relationship", " ".join(words[phone_at + 1:]))
    if not name or phone is None:
        return Edit.BAD_VALUE
    s = uow.session
    owners = s.scalars(select(Person.name).where(Person.phone_index == crypto.phone_index(phone),
                                                 Person.school_id == child.school_id)).all()
    if any(normalise_name(owner) != normalise_name(name) for owner in owners):
        # Someone else's number (card_phone's rule): that person would get the alerts. The school's own
        # people only: a name guessed with another school's number must tell nothing (break9).
        return Edit.PHONE_TAKEN
    person = s.scalar(select(Person).where(Person.school_id == child.school_id,
                                           Person.phone_index == crypto.phone_index(phone))
                      .order_by(Person.id).limit(1))
    if person is None or normalise_name(person.name) != normalise_name(name):
        person = Person(school_id=child.school_id, name=name, phone=phone,
                        natural_key=guardian_key(child.school_id, name, phone, child.student_no))
        existing = s.scalar(select(Person).where(Person.natural_key == person.natural_key))
        person = existing or person
        if existing is None:
            s.add(person)
            s.flush()
    if Role.GUARDIAN not in person.role_set:
        s.add(PersonRole(person_id=person.id, role=Role.GUARDIAN.value))
    old = s.execute(select(ChildRelation.id, ChildRelation.person_id, Person.name)
                    .join(Person, Person.id == ChildRelation.person_id)
                    .where(ChildRelation.child_id == child.id,
                           ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value)).all()
    if [pid for _, pid, _ in old] == [person.id]:
        return Edit.SAVED  # already so
    s.execute(delete(ChildRelation).where(ChildRelation.id.in_([rid for rid, _, _ in old])))
    s.add(ChildRelation(child_id=child.id, kind=RelationKind.ENTRUSTED_GUARDIAN.value, person_id=person.id,
                        relationship_label=label))
    relations.relations_ended(s, [(child.id, RelationKind.ENTRUSTED_GUARDIAN.value, pid) for _, pid, _ in old],
                              now=now)
    _record(uow, actor, child, "relation", person.id, "guardian", "、".join(n for _, _, n in old) or None,
            f"{name} {phone}", now, source)
    s.expire(person, ["roles"])
    return Edit.SAVED


def _pairing(uow: UnitOfWork, actor: Actor, child: Child, what: Field, value: str, now: datetime,
             source: ChangeSource) -> Edit:
    s = uow.session
    wanted = normalise_name(value)
    if what is Field.STUDY_BUDDY:
        found = [(cid, name) for cid, name in s.execute(
            select(Child.id, Child.name).where(Child.school_id == child.school_id, Child.active.is_(True),
                                               Child.id != child.id)).all() if normalise_name(name) == wanted]
    else:
        role = _PAIRING_ROLE[what]
        found = [(pid, name) for pid, name in s.execute(
            select(Person.id, Person.name).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == child.school_id, Person.left_at.is_(None), PersonRole.role == role.value)
            .distinct()).all() if normalise_name(name) == wanted]
    if not found:
        return Edit.NOT_FOUND
    if len(found) > 1:
        return Edit.AMBIGUOUS
    new_id, new_name = found[0]
    kind = what.value
    column = ChildRelation.related_child_id if what is Field.STUDY_BUDDY else ChildRelation.person_id
    old = s.execute(select(ChildRelation.id, column).where(ChildRelation.child_id == child.id,
                                                           ChildRelation.kind == kind)).all()
    if [oid for _, oid in old] == [new_id]:
        return Edit.SAVED
    s.execute(delete(ChildRelation).where(ChildRelation.id.in_([rid for rid, _ in old])))
    if what is Field.STUDY_BUDDY:
        s.add(ChildRelation(child_id=child.id, kind=kind, related_child_id=new_id))
    else:
        s.add(ChildRelation(child_id=child.id, kind=kind, person_id=new_id))
    _record(uow, actor, child, "relation", new_id, kind, ",".join(str(oid) for _, oid in old) or None, new_name,
            now, source)
    return Edit.SAVED
