"""The roster's lifecycle (issue 9, item 4): who a re-import no longer lists, and what leaving does.

After a roster import has written the file, :func:`missing` lists the active
children the file's children sheet no longer has and the staff its staff
sheet no longer has. Nothing is removed unless asked (``--apply-removals``,
after a confirmation): then :func:`apply_removals`

* marks each missing child as left (``active`` off, ``left_at``): their talk
  cards, incidents, plans and aid stay as history; their guardians' open
  check-ins and the open tasks about them are closed;
* ends each missing staff member's roles and chat access (every binding
  removed, with the school as remover) and hands their children and open
  tasks to the successor the new roster names: for a child they were paired
  with, whoever the 花名册 now names in their place (the new 帮扶教师 or
  爱心家长 of that child); else the class teacher the class sheet names for the
  child's class; else the school's leaders, then its other admins (a class left without its class
  teacher goes to the first of them, said in the summary). Every change is recorded.

It also marks the parents the registration form calls unable to guard
(留守类型 "父亲无监护能力" / "母亲无监护能力"), who are then never put in the
incident chain, and counts the pairing coverage.
"""

from __future__ import annotations

import logging
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, or_, select, update

from bot.domain import archive
from bot.domain.classes import class_sort_key
from bot.domain.enums import STAFF_ROLES, ChangeSource, RelationKind, Role
from bot.domain.roster import ChildRow
from bot.domain.roster_cells import match_key
from bot.services import bindings, cards, identity, relations, tasks
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Person, PersonRole, RecordChange, SchoolClass, Task

log = logging.getLogger(__name__)

UNABLE = {RelationKind.FATHER.value: "父亲无监护能力", RelationKind.MOTHER.value: "母亲无监护能力"}


@dataclass(frozen=True)
class Missing:
    """Someone a re-import no longer lists: id, name, and the class (children) or roles (staff)."""

    id: int
    name: str
    detail: str


@dataclass
class Lifecycle:
    """What a re-import found missing, what was applied, and the pairing coverage."""

    children: list[Missing] = field(default_factory=list)
    staff: list[Missing] = field(default_factory=list)
    applied: bool = False
    # (leaver, successor, children whose pairing ended with a hand-over task to the successor, open tasks handed)
    handed: list[tuple[str, str, int, int]] = field(default_factory=list)
    without: dict[str, int] = field(default_factory=dict)  # pairing kind → active children without one
    unpaired: list[tuple[str, str | None, list[str]]] = field(default_factory=list)  # (child, class, kinds)
    lost_buddies: list[tuple[str, str]] = field(default_factory=list)  # (child still at school, buddy who left)
    class_handed: list[tuple[str, str, int]] = field(default_factory=list)  # (former, new class teacher, tasks)
    still_named: list[tuple[str, str, int]] = field(default_factory=list)  # (volunteer who left, role, 花名册 rows)
    classes_taken: list[tuple[str, str, str | None]] = field(default_factory=list)  # (class, leaver, taker)


def missing(uow: UnitOfWork, *, school_id: int, child_ids: Container[int] | None,
            staff_ids: Container[int] | None) -> Lifecycle:
    """Active children and current staff of the school that the file does not list.

    Args:
        uow: the unit of work.
        school_id: the school.
        child_ids: the children the file's children sheet has, or None when it has no such sheet (nobody missing).
        staff_ids: the people the file's staff sheet has, or None when it has no staff sheet.
    """
    s = uow.session
    found = Lifecycle()
    if child_ids is not None:
        children = s.execute(select(Child.id, Child.name, SchoolClass.name)
                         .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
                         .where(Child.school_id == school_id, Child.active.is_(True))
                         .order_by(SchoolClass.id, Child.name).execution_options(yield_per=5_000))
        found.children = [Missing(cid, name, klass or "") for cid, name, klass in children if cid not in child_ids]
    if staff_ids is not None:
        staff_roles = [r.value for r in STAFF_ROLES]
        rows = s.execute(select(Person.id, Person.name, PersonRole.role)
                         .join(PersonRole, PersonRole.person_id == Person.id)
                         .where(Person.school_id == school_id, Person.left_at.is_(None),
                                PersonRole.role.in_(staff_roles))
                         .order_by(Person.id)).all()
        by_person: dict[int, tuple[str, list[str]]] = {}
        for pid, name, role in rows:
            by_person.setdefault(pid, (name, []))[1].append(role)
        found.staff = [Missing(pid, name, ",".join(sorted(roles))) for pid, (name, roles) in by_person.items()
                       if pid not in staff_ids]
    return found


def apply_removals(uow: UnitOfWork, found: Lifecycle, *, school_id: int, now: datetime) -> None:
    """End what :func:`missing` found (module doc). The caller commits."""
    s = uow.session
    for child in found.children:
        row = s.get(Child, child.id)
        if row is None or not row.active:
            continue
        row.active, row.left_at = False, now
        family = s.execute(select(ChildRelation.kind, ChildRelation.person_id).where(
            ChildRelation.child_id == child.id, ChildRelation.person_id.is_not(None))).all()
        relations.relations_ended(s, [(child.id, kind, pid) for kind, pid in family], now=now)
        found.lost_buddies += [(name, child.name) for name in _buddies_end(uow, child.id, school_id=school_id, now=now)
                               if name not in {c.name for c in found.children}]
        s.execute(update(Task).where(Task.child_id == child.id, Task.done_at.is_(None))
                  .values(done_at=now, cancelled_at=now))
        s.add(RecordChange(school_id=school_id, child_id=child.id, subject="child", subject_id=child.id,
                           field="left", old_value=None, new_value=now.isoformat(), changed_at=now,
                           source=ChangeSource.IMPORT.value))
    admins = _leaders_first(uow, [a for a in identity.school_admin_ids(uow, school_id)
                                  if a not in {m.id for m in found.staff}])
    for leaver in found.staff:
        _staff_leaves(uow, leaver, admins, school_id=school_id, now=now, found=found)
    found.applied = True
    s.flush()
    log.info("roster removals applied: %d children left, %d staff left", len(found.children), len(found.staff))


def _leaders_first(uow: UnitOfWork, admins: list[int]) -> list[int]:
    """The school's leaders (校领导), then its other admins: whom a leaver's class and work go to (fix9e).

    The issue hands a leaver's work "to the admins"; of them a school leader answers for a class without its
    class teacher, as the principal does in the plans, rather than whichever admin was imported first.
    """
    leaders = set(uow.session.scalars(select(PersonRole.person_id).where(
        PersonRole.person_id.in_(admins), PersonRole.role == Role.SCHOOL_LEADER.value)))
    return sorted(admins, key=lambda a: a not in leaders)  # stable: by id within each group


def still_named(found: Lifecycle, rows: Iterable[ChildRow]) -> None:
    """Count the 花名册 rows that still name a helper teacher or caring parent who has just left (fix9e).

    The import matches such a name to the person on record, and the removal then ends the pairing: the
    children are without it, while the file still names them and the next import warns once per row. The
    summary says so at once, per leaver (``found.still_named``), so the school corrects the sheet.

    Args:
        found: the lifecycle, its removals applied.
        rows: the file's children rows (``helper_teacher`` and ``caring_parent`` as read).
    """
    leavers = {(column, match_key(m.name)): m.name for m in found.staff for column in m.detail.split(",")
               if column in _PAIRED_AS}
    if not leavers:
        return
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        for column in _PAIRED_AS:
            name = row[column]
            key = (column, match_key(name)) if isinstance(name, str) else None
            if key in leavers:
                counts[key] = counts.get(key, 0) + 1
    found.still_named = [(leavers[key], key[0], count) for key, count in counts.items()]


def _buddies_end(uow: UnitOfWork, child_id: int, *, school_id: int, now: datetime) -> list[str]:
    """A child who left is nobody's study buddy any more, nor has one: each such pairing ends, recorded.

    Else the child still at school counts as paired (their card, the pairing coverage) with a leaver.

    Returns:
        The names of the children who had the leaver as their buddy (the summary names them: a trial found the
        pairing dropped with only the coverage count changing).
    """
    s = uow.session
    partners: list[str] = []
    for rel in s.scalars(select(ChildRelation).where(
            ChildRelation.kind == RelationKind.STUDY_BUDDY.value,
            or_(ChildRelation.child_id == child_id, ChildRelation.related_child_id == child_id))).all():
        other = s.get(Child, rel.related_child_id if rel.child_id == child_id else rel.child_id)
        if other is not None and other.name not in partners:
            partners.append(other.name)
        s.add(RecordChange(school_id=school_id, child_id=rel.child_id, subject="relation", subject_id=rel.id,
                           field=rel.kind, old_value=str(rel.related_child_id), new_value=None, changed_at=now,
                           source=ChangeSource.IMPORT.value))
        s.delete(rel)
    return partners


_PAIRED_AS = {Role.HELPER_TEACHER.value: RelationKind.HELPER_TEACHER.value,
              Role.CARING_PARENT.value: RelationKind.CARING_PARENT.value}


def _successor(uow: UnitOfWork, child_id: int | None, leaver: int, admins: list[int],
               kinds: tuple[str, ...] = ()) -> int | None:
    """Who takes a leaver's child or task: the child's new pairing of the leaver's kind, class teacher, admin.

    ``kinds``: the pairings the leaver held (from their roles, which the
    import may already have ended for the child: the new 花名册 names
    someone else in that column).
    """
    if child_id is not None and kinds:
        taker = uow.session.scalar(
            select(ChildRelation.person_id).join(Person, Person.id == ChildRelation.person_id)
            .where(ChildRelation.child_id == child_id, ChildRelation.kind.in_(kinds),
                   ChildRelation.person_id != leaver, Person.left_at.is_(None))
            .order_by(ChildRelation.id).limit(1))
        if taker is not None:
            return int(taker)
    if child_id is not None:
        teacher = uow.session.scalar(select(SchoolClass.class_teacher_id).join(Child, Child.class_id == SchoolClass.id)
                                     .where(Child.id == child_id))
        if teacher is not None and teacher != leaver:
            return teacher
    return admins[0] if admins else None


def _staff_leaves(uow: UnitOfWork, leaver: Missing, admins: list[int], *, school_id: int, now: datetime,
                  found: Lifecycle) -> None:
    s = uow.session
    person = s.get(Person, leaver.id)
    if person is None:
        return
    handed: dict[int, int] = {}  # successor → children with a hand-over task
    moved: dict[int, int] = {}  # successor → open tasks handed to them
    kinds = tuple(_PAIRED_AS[r.role] for r in person.roles if r.role in _PAIRED_AS)
    # Children paired with them go to their successor (_successor), recorded.
    for rel in s.scalars(select(ChildRelation).join(Child, Child.id == ChildRelation.child_id)
                         .where(ChildRelation.person_id == leaver.id, ChildRelation.kind.in_(cards.PAIRING),
                                Child.active.is_(True))).all():  # a child who left keeps the pairing as history
        to = _successor(uow, rel.child_id, leaver.id, admins, kinds)
        s.add(RecordChange(school_id=school_id, child_id=rel.child_id, subject="relation", subject_id=rel.id,
                           field=rel.kind, old_value=str(leaver.id), new_value=str(to) if to else None,
                           changed_at=now, source=ChangeSource.IMPORT.value))
        if to is not None:
            tasks.create(uow, key=f"handover:{leaver.id}:{rel.child_id}", kind="handover", assignee_id=to,
                         child_id=rel.child_id, about_person_id=leaver.id, now=now,
                         detail=f"{rel.kind} of person {leaver.id} left")
            handed[to] = handed.get(to, 0) + 1
        s.delete(rel)
    # A class they still teach loses its class teacher (the new class sheet names the successor).
    for klass in s.scalars(select(SchoolClass).where(SchoolClass.class_teacher_id == leaver.id)).all():
        klass.class_teacher_id = admins[0] if admins else None
        taker = s.get(Person, admins[0]) if admins else None
        found.classes_taken.append((klass.name, leaver.name, taker.name if taker else None))  # said in the summary
    for task in s.scalars(select(Task).where(Task.assignee_id == leaver.id, Task.done_at.is_(None))).all():
        to = _successor(uow, task.child_id, leaver.id, admins, kinds)
        if to is not None and tasks.hand_over(uow, None, task_id=task.id, to_person_id=to, now=now,
                                              school_id=school_id, source=ChangeSource.IMPORT) is tasks.Outcome.HANDED:
            moved[to] = moved.get(to, 0) + 1
    for role in list(person.roles):
        s.add(RecordChange(school_id=school_id, subject="role", subject_id=person.id, field="role",
                           old_value=role.role, new_value=None, changed_at=now, source=ChangeSource.IMPORT.value))
    person.roles.clear()
    person.left_at = now
    bindings.remove_all(uow, person_id=person.id, now=now, by=bindings.RemovedBy.SCHOOL)
    for to in dict.fromkeys([*handed, *moved]):
        successor = s.get(Person, to)
        found.handed.append((leaver.name, successor.name if successor else "?", handed.get(to, 0), moved.get(to, 0)))
    s.flush()


def class_teacher_tasks(uow: UnitOfWork, *, school_id: int) -> list[tuple[int, int, int]]:
    """The open tasks about the school's children held by the child's class teacher: (task, child, teacher).

    Read before a re-import writes, for :func:`hand_class_tasks`; few rows (open tasks only).
    """
    rows = uow.session.execute(
        select(Task.id, Task.child_id, Task.assignee_id).join(Child, Child.id == Task.child_id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == school_id, Task.done_at.is_(None), Task.cancelled_at.is_(None),
               SchoolClass.class_teacher_id == Task.assignee_id)).all()
    return [(int(t), int(c or 0), int(a)) for t, c, a in rows]  # c: the join makes it a child


def hand_class_tasks(uow: UnitOfWork, before: list[tuple[int, int, int]], *, school_id: int,
                     now: datetime) -> list[tuple[str, str, int]]:
    """A child with another class teacher after the import: the former class teacher's open tasks about them go on.

    A child moved to another class (or a class given another class teacher by the class sheet) would
    otherwise leave the child's open tasks, and through them the child's card, with the former class
    teacher, and none with the new one. They are handed to the new class teacher, recorded and announced,
    as a leaving staff member's are; not while the former class teacher is still paired with the child
    (a helper teacher's task may be one of those).

    Args:
        uow: the unit of work (the import's; the caller commits).
        before: :func:`class_teacher_tasks` as it was before the import wrote.
        school_id: the school imported.
        now: UTC, recorded with each hand-over.

    Returns:
        (former class teacher, new class teacher, tasks handed), for the import's summary.
    """
    s = uow.session
    handed: dict[tuple[int, int], int] = {}
    for task_id, child_id, former in before:
        new = s.scalar(select(SchoolClass.class_teacher_id).join(Child, Child.class_id == SchoolClass.id)
                       .where(Child.id == child_id, Child.active.is_(True)))
        if new is None or new == former or s.scalar(select(ChildRelation.id).where(
                ChildRelation.child_id == child_id, ChildRelation.person_id == former,
                ChildRelation.kind.in_(cards.PAIRING)).limit(1)) is not None:
            continue
        if tasks.hand_over(uow, None, task_id=task_id, to_person_id=new, now=now, school_id=school_id,
                           source=ChangeSource.IMPORT) is tasks.Outcome.HANDED:
            handed[(former, new)] = handed.get((former, new), 0) + 1
    names = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_({p for k in handed for p in k}))).all())
    return [(names.get(a, "?"), names.get(b, "?"), count) for (a, b), count in handed.items()]


def mark_unable_to_guard(uow: UnitOfWork, *, school_id: int) -> int:
    """Parents the left-behind type calls unable to guard (无监护能力) are marked; the others unmarked.

    Set-based (two UPDATEs per kind): a city's roster has about 520,000 parents' relations.
    """
    s = uow.session
    changed = 0
    for kind, words in UNABLE.items():
        unable = select(Child.id).where(Child.school_id == school_id, Child.left_behind_type.contains(words,
                                                                                                       autoescape=True))
        able = select(Child.id).where(Child.school_id == school_id, or_(
            Child.left_behind_type.is_(None), ~Child.left_behind_type.contains(words, autoescape=True)))
        for value, children in ((True, unable), (False, able)):
            result = s.execute(update(ChildRelation)
                               .where(ChildRelation.kind == kind, ChildRelation.child_id.in_(children),
                                      ChildRelation.unable_to_guard.is_not(value))
                               .values(unable_to_guard=value).execution_options(synchronize_session=False))
            changed += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return changed


def coverage(uow: UnitOfWork, found: Lifecycle, *, school_id: int) -> None:
    """Fill in the pairing coverage: per pairing kind, the active children without one, and who they are.

    As :func:`bot.services.cards.completeness` counts it (its ``unpaired``, in its order), but with one
    streamed query that asks the database which pairings each child has: nothing is kept of the
    children who have them all (a city's roster has 260,000 children).
    """
    found.without = {}
    found.unpaired = []
    kinds = list(archive.PAIRINGS)
    has = [exists().where(ChildRelation.child_id == Child.id, ChildRelation.kind == kind,
                          or_(ChildRelation.person_id.is_not(None), ChildRelation.related_child_id.is_not(None)))
           for kind in kinds]
    query = (select(Child.class_id, Child.name, SchoolClass.name, *has)
             .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
             .where(Child.school_id == school_id, Child.active.is_(True)).order_by(Child.name, Child.id))
    groups: dict[int | None, tuple[str | None, list[tuple[str, str | None, list[str]]]]] = {}
    shared: dict[tuple[str, ...], list[str]] = {}
    for class_id, name, row_class, *present in uow.session.execute(query.execution_options(yield_per=2_000)):
        group = groups.setdefault(class_id, (row_class, []))
        missing = tuple(k for k, p in zip(kinds, present, strict=True) if not p)
        if missing:
            group[1].append((name, row_class, shared.setdefault(missing, list(missing))))
    for class_name, unpaired in sorted(groups.values(), key=lambda g: class_sort_key(g[0])):
        for name, _class_name, missing_kinds in unpaired:
            found.unpaired.append((name, class_name, missing_kinds))
            for kind in missing_kinds:
                found.without[kind] = found.without.get(kind, 0) + 1
