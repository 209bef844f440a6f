"""Invites in bulk (issue 9, item 4): per class and role, everyone's invite for the class teacher to hand out.

:func:`people_of_class` lists the people of a class by role — its class
teacher; the guardians, parents, helper teachers and caring parents of its
children — with the children they stand for and whether they have joined (a
chat account bound). :func:`issue` gives each person who has not joined a new
invite (older unused ones revoked, as ``guanai invite`` does); the command
writes the printable sheet (:mod:`bot.adapters.invite_sheet`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.domain.enums import RelationKind, Role
from bot.services.identity import mask_phone
from bot.services.invites import InviteIssued, create_invite
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, Child, ChildRelation, Person, SchoolClass

ROLE_OF_RELATION = {
    RelationKind.ENTRUSTED_GUARDIAN.value: Role.GUARDIAN.value, RelationKind.FATHER.value: Role.PARENT.value,
    RelationKind.MOTHER.value: Role.PARENT.value, RelationKind.HELPER_TEACHER.value: Role.HELPER_TEACHER.value,
    RelationKind.CARING_PARENT.value: Role.CARING_PARENT.value,
}


@dataclass(frozen=True)
class Member:
    """A person of a class: id, name, role, the children they stand for (names; ids), masked phone, joined or not."""

    person_id: int
    name: str
    role: str
    children: tuple[str, ...]
    masked_phone: str | None
    joined: bool
    child_ids: tuple[int, ...] = ()


def find_class(uow: UnitOfWork, school_id: int, name: str) -> SchoolClass | None:
    """The school's class called ``name`` (spaces and full-width forms ignored)."""
    from bot.domain.roster_cells import match_key

    wanted = match_key(name)
    return next((c for c in uow.session.scalars(select(SchoolClass).where(SchoolClass.school_id == school_id))
                 if match_key(c.name) == wanted), None)


def people_of_class(uow: UnitOfWork, klass: SchoolClass, role: str | None = None) -> list[Member]:
    """The class's people (all roles, or one ``Role`` value), in role then name order."""
    s = uow.session
    found: dict[tuple[int, str], list[tuple[int, str]]] = {}
    if klass.class_teacher_id is not None:
        found[(klass.class_teacher_id, Role.CLASS_TEACHER.value)] = []
    rows = s.execute(select(ChildRelation.person_id, ChildRelation.kind, Child.id, Child.name)
                     .join(Child, Child.id == ChildRelation.child_id)
                     .where(Child.class_id == klass.id, Child.active.is_(True),
                            ChildRelation.person_id.is_not(None), ChildRelation.kind.in_(list(ROLE_OF_RELATION)))
                     .order_by(Child.name)).all()
    for person_id, kind, child_id, child in rows:
        if person_id is not None:
            found.setdefault((person_id, ROLE_OF_RELATION[kind]), []).append((child_id, child))
    if role is not None:
        found = {k: v for k, v in found.items() if k[1] == role}
    ids = sorted({pid for pid, _ in found})
    people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(ids)))}
    joined = set(s.scalars(select(ChatAccount.person_id).where(ChatAccount.person_id.in_(ids),
                                                               ChatAccount.pending_since.is_(None))))
    order = {r.value: i for i, r in enumerate(Role)}
    members = [Member(pid, people[pid].name, r, tuple(dict.fromkeys(name for _, name in kids)),
                      mask_phone(people[pid].phone), pid in joined, tuple(dict.fromkeys(cid for cid, _ in kids)))
               for (pid, r), kids in found.items() if pid in people and people[pid].left_at is None]
    return sorted(members, key=lambda m: (order.get(m.role, 99), m.name, m.person_id))


def issue(uow: UnitOfWork, members: list[Member], *, now: datetime, ttl: timedelta) -> list[InviteIssued]:
    """A new invite for each member who has not joined yet (one per person). The caller commits."""
    issued: list[InviteIssued] = []
    done: set[int] = set()
    for m in members:
        if m.joined or m.person_id in done:
            continue
        issued.append(create_invite(uow, query=f"#{m.person_id}", now=now, ttl=ttl))
        done.add(m.person_id)
    return issued
