"""Whom a family member phones in an emergency: the school and their children's class teachers (issue 6, item 5).

Moved out of :mod:`bot.services.incident_people` (re-exported there).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.enums import RelationKind
from bot.services.ports import UnitOfWork
from bot.services.school_number import SchoolNumber, school_phone
from bot.store.models import Child, ChildRelation, Person, School, SchoolClass


@dataclass(frozen=True)
class EmergencyContacts:
    """Whom a guardian or parent phones in an emergency: the school and their children's class teachers.

    Attributes:
        school_phone: the school's number (or its contact's, labelled so), or None.
        teachers: ``(child name, class teacher name, phone)`` per child of theirs with a class teacher.
    """

    school_phone: SchoolNumber | None
    teachers: list[tuple[str, str, str | None]]


def emergency_contacts(uow: UnitOfWork, person_id: int) -> EmergencyContacts:
    """The numbers a family member asking for emergency help is given (issue 6, item 5).

    Only their own children's class teachers (entrusted guardian, father or
    mother of the child), active children only.
    """
    s = uow.session
    person = s.get(Person, person_id)
    if person is None:
        return EmergencyContacts(None, [])
    kinds = [RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value]
    rows = s.execute(
        select(Child.name, Person.name, Person.phone)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .join(Person, Person.id == SchoolClass.class_teacher_id)
        .where(ChildRelation.person_id == person_id, ChildRelation.kind.in_(kinds), Child.active.is_(True))
        .order_by(Child.id)
    ).all()
    teachers = list(dict.fromkeys((child, teacher, phone) for child, teacher, phone in rows))
    return EmergencyContacts(school_phone(uow, person.school_id), teachers)


def only_school_phone(uow: UnitOfWork) -> SchoolNumber | None:
    """The school's phone (:func:`school_phone`) when one school is on record (a chat bound to nobody has none)."""
    ids = uow.session.scalars(select(School.id).limit(2)).all()
    return school_phone(uow, ids[0]) if len(ids) == 1 else None
