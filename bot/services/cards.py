"""The child's card (一人一档, 联系卡): what each person may see of it, and the archive completeness per class.

Who sees which part (deny by default; the scope itself is
:func:`bot.services.access.scope_filter` for ``Purpose.VIEW``):

=========================================  ==========  =========================================================
viewer                                     part        shows
=========================================  ==========  =========================================================
the child's class teacher, admins, leaders  ``full``    the whole registration form, family, pairings, what is missing
a paired helper teacher or caring parent   ``pairing`` class and class teacher, guardians with phones, pairings
an entrusted guardian, a parent            ``family``  class and class teacher with phone, guardians and pairings
staff holding an open task about the child  ``task``    class and class teacher, guardians and parents with phones
(and no other part)                                     — the contact part the task needs, only while it is open
anyone else                                —           nothing (the same answer as an unknown name)
=========================================  ==========  =========================================================

The ``full`` part and the child's helper teacher also see the family's latest messages about the child,
whichever child they are filed under (``两个孩子都感冒了`` is on both children's cards:
:mod:`bot.services.family_about`), and whether they were answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from bot.domain import archive
from bot.domain.classes import class_sort_key
from bot.domain.enums import ADMIN_ROLES, RelationKind, Role
from bot.services import access, family_about, left_school
from bot.services.access import Purpose
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Person, SchoolClass

FAMILY = (RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value)
PAIRING = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)


class Part(StrEnum):
    """Which part of the card a viewer gets (module doc)."""

    FULL = "full"
    PAIRING = "pairing"
    FAMILY = "family"
    TASK = "task"  # the contact part, while an open task about the child is the actor's (access footnote [4])


@dataclass(frozen=True)
class Contact:
    """A person on the card: relation kind, name, phone, relation label (与儿童关系), work place, unable to guard."""

    kind: str
    name: str
    phone: str | None = None
    label: str | None = None
    work_place: str | None = None
    unable_to_guard: bool = False
    person_id: int | None = None


@dataclass
class Card:
    """One child's card as a viewer may see it (fields outside their part are None or empty)."""

    child_id: int
    part: Part
    name: str
    class_name: str | None
    class_teacher: Contact | None
    may_correct: bool
    facts: dict[str, Any] = field(default_factory=dict)  # registration-form fields (full part only)
    family: list[Contact] = field(default_factory=list)
    pairings: list[Contact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # archive.FIELDS keys (full part only)
    missing_pairings: list[str] = field(default_factory=list)
    said: list[family_about.Said] = field(default_factory=list)  # the family's latest messages (module doc)


def part_for(uow: UnitOfWork, actor: Actor, child: Child) -> Part | None:
    """Which part of this child's card the actor may see, or None.

    A child who has left is out of every scope, yet the school's admins and leaders still read the whole card
    (:mod:`bot.services.left_school`).
    """
    if not child.active:
        return Part.FULL if left_school.readable(actor, child, talks=False) else None
    if not access.can_act_on_child(uow, actor, child.id, purpose=Purpose.VIEW):
        return Part.TASK if access.task_only(uow, actor, child.id) else None
    if may_correct(uow, actor, child):
        return Part.FULL
    kinds = set(uow.session.scalars(select(ChildRelation.kind).where(
        ChildRelation.child_id == child.id, ChildRelation.person_id == actor.person_id)))
    if kinds & set(PAIRING) and actor.roles & access.PAIRED_ROLES:
        return Part.PAIRING
    if kinds & set(FAMILY):
        return Part.FAMILY
    return None


def may_correct(uow: UnitOfWork, actor: Actor, child: Child) -> bool:
    """The child's class teacher, or an admin or leader of the child's school, may correct the card."""
    if ADMIN_ROLES & actor.roles and child.school_id == actor.school_id:
        return True
    if Role.CLASS_TEACHER not in actor.roles or child.class_id is None:
        return False
    teacher = uow.session.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id))
    return teacher == actor.person_id


def full_filter(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool]:
    """A SQL condition on :class:`Child`: the active children whose whole card the actor sees (``Part.FULL``).

    The same children as :func:`may_correct` (within the VIEW scope, which they always are): the school's
    admins and leaders see their school's, a class teacher their class's; anyone else none (deny by default).
    """
    grants: list[ColumnElement[bool]] = []
    if ADMIN_ROLES & actor.roles:
        grants.append(Child.school_id == actor.school_id)
    if Role.CLASS_TEACHER in actor.roles:
        grants.append(Child.class_id.in_(own_class_ids(uow, actor.person_id) or [-1]))
    return and_(Child.active.is_(True), or_(*grants)) if grants else false()


def _contacts(uow: UnitOfWork, child_ids: list[int]) -> dict[int, list[Contact]]:
    found: dict[int, list[Contact]] = {}
    rows = uow.session.execute(
        select(ChildRelation, Person.name, Person.phone, Person.work_place)
        .join(Person, Person.id == ChildRelation.person_id)
        .where(ChildRelation.child_id.in_(child_ids)).order_by(ChildRelation.id)
    ).all()
    for rel, name, phone, work_place in rows:
        found.setdefault(rel.child_id, []).append(Contact(rel.kind, name, phone, rel.relationship_label, work_place,
                                                          rel.unable_to_guard, rel.person_id))
    buddies = uow.session.execute(
        select(ChildRelation.child_id, Child.name).join(Child, Child.id == ChildRelation.related_child_id)
        .where(ChildRelation.child_id.in_(child_ids), ChildRelation.kind == RelationKind.STUDY_BUDDY.value)
    ).all()
    for child_id, name in buddies:
        found.setdefault(child_id, []).append(Contact(RelationKind.STUDY_BUDDY.value, name))
    return found


def facts_of(child: Child, class_name: str | None, contacts: list[Contact]) -> dict[str, Any]:
    """The registration-form fields of :data:`bot.domain.archive.FIELDS` for one child."""
    guardians = [c for c in contacts if c.kind == RelationKind.ENTRUSTED_GUARDIAN.value]
    parents = [c for c in contacts if c.kind in (RelationKind.FATHER.value, RelationKind.MOTHER.value)]
    return {
        "gender": child.gender, "ethnicity": child.ethnicity, "birth_date": child.birth_date, "class": class_name,
        "schooling": child.schooling, "boarding": child.boarding, "health": child.health, "address": child.address,
        "left_behind_type": child.left_behind_type,
        "parent_contact": next((p.phone for p in parents if p.phone), None),
        "guardian": guardians[0].name if guardians else None,
        "guardian_relation": guardians[0].label if guardians else None,
        "guardian_phone": guardians[0].phone if guardians else None,
        "guardianship_assessment": child.guardianship_assessment, "family_income": child.family_income,
    }


def card(uow: UnitOfWork, actor: Actor, child_id: int) -> Card | None:
    """The child's card as the actor may see it, or None (unknown, or not theirs: a left child's is the admins')."""
    s = uow.session
    child = s.get(Child, child_id)
    if child is None:
        return None
    part = part_for(uow, actor, child)
    if part is None:
        return None
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    teacher = s.get(Person, klass.class_teacher_id) if klass and klass.class_teacher_id else None
    contacts = _contacts(uow, [child.id]).get(child.id, [])
    result = Card(child.id, part, child.name, klass.name if klass else None,
                  Contact(Role.CLASS_TEACHER.value, teacher.name, teacher.phone) if teacher else None,
                  may_correct=part is Part.FULL and child.active)  # a left child's card is history
    result.pairings = [c for c in contacts if c.kind in (*PAIRING, RelationKind.STUDY_BUDDY.value)]
    result.missing_pairings = archive.missing_pairings({c.kind for c in result.pairings})
    family = [c for c in contacts if c.kind in FAMILY]
    if part is Part.FULL:
        result.facts = facts_of(child, result.class_name, contacts)
        result.facts["student_no"] = child.student_no
        result.facts["aid"] = child.aid
        result.family = family
        result.missing = archive.missing_fields(result.facts)
        result.said = family_about.card_lines(uow, child.id, reader_id=actor.person_id)
    elif part is Part.PAIRING:
        if any(c.kind == RelationKind.HELPER_TEACHER.value and c.person_id == actor.person_id for c in contacts):
            # the helper teacher follows the family up
            result.said = family_about.card_lines(uow, child.id, reader_id=actor.person_id)
        result.family = [c for c in family if c.kind == RelationKind.ENTRUSTED_GUARDIAN.value]
    elif part is Part.TASK:  # whom to phone: the family's contacts, no pairings, nothing of the form
        result.family = family
        result.pairings, result.missing_pairings = [], []
    else:
        result.family = [Contact(c.kind, c.name, label=c.label) for c in family]
    return result


@dataclass(frozen=True)
class ClassFiling:
    """One class's archive completeness: children, complete cards, and each incomplete card's missing fields."""

    class_id: int | None
    class_name: str | None
    total: int
    complete: int
    incomplete: list[tuple[int, str, list[str]]]  # (child id, name, missing field keys)
    unpaired: list[tuple[int, str, list[str]]]  # (child id, name, missing pairing keys)


def completeness(uow: UnitOfWork, *, school_id: int, class_ids: list[int] | None = None) -> list[ClassFiling]:
    """The archive completeness rule per class of a school (active children only), in class order.

    Args:
        uow: the unit of work.
        school_id: the school.
        class_ids: only these classes (a class teacher's), or None for all.
    """
    s = uow.session
    query = (select(Child, SchoolClass.name).outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
             .where(Child.school_id == school_id, Child.active.is_(True)).order_by(Child.name, Child.id))
    if class_ids is not None:
        query = query.where(Child.class_id.in_(class_ids))
    rows = s.execute(query).all()
    contacts: dict[int, list[Contact]] = {}
    ids = [c.id for c, _ in rows]
    for i in range(0, len(ids), 500):
        contacts.update(_contacts(uow, ids[i:i + 500]))
    classes: dict[int | None, ClassFiling] = {}
    for child, class_name in rows:
        filing = classes.setdefault(child.class_id, ClassFiling(child.class_id, class_name, 0, 0, [], []))
        mine = contacts.get(child.id, [])
        missing = archive.missing_fields(facts_of(child, class_name, mine))
        unpaired = archive.missing_pairings({c.kind for c in mine})
        classes[child.class_id] = ClassFiling(filing.class_id, class_name, filing.total + 1,
                                              filing.complete + (not missing), filing.incomplete, filing.unpaired)
        if missing:
            filing.incomplete.append((child.id, child.name, missing))
        if unpaired:
            filing.unpaired.append((child.id, child.name, unpaired))
    return sorted(classes.values(), key=lambda f: class_sort_key(f.class_name))


def birth(value: Any) -> date | None:
    """A card fact as a date, when it is one."""
    return value if isinstance(value, date) else None


def own_class_ids(uow: UnitOfWork, person_id: int) -> list[int]:
    """The classes a person is class teacher of."""
    return list(uow.session.scalars(select(SchoolClass.id).where(SchoolClass.class_teacher_id == person_id)))
