"""Who around an incident reads the child's family by name: need-to-know for reporters (docs/incident-chain.md).

Any teacher may report an incident about any child of their school (the
duty teacher sees a fall in the yard: :mod:`bot.services.access`, footnote
[3]). The child's family — the entrusted guardian and the parents, their
names and phones — is for those who may read the child's card with it: the
class teacher, the paired helper teacher or caring parent, the school's
admins and leaders (:func:`bot.services.cards.part_for`, ``full`` or
``pairing``). A reporter outside that circle reads the family by relation
only ("委托监护人", "父亲"): on the confirm screen and its leave-out list, in
the acknowledged notice, in the timeline and its leave-out list. A family
member's own words to the reporter (their reply to the alert, which gave them
the reporter's phone) come named, with their relation and phone on record, so
the reporter can tell who wrote and call back (``incident_replies.relay_to_reporter``).
Staff, officials and child-protection contacts keep their names.

Nor is such a reporter asked to phone a family member: when a family member
misses their deadline, the child's class teacher (who knows the family and
has the number on the card) gets the usual notice with name and phone and the
phone task — the school's admins when the class has no teacher — and the
reporter is told, by relation, that they have been asked to phone. What a
school expects of a duty teacher is to report at once and stay reachable;
calling the family is the class teacher's (and the office's) job.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, RelationKind
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg, text
from bot.services import cards, identity
from bot.services.access import PAIRED_ROLES
from bot.services.incident_messages import IncidentSummary, close_choice, role_param
from bot.services.incident_people import class_teacher_of, people_with_roles
from bot.services.incident_roles import kept_away_ids
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Incident, Person

FAMILY_ROLES = frozenset({RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value,
                          RelationKind.MOTHER.value})
"""The chain's roles that are the child's family (the others are staff, officials, child-protection contacts)."""


def knows_family(uow: UnitOfWork, person_id: int, child_id: int) -> bool:
    """Whether this person may read the child's family by name and phone (module doc).

    The rule of :func:`bot.services.cards.part_for` (``full`` or ``pairing``) without its "active child"
    condition: the class teacher who reported about a child who has left since still reads the timeline
    as before.
    """
    child = uow.session.get(Child, child_id)
    actor = identity.actor_of(uow, person_id)
    if child is None or actor is None:
        return False
    if cards.may_correct(uow, actor, child):  # the class teacher, the school's admins and leaders
        return True
    kinds = set(uow.session.scalars(select(ChildRelation.kind).where(
        ChildRelation.child_id == child.id, ChildRelation.person_id == person_id)))
    return bool(kinds & set(cards.PAIRING) and actor.roles & PAIRED_ROLES)


def family_role(uow: UnitOfWork, child_id: int, person_id: int) -> str:
    """The person's relation to the child when they are its family (``entrusted_guardian`` …), else ``""``."""
    return uow.session.scalar(select(ChildRelation.kind).where(
        ChildRelation.child_id == child_id, ChildRelation.person_id == person_id,
        ChildRelation.kind.in_(sorted(FAMILY_ROLES))).order_by(ChildRelation.kind).limit(1)) or ""


def family_names(uow: UnitOfWork, child_id: int) -> list[str]:
    """The names of the child's entrusted guardians and parents on the roster (one child, so never out of scope).

    For the report's harm question only (``被张强打的`` names the grandfather): matched, never shown.
    """
    return list(uow.session.scalars(select(Person.name).join(ChildRelation, ChildRelation.person_id == Person.id)
                                    .where(ChildRelation.child_id == child_id,
                                           ChildRelation.kind.in_(sorted(FAMILY_ROLES)))))


def named(role: str, knows: bool) -> bool:
    """Whether a chain member of ``role`` is shown by name to a reader who ``knows`` the family or not."""
    return knows or role not in FAMILY_ROLES


def who(name: str, role: str, knows: bool) -> dict[str, Any]:
    """A chain member as a message parameter: "张强（委托监护人）", or only "委托监护人" for an outsider."""
    if named(role, knows):
        return msg(N_("{name} ({role})"), name=text(name), role=role_param(role))
    return role_param(role)


def name_or_relation(name: str, role: str, knows: bool) -> dict[str, Any]:
    """A chain member's name as a message parameter ("张强"), or only their relation ("委托监护人") for an outsider."""
    return text(name) if named(role, knows) else role_param(role)


def callers(uow: UnitOfWork, incident: Incident, s: IncidentSummary, *, role: str, step_no: int,
            due_by: datetime) -> tuple[list[int], Prompt | None]:
    """Who is asked to phone a chain member who missed their deadline, and what the reporter is told instead.

    Returns:
        ``([reporter], None)`` when the reporter may know the person; for a
        family member and a reporter outside the family's circle, the child's
        class teacher (the school's admins when the class has none) and the
        reporter's notice by relation (:func:`missed_to_outsider`).
    """
    if named(role, knows_family(uow, incident.reporter_id, incident.child_id)):
        return [incident.reporter_id], None
    child = uow.session.get(Child, incident.child_id)
    gone = kept_away_ids(uow, incident.id)  # a class teacher or admin left out of it never phones about it
    teacher = class_teacher_of(uow, child) if child is not None else None
    found = [teacher] if teacher is not None and teacher not in gone else \
        [p for p in people_with_roles(uow, child.school_id, ADMIN_ROLES) if p not in gone] if child is not None else []
    return found, missed_to_outsider(uow, s, role=role, step_no=step_no, due_by=due_by, phoner_ids=found)


def missed_to_outsider(uow: UnitOfWork, s: IncidentSummary, *, role: str, step_no: int, due_by: datetime,
                       phoner_ids: list[int]) -> Prompt:
    """To a reporter outside the circle: a family member missed the deadline; who has been asked to phone them."""
    names = list(uow.session.scalars(select(Person.name).where(Person.id.in_(phoner_ids)).order_by(Person.id)))
    return Prompt(
        N_("Not reached in time: the child's {role} (step {step}) has not acknowledged the incident about {child} "
           "({class_name}), {kind} reported at {reported_at}, by {due_by}. {phoners} has been asked to phone them."),
        {**s.params(), "reported_at": dt(s.reported_at), "role": role_param(role), "step": step_no,
         "due_by": dt(due_by), "phoners": [text(n) for n in names] or msg(N_("The school office"))},
        choices=(close_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_NOTICE,
    )


def acknowledged_to_outsider(s: IncidentSummary, *, role: str, acknowledged_at: datetime) -> Prompt:
    """To a reporter outside the circle: a family member acknowledged (by relation)."""
    return Prompt(
        N_("The child's {role} acknowledged the incident about {child} ({class_name}), {kind} reported at "
           "{reported_at}, at {acknowledged_at}."),
        {**s.params(), "role": role_param(role), "reported_at": dt(s.reported_at),
         "acknowledged_at": dt(acknowledged_at)},
        kind=PromptKind.NOTICE,
    )
