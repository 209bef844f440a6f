"""Tasks: list one's own (overdue first), close with a one-line outcome, hand to a colleague; the school's list.

Every source creates its task where it happens (a check-in answered "needs
help", an unanswered check-in, a talk card needing follow-up, a safety
concern, an unreachable contact, a missed incident step, nobody in a chain);
the due time comes from the kind (:mod:`bot.domain.tasks`). This module
reads and closes them. Who may act on a task: its assignee, and the admins
and leaders of the school of the task's child (or of its assignee). Hand-overs
are recorded as :class:`~bot.store.models.RecordChange` rows and told to the
new assignee at once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from bot.domain import tasks as rules
from bot.domain.enums import ADMIN_ROLES, STAFF_ROLES, ChangeSource, Priority, RelationKind, Role, TaskKind
from bot.domain.privacy import AUDIT_CLI, AuditAction
from bot.messages.labels import TASK_KIND_LABELS
from bot.messages.prompt import N_, Prompt, PromptKind, msg, text
from bot.services import audit
from bot.services.identity import Actor, normalise_name
from bot.services.incident_roles import tasks_not_kept_away
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.services.task_lines import TALK_KINDS as TALK_KINDS  # re-exported for their callers
from bot.services.task_lines import TaskView as TaskView
from bot.services.task_lines import task_line as task_line
from bot.services.task_lines import what_param as what_param
from bot.store.models import Checkin, Child, ChildRelation, Person, PersonRole, RecordChange, SchoolClass, Task

log = logging.getLogger(__name__)

MAX_OUTCOME = 200  # a one-line outcome, not a report



class Outcome(StrEnum):
    """What closing or handing on a task came to."""

    DONE = "done"
    HANDED = "handed"
    ALREADY = "already"  # closed before (by someone else, or a double tap)
    NOT_YOURS = "not_yours"  # unknown, or neither the assignee nor an admin of its school
    BAD_COLLEAGUE = "bad_colleague"  # the named colleague is not staff of the school (or is the assignee)
    NOT_PAIRED = "not_paired"  # a volunteer (no school staff role) not paired with the task's child


def create(uow: UnitOfWork, *, key: str, kind: str, assignee_id: int, now: datetime, child_id: int | None = None,
           about_person_id: int | None = None, detail: str | None = None) -> Task:
    """A task under an idempotency key (the existing one when the key is taken); due by its kind's allowance."""
    existing = uow.session.scalar(select(Task).where(Task.key == key))
    if existing is not None:
        return existing
    task = Task(key=key, kind=str(kind), child_id=child_id, assignee_id=assignee_id, about_person_id=about_person_id,
                detail=detail, created_at=now, due_at=rules.due_at(str(kind), now))
    uow.session.add(task)
    uow.session.flush()
    return task


def open_for(uow: UnitOfWork, *, key_prefix: str) -> list[Task]:
    """Open tasks whose idempotency key starts with ``key_prefix`` (a plan's review tasks)."""
    return list(uow.session.scalars(select(Task).where(_open(), Task.key.startswith(key_prefix, autoescape=True))))


def note_missed_week(s: Session, checkin: Checkin) -> Task | None:
    """The open call task about this unanswered check-in's child and guardian, now noting its week too.

    Issue 9: one call task per child and guardian while it is open, not one more each week. Its due time
    stays (the first missed week's): a teacher who has not phoned yet is still late, and its line says how
    many weeks went unanswered (``TaskView.weeks``). None when there is no such task (a new one is due).
    """
    task = s.scalar(select(Task).where(
        Task.kind == TaskKind.PHONE_GUARDIAN.value, Task.child_id == checkin.child_id,
        Task.about_person_id == checkin.guardian_id, _open(),
        Task.key != f"phone_guardian:checkin:{checkin.id}").order_by(Task.id).limit(1))
    if task is not None:
        task.detail = f"{task.detail or ''}; check-in {checkin.period} unanswered".lstrip("; ")
        log.info("check-in %s unanswered: call task %s still open, noted there", checkin.id, task.id)
    return task


def _open() -> ColumnElement[bool]:
    return and_(Task.done_at.is_(None), Task.cancelled_at.is_(None))


def school_of_task(school_id: int) -> ColumnElement[bool]:
    """Tasks about a child of the school, or (without a child) assigned to someone of the school."""
    return or_(
        Task.child_id.in_(select(Child.id).where(Child.school_id == school_id)),
        and_(Task.child_id.is_(None), Task.assignee_id.in_(select(Person.id).where(Person.school_id == school_id))),
    )



def _minute(value: datetime | None) -> datetime | None:
    return value.replace(second=0, microsecond=0) if value is not None else None


def _looks(v: TaskView) -> tuple:
    """Everything a task's line and answer show (times to the minute, as they are shown)."""
    return (v.kind, v.child_name, v.about_name, v.about_phone, v.assignee_id, v.overdue,
            _minute(v.due_at or v.created_at), _minute(v.created_at) if v.kind in TALK_KINDS else None)


def _told_apart(views: list[TaskView]) -> list[TaskView]:
    """Number the tasks that would read alike (two talks saved the same minute, namesake children), in list order."""
    alike: dict[tuple, list[int]] = {}
    for i, v in enumerate(views):
        alike.setdefault(_looks(v), []).append(i)
    result = list(views)
    for positions in alike.values():
        if len(positions) > 1:
            for n, i in enumerate(positions, start=1):
                result[i] = replace(views[i], number=n)
    return result


def _rows(uow: UnitOfWork, condition: ColumnElement[bool], now: datetime,
          assignee: Any = None) -> list[tuple[int, TaskView]]:
    """The open tasks matching ``condition`` (on ``Task``, ``Child`` and ``assignee``), with their school."""
    about = aliased(Person)
    assignee = assignee if assignee is not None else aliased(Person)
    # The check-ins a call task stands for: escalated (unanswered) since it was created.
    weeks = (select(func.count(Checkin.id))
             .where(Task.kind == TaskKind.PHONE_GUARDIAN.value, Checkin.child_id == Task.child_id,
                    Checkin.guardian_id == Task.about_person_id, Checkin.escalated_at >= Task.created_at,
                    Checkin.answered_at.is_(None))
             .correlate(Task).scalar_subquery())
    rows = uow.session.execute(
        select(Task, Child.name, SchoolClass.name, about.name, about.phone, assignee.name,
               func.coalesce(Child.school_id, assignee.school_id), weeks)
        .outerjoin(Child, Child.id == Task.child_id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .outerjoin(about, about.id == Task.about_person_id)
        .join(assignee, assignee.id == Task.assignee_id)
        .where(_open(), condition)
    ).all()
    return [(school, TaskView(t.id, t.kind, child, klass, about_name, about_phone, t.assignee_id, assignee_name,
                              t.created_at, t.due_at, rules.is_overdue(t.due_at, t.done_at, t.cancelled_at, now),
                              weeks=missed or 0))
            for t, child, klass, about_name, about_phone, assignee_name, school, missed in rows]


def _listed(views: list[TaskView]) -> list[TaskView]:
    return _told_apart(sorted(views, key=lambda v: (not v.overdue, v.due_at or v.created_at, v.id)))


def _views(uow: UnitOfWork, condition: ColumnElement[bool], now: datetime) -> list[TaskView]:
    return _listed([v for _school, v in _rows(uow, condition, now)])


def open_tasks(uow: UnitOfWork, *, person_id: int, now: datetime, reader: int | None = None) -> list[TaskView]:
    """The person's open tasks, overdue first, then by due time; ``reader``: as :func:`overdue_by_school`.

    Never an incident's task the reader (by default the person: their own ``/tasks`` and ``/due``) is kept
    away from: the one rule the school's list keeps (issue 9; a call task about an abuse report handed to
    the principal who is the child's guardian must not tell her of it).
    """
    reader = person_id if reader is None else reader
    return _views(uow, and_(Task.assignee_id == person_id, tasks_not_kept_away(reader)), now)


def school_tasks(uow: UnitOfWork, *, school_id: int, now: datetime, besides: int | None = None) -> list[TaskView]:
    """The school's open tasks (for its admins), overdue first; ``besides``: leave out this person's own."""
    condition = school_of_task(school_id)
    if besides is not None:  # the reader: never an incident's tasks they were left out of (break9)
        condition = and_(condition, Task.assignee_id != besides, tasks_not_kept_away(besides))
    return _views(uow, condition, now)


def overdue_by_person(uow: UnitOfWork, *, school_id: int, now: datetime,
                      reader: int | None = None) -> dict[int, list[TaskView]]:
    """Each assignee's overdue tasks of the school (for the daily digest); ``reader``: as :func:`overdue_by_school`."""
    return overdue_by_school(uow, school_ids=[school_id], now=now, reader=reader).get(school_id, {})


def overdue_by_school(uow: UnitOfWork, *, school_ids: Sequence[int], now: datetime,
                      reader: int | None = None) -> dict[int, dict[int, list[TaskView]]]:
    """:func:`overdue_by_person` of many schools in one query (the daily digest of a city).

    A task belongs to its child's school, or (without a child) to its
    assignee's, as in :func:`school_tasks`; each school's list is numbered on its own.
    ``reader``: whoever will read the list: never an incident's tasks they are kept away from
    (:func:`~bot.services.incident_roles.tasks_not_kept_away`; the accused principal's digest and ``/due``
    counted the call tasks of the abuse report that left him out); None only to decide who gets a digest.
    """
    ids = list(school_ids)
    if not ids:
        return {}
    assignee = aliased(Person)
    condition = and_(Task.due_at < now, or_(Child.school_id.in_(ids),
                                            and_(Task.child_id.is_(None), assignee.school_id.in_(ids))))
    if reader is not None:
        condition = and_(condition, tasks_not_kept_away(reader))
    by_school: dict[int, list[TaskView]] = {}
    for school, view in _rows(uow, condition, now, assignee):
        by_school.setdefault(school, []).append(view)
    result: dict[int, dict[int, list[TaskView]]] = {}
    for school, views in by_school.items():
        for view in _listed(views):
            result.setdefault(school, {}).setdefault(view.assignee_id, []).append(view)
    return result


def may_act(uow: UnitOfWork, actor: Actor, task: Task) -> bool:
    """The assignee, or an admin or leader of the task's school."""
    if task.assignee_id == actor.person_id:
        return True
    if not ADMIN_ROLES & actor.roles:
        return False
    found = uow.session.scalar(select(Task.id).where(Task.id == task.id, school_of_task(actor.school_id)))
    return found is not None


def view(uow: UnitOfWork, actor: Actor, task_id: int, now: datetime) -> TaskView | None:
    """One open task the actor may act on, or None."""
    task = uow.session.get(Task, task_id)
    if task is None or not may_act(uow, actor, task) or kept_away(uow, task.id, actor.person_id):
        return None  # an old button of a report they were since kept away from: as if unknown
    return _one(uow, task, now)


def kept_away(uow: UnitOfWork, task_id: int, person_id: int) -> bool:
    """Whether the task is about an incident the person is kept away from (:func:`tasks_not_kept_away`)."""
    return uow.session.scalar(select(Task.id).where(Task.id == task_id, tasks_not_kept_away(person_id))) is None


def _one(uow: UnitOfWork, task: Task, now: datetime) -> TaskView | None:
    """One open task as the lists show it: numbered among its assignee's tasks of its kind when alike."""
    siblings = _views(uow, and_(Task.assignee_id == task.assignee_id, Task.kind == task.kind), now)
    return next((v for v in siblings if v.id == task.id), None)


def complete(uow: UnitOfWork, actor: Actor, *, task_id: int, outcome: str, now: datetime,
             channel: str = AUDIT_CLI) -> Outcome:
    """Close a task with its one-line outcome (trimmed to :data:`MAX_OUTCOME`). The caller commits.

    The outcome is free text about the child: stored encrypted, never logged, and the closing is audited
    (``channel``: where it was typed).
    """
    task = uow.session.get(Task, task_id)
    if task is None or not may_act(uow, actor, task):
        return Outcome.NOT_YOURS
    if task.done_at is not None or task.cancelled_at is not None:
        return Outcome.ALREADY
    task.done_at = now
    task.outcome = " ".join(outcome.split())[:MAX_OUTCOME]
    task.closed_by_id = actor.person_id
    uow.session.flush()
    if task.child_id is not None:
        audit.record(uow, actor_id=actor.person_id, action=AuditAction.TASK_CLOSED, child_id=task.child_id,
                     channel=channel, now=now, task=task.id)
    log.info("task %s done by person %s", task.id, actor.person_id)
    return Outcome.DONE


def colleagues(uow: UnitOfWork, actor: Actor, name: str) -> list[tuple[int, str]]:
    """Staff of the actor's school called ``name`` (normalised), who have not left: ``(id, name)``."""
    wanted = normalise_name(name)
    rows = uow.session.execute(
        select(Person.id, Person.name).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.school_id == actor.school_id, Person.left_at.is_(None),
               PersonRole.role.in_([r.value for r in STAFF_ROLES]))
        .distinct().order_by(Person.id)
    ).all()
    return [(pid, pname) for pid, pname in rows if normalise_name(pname) == wanted]


def hand_over(uow: UnitOfWork, actor: Actor | None, *, task_id: int, to_person_id: int, now: datetime,
              school_id: int | None = None, source: ChangeSource = ChangeSource.CHAT) -> Outcome:
    """Hand an open task to a colleague: recorded, and the colleague is told at once.

    Args:
        uow: the unit of work (the caller commits).
        actor: who hands it on (checked with :func:`may_act`), or None for the
            roster's own hand-over of a leaving staff member (``school_id`` then names the school).
        task_id: the task.
        to_person_id: the colleague (staff of the same school, not the current assignee; for a task about a
            child, school staff other than a caring-parent volunteer, or the volunteer paired with the child).
        now: UTC.
        school_id: the school, when ``actor`` is None.
        source: where the hand-over comes from (recorded).
    """
    s = uow.session
    task = s.get(Task, task_id)
    if task is None or (actor is not None and not may_act(uow, actor, task)):
        return Outcome.NOT_YOURS
    if task.done_at is not None or task.cancelled_at is not None:
        return Outcome.ALREADY
    school = actor.school_id if actor is not None else school_id
    target = s.get(Person, to_person_id)
    if (target is None or school is None or target.school_id != school or target.left_at is not None
            or not STAFF_ROLES & target.role_set or target.id == task.assignee_id
            or kept_away(uow, task.id, target.id)):  # never a report's task to someone kept away from it
        return Outcome.BAD_COLLEAGUE
    if task.child_id is not None and not (STAFF_ROLES - {Role.CARING_PARENT}) & target.role_set:
        # A task opens the child's contacts (access footnote [4]): a villager volunteer only for their own child.
        if s.scalar(select(ChildRelation.id).where(
                ChildRelation.child_id == task.child_id, ChildRelation.person_id == target.id,
                ChildRelation.kind == RelationKind.CARING_PARENT.value).limit(1)) is None:
            return Outcome.NOT_PAIRED
    previous = task.assignee_id
    task.handed_from_id = task.handed_from_id or previous
    task.assignee_id = target.id
    s.add(RecordChange(school_id=school, child_id=task.child_id, subject="task", subject_id=task.id,
                       field="assignee", old_value=str(previous), new_value=str(target.id),
                       changed_by_id=actor.person_id if actor else None, changed_at=now, source=source.value))
    giver = s.get(Person, actor.person_id) if actor is not None else None
    enqueue(s, key=f"task:{task.id}:handed:{target.id}:{now.isoformat()}", person_id=target.id,
            prompt=handed_prompt(uow, task, giver.name if giver else None), priority=Priority.BULK, now=now,
            child_id=task.child_id)
    s.flush()
    log.info("task %s handed from person %s to person %s", task.id, previous, target.id)
    return Outcome.HANDED


def handed_prompt(uow: UnitOfWork, task: Task, giver: str | None) -> Prompt:
    """What the new assignee hears: the task, who handed it on, and ``/tasks``."""
    found = _one(uow, task, task.created_at)
    line = task_line(found) if found else (N_("• {what}"), {"what": msg(TASK_KIND_LABELS.get(task.kind, "?"))})
    if giver:
        return Prompt(N_("{name} handed you a task. Send /tasks to see your tasks."), {"name": text(giver)},
                      lines=(line,), kind=PromptKind.TASK)
    return Prompt(N_("A task was handed to you. Send /tasks to see your tasks."), lines=(line,),
                  kind=PromptKind.TASK)
