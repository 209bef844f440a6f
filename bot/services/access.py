"""Access rules: who may see and act on which child. Deny by default.

A person's scope is the union of what each of their roles grants, and a role
grants something only together with the record that links the person to the
child (a class, a pairing, a guardianship). A role nobody listed here, or a
link without the matching role, grants nothing.

=====================  ==========================================  ====  ======  ========
role                   children                                    VIEW  TALK    INCIDENT
=====================  ==========================================  ====  ======  ========
class teacher          their class (``SchoolClass.class_teacher``)  yes   yes     school
                       and children paired with them                            [3]
helper teacher         children paired with them (``ChildRelation``  yes   yes     school
                       kind ``helper_teacher``)                                 [3]
caring-parent          children paired with them (kind               yes   yes     yes
volunteer              ``caring_parent``)
school leader, admin   every child of their school                  yes   no [1]  school
safeguarding lead      (through their teaching role, if any) [5]     —     —       school
entrusted guardian     children they are the entrusted guardian of  yes   no      no [2]
parent                 their own children (father / mother)         yes   no      no
education bureau,      none: aggregates only                        no    no      no
town government, child
protection contacts
=====================  ==========================================  ====  ======  ========

[1] Talk records (谈心记录卡) are written by the class teacher (monthly) and
    the paired volunteer (weekly), as the school plans assign them; a leader
    who is also a class teacher or paired helper gets TALK through that role.
[2] The incident flow is for staff (issue 2: "any staff who can see the
    child"); a guardian asks for help through the weekly check-in instead.
[3] Any teacher may report an incident about any active child of their
    school (issue 6, item 5: the duty teacher sees a fall in the yard); the
    child's class teacher is told at once. Caring-parent volunteers, who are
    villagers rather than school staff, keep to the children paired with them.
    Reporting grants no view of the child's family: a reporter outside the
    child's VIEW scope reads it by relation only (``incident_privacy``).

[4] A staff member holding an open task about a child (``Task.assignee_id``,
    neither done nor cancelled: a phone call, a follow-up an admin handed to
    a teacher of another class) may find that child for ``TASK``: the card's
    contact part and the talk history the task needs
    (:data:`bot.services.cards.Part.TASK`). Closing or handing the task on ends
    it. ``TASK`` grants nothing else (no talk, no incident, no other
    picker), and never to a guardian, parent or official.

[5] Exports of per-child records (花名册, talk cards, pairing list, aid
    ledger) follow exactly the card scope (``cards.full_filter``): a
    safeguarding lead exports only the children whose whole card she sees
    (her class, if she is a class teacher; none otherwise). Her incident
    timelines are the incidents she is in: every safeguarding report (she
    gets each one's notices, ``incident_people.leader_ids``) and any other
    she reported or was alerted about (``bot.services.export_files``).

Only active children (``Child.active``) are ever in scope. An out-of-scope
child is indistinguishable from an unknown one: :func:`find_children` gives
the same empty list and :func:`can_act_on_child` the same False.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_, select

from bot.domain.enums import ADMIN_ROLES, STAFF_ROLES, RelationKind, Role
from bot.domain.traditional import simplified
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, SchoolClass, Task


class Purpose(StrEnum):
    """What the actor wants to do with a child; each role grants some purposes (module doc)."""

    TALK = "talk"  # log a talk record
    INCIDENT = "incident"  # report an incident
    VIEW = "view"  # see the child's archive
    TASK = "task"  # VIEW, or an open task about the child assigned to the actor (footnote [4]): /card and /talks


@dataclass(frozen=True)
class ChildRef:
    """A child as shown in a picker: id, name and class name (to tell namesakes apart)."""

    id: int
    name: str
    class_name: str | None


PAIRING_KINDS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)
PAIRED_ROLES = frozenset({Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.CARING_PARENT})
# Who may report an incident about any active child of their school (footnote [3]).
SCHOOL_WIDE_INCIDENT_ROLES = frozenset(
    {Role.SCHOOL_LEADER, Role.ADMIN, Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.SAFEGUARDING_LEAD})


def _related(person_id: int, kinds: tuple[str, ...]) -> ColumnElement[bool]:
    return Child.id.in_(
        select(ChildRelation.child_id).where(ChildRelation.person_id == person_id, ChildRelation.kind.in_(kinds))
    )


def _own_class(person_id: int) -> ColumnElement[bool]:
    return Child.class_id.in_(select(SchoolClass.id).where(SchoolClass.class_teacher_id == person_id))


TASK_ACCESS_ROLES = STAFF_ROLES - {Role.CARING_PARENT}
"""Whose open task about a child opens its card's contact part: the school's own staff, never a volunteer."""


def _open_task(person_id: int) -> ColumnElement[bool]:
    """Children of an open task (neither done nor cancelled) assigned to the person (footnote [4])."""
    return Child.id.in_(
        select(Task.child_id).where(Task.assignee_id == person_id, Task.child_id.is_not(None),
                                    Task.done_at.is_(None), Task.cancelled_at.is_(None)))


def task_only(uow: UnitOfWork, actor: Actor, child_id: int) -> bool:
    """Whether the actor reaches this child only through an open task assigned to them (footnote [4])."""
    return (can_act_on_child(uow, actor, child_id, purpose=Purpose.TASK)
            and not can_act_on_child(uow, actor, child_id, purpose=Purpose.VIEW))


def task_grant(uow: UnitOfWork, actor: Actor, child_id: int) -> dict[str, int | str]:
    """What an audit entry of a read through a task says: ``via``, the task, and its incident (empty: no task read).

    A card read through an incident's phone task said only "via task" (fix9w): which task, and so which incident,
    was lost; with the incident named, the entry is also kept from a reader that incident keeps away
    (:func:`bot.services.audit.hidden_incidents`).
    """
    if not task_only(uow, actor, child_id):
        return {}
    task = uow.session.execute(select(Task.id, Task.key).where(
        Task.assignee_id == actor.person_id, Task.child_id == child_id, Task.done_at.is_(None),
        Task.cancelled_at.is_(None)).order_by(Task.id).limit(1)).first()
    if task is None:
        return {"via": "task"}
    parts = (task.key or "").split(":")
    incident = {"incident": int(parts[1])} if parts[0] == "incident" and parts[1:2] and parts[1].isdigit() else {}
    return {"via": "task", "task": int(task.id), **incident}


def scope_filter(actor: Actor, purpose: Purpose) -> ColumnElement[bool]:
    """A SQL condition on :class:`Child` selecting the children the actor may act on for ``purpose``.

    Includes ``Child.active``. For a person with no granting role it is
    ``false()`` (deny by default). Use it in any query over children, e.g.
    ``select(Child).where(scope_filter(actor, Purpose.VIEW))``.
    """
    purpose = Purpose(purpose)  # a plain "talk" string compares by identity below too
    if purpose is Purpose.TASK:
        view = scope_filter(actor, Purpose.VIEW)
        if not actor.roles & TASK_ACCESS_ROLES:
            # A task never opens a child to a guardian, parent or official, nor to a caring-parent volunteer (a
            # plan's review task made her the assignee of a child she is not paired with: breaker4); she keeps
            # to her paired children (VIEW).
            return view
        # The task's child only while it is open, and only of the actor's school.
        return or_(view, and_(Child.active.is_(True), Child.school_id == actor.school_id, _open_task(actor.person_id)))
    roles = set(actor.roles)
    me = actor.person_id
    grants: list[ColumnElement[bool]] = []
    # Class and pairing links grant every purpose: their roles are all staff roles.
    if Role.CLASS_TEACHER in roles:
        grants.append(_own_class(me))
    if roles & PAIRED_ROLES:
        grants.append(_related(me, PAIRING_KINDS))
    if purpose is Purpose.VIEW and roles & ADMIN_ROLES:
        grants.append(Child.school_id == actor.school_id)
    if purpose is Purpose.INCIDENT and roles & SCHOOL_WIDE_INCIDENT_ROLES:
        grants.append(Child.school_id == actor.school_id)
    if purpose is Purpose.VIEW:
        if Role.GUARDIAN in roles:
            grants.append(_related(me, (RelationKind.ENTRUSTED_GUARDIAN.value,)))
        if Role.PARENT in roles:
            grants.append(_related(me, (RelationKind.FATHER.value, RelationKind.MOTHER.value)))
    if not grants:
        return false()
    return and_(Child.active.is_(True), or_(*grants))


def find_children(uow: UnitOfWork, actor: Actor, *, purpose: Purpose, name: str | None = None) -> list[ChildRef]:
    """Children in the actor's scope for ``purpose``, optionally matching ``name`` exactly.

    Args:
        uow: the unit of work.
        actor: who asks.
        purpose: what for (:class:`Purpose`).
        name: a child's name; matched exactly, or after removing spaces and
            full-width forms on both sides (``张 三``, ``张　三`` find 张三).
            None lists the whole scope.

    Returns:
        ChildRefs ordered by class name, name and id; namesakes are all
        returned (the caller asks which one). An out-of-scope child is
        indistinguishable from an unknown one (empty list).
    """
    scope = scope_filter(actor, Purpose(purpose))
    query = (
        select(Child.id, Child.name, SchoolClass.name)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(scope)
        .order_by(SchoolClass.id, Child.name, Child.id)  # class ids follow the roster: 一年级 before 二年级
    )
    if name is None:
        rows = uow.session.execute(query).all()
        return [ChildRef(id=r[0], name=r[1], class_name=r[2]) for r in rows]
    wanted = normalise_name(name)
    if not wanted:
        return []
    rows = uow.session.execute(query.where(Child.name.in_({name.strip(), wanted, simplified(wanted)}))).all()
    if not rows:
        # Stored names may carry spaces, full-width forms or traditional characters (楊秀雲 is 杨秀云): compare
        # normalised, within the scope only.
        plain = simplified(wanted)
        rows = [r for r in uow.session.execute(query).all() if simplified(normalise_name(r[1])) == plain]
    return [ChildRef(id=r[0], name=r[1], class_name=r[2]) for r in rows]


def can_act_on_child(uow: UnitOfWork, actor: Actor, child_id: int, *, purpose: Purpose) -> bool:
    """Whether the actor may act on this child for ``purpose`` (False also for an unknown or inactive child)."""
    found = uow.session.scalar(select(Child.id).where(Child.id == child_id, scope_filter(actor, Purpose(purpose))))
    return found is not None
