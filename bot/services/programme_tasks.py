"""The responsible people's tasks for programme occurrences: planning, reminders, answers, the report.

One task per occurrence and responsible person (unique), planned set-based:

* ``class_teacher`` — each class teacher whose class has active left-behind
  children (for a birthday: the classes of that person's children); the count
  is the children of the class.
* ``helper_teacher`` — each helper teacher with paired active children.
* ``admin`` — each admin and school leader of the school; the count is the school's children.

The reminder ("Letter-writing week starts Monday 11 Jan: 12 children in your
class") goes out at the occurrence's ``remind_at``, never in the quiet hours,
never on a weekend or holiday unless the item or the school allows it; it asks
Done / Postpone / Not this year (``pg:<task>:d|p|n``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from bot.config import Settings
from bot.domain.enums import Priority
from bot.domain.periods import in_quiet_hours, local_date
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, day, msg, plural, text
from bot.services import school_year
from bot.services.outbox import Outgoing, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    ChildRelation,
    Person,
    PersonRole,
    ProgrammeItem,
    ProgrammeOccurrence,
    ProgrammeTask,
    School,
    SchoolClass,
)

log = logging.getLogger(__name__)

MAX_POSTPONE_DAYS = 180


class TaskStatus(StrEnum):
    """Where a responsible person's task stands."""

    OPEN = "open"
    DONE = "done"
    POSTPONED = "postponed"
    SKIPPED = "skipped"  # not this year


def _children_of_subject() -> Any:
    """Children related to the occurrence's subject person (birthdays), as a correlated subquery."""
    related = aliased(ChildRelation)
    return (select(related.child_id).where(related.person_id == ProgrammeOccurrence.subject_person_id)
            .correlate(ProgrammeOccurrence))


def plan_tasks(uow: UnitOfWork, *, now: datetime, school_ids: Sequence[int] | None = None) -> int:
    """Add the tasks of every occurrence (of ``school_ids``, default all) not yet given its tasks.

    One ``INSERT … SELECT`` per role and 1,000 occurrences.

    On PostgreSQL the occurrences are claimed ``FOR UPDATE SKIP LOCKED``, so two
    workers never plan the same one; the unique (occurrence, person) keeps a
    repeat harmless anyway. Returns the tasks added. The caller commits.
    """
    s = uow.session
    pick = (select(ProgrammeOccurrence.id).where(ProgrammeOccurrence.tasks_planned_at.is_(None))
            .order_by(ProgrammeOccurrence.id).limit(1000))
    if school_ids is not None:
        pick = pick.where(ProgrammeOccurrence.school_id.in_(list(school_ids)))
    if uow.dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    added = 0
    while ids := list(s.scalars(pick)):
        before = s.scalar(select(func.count(ProgrammeTask.id))) or 0
        for query in _task_selects(ids):
            insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
            s.execute(insert(ProgrammeTask).from_select(
                ["occurrence_id", "person_id", "audience_count", "remind_at", "reminders", "status"], query,
            ).on_conflict_do_nothing(index_elements=["occurrence_id", "person_id"]))
        s.execute(update(ProgrammeOccurrence).where(ProgrammeOccurrence.id.in_(ids)).values(tasks_planned_at=now))
        added += int((s.scalar(select(func.count(ProgrammeTask.id))) or 0) - before)
    return added


def _task_selects(ids: list[int]) -> list[Any]:
    """The three ``SELECT``s (one per role) of ``(occurrence, person, count, remind_at, 0, 'open')``."""
    occ, item = ProgrammeOccurrence, ProgrammeItem
    mine = occ.id.in_(ids)
    subject = or_(occ.subject_person_id.is_(None), Child.id.in_(_children_of_subject()))
    class_teachers = select(PersonRole.person_id).where(PersonRole.role == "class_teacher")
    by_class = (
        select(occ.id, SchoolClass.class_teacher_id, func.count(func.distinct(Child.id)), occ.remind_at,
               literal(0), literal(TaskStatus.OPEN.value))
        .join(item, item.id == occ.item_id)
        .join(SchoolClass, SchoolClass.school_id == occ.school_id)
        .join(Child, and_(Child.class_id == SchoolClass.id, Child.active.is_(True)))
        .where(mine, item.role == "class_teacher", SchoolClass.class_teacher_id.in_(class_teachers), subject)
        .group_by(occ.id, SchoolClass.class_teacher_id, occ.remind_at)
    )
    helpers = select(PersonRole.person_id).where(PersonRole.role == "helper_teacher")
    by_pairing = (
        select(occ.id, ChildRelation.person_id, func.count(func.distinct(Child.id)), occ.remind_at,
               literal(0), literal(TaskStatus.OPEN.value))
        .join(item, item.id == occ.item_id)
        .join(Child, and_(Child.school_id == occ.school_id, Child.active.is_(True)))
        .join(ChildRelation, and_(ChildRelation.child_id == Child.id, ChildRelation.kind == "helper_teacher"))
        .where(mine, item.role == "helper_teacher", ChildRelation.person_id.in_(helpers), subject)
        .group_by(occ.id, ChildRelation.person_id, occ.remind_at)
    )
    admins = select(PersonRole.person_id).where(PersonRole.role.in_(("admin", "school_leader")))
    school_children = (select(func.count(Child.id)).where(Child.school_id == occ.school_id, Child.active.is_(True))
                       .correlate(occ).scalar_subquery())
    by_school = (
        select(occ.id, Person.id, school_children, occ.remind_at, literal(0), literal(TaskStatus.OPEN.value))
        .join(item, item.id == occ.item_id)
        .join(Person, Person.school_id == occ.school_id)
        .where(mine, item.role == "admin", Person.id.in_(admins))
    )
    return [by_class, by_pairing, by_school]


@dataclass(frozen=True)
class _Due:
    task_id: int
    person_id: int
    count: int
    reminders: int
    starts_on: date
    subject_id: int | None
    item: ProgrammeItem
    timezone: str
    calendar: dict[str, Any] | None


REMINDER = {  # (one child, several): a helper paired with one child read "1 children paired with you"
    "class_teacher": ("{title} starts {date}: {count} child in your class.",
                      "{title} starts {date}: {count} children in your class."),
    "helper_teacher": ("{title} starts {date}: {count} child paired with you.",
                       "{title} starts {date}: {count} children paired with you."),
    "admin": ("{title} starts {date}: {count} left-behind child in the school.",
              "{title} starts {date}: {count} left-behind children in the school."),
}
DONE, POSTPONE, SKIP = N_("Done"), N_("Postpone"), N_("Not this year")


def title_param(item: ProgrammeItem) -> dict[str, Any]:
    """The item's title as a prompt parameter: translated for seeded items, as written otherwise."""
    return msg(item.title) if item.title_is_id else text(item.title)


def reminder_prompt(task_id: int, item: ProgrammeItem, starts_on: date, count: int,
                    subject: str | None = None) -> Prompt:
    """The reminder with its three answers."""
    lines: list[tuple[str, dict[str, Any]]] = []
    if subject:
        lines.append((N_("For: {name}"), {"name": text(subject)}))
    if item.action:
        lines.append((N_("To do: {action}"), {"action": msg(item.action) if item.title_is_id else text(item.action)}))
    return Prompt(
        *plural(*REMINDER.get(item.role, REMINDER["admin"]), count,
                title=title_param(item), date=day(starts_on), count=count),
        choices=tuple(Choice(label, payloads.programme_answer(task_id, code))
                      for label, code in ((DONE, "d"), (POSTPONE, "p"), (SKIP, "n"))),
        lines=tuple(lines), kind=PromptKind.TASK,
    )


def remind_programme(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Send the reminders that are due (outbox, BULK); returns how many. The caller commits.

    A due reminder waits while the school is in its quiet hours, and on a
    weekend or official holiday unless the item (``on_holidays``) or the school
    (``remind_on_holidays``) allows it.
    """
    s = uow.session
    query = (
        select(ProgrammeTask.id, ProgrammeTask.person_id, ProgrammeTask.audience_count, ProgrammeTask.reminders,
               ProgrammeOccurrence.starts_on, ProgrammeOccurrence.subject_person_id, ProgrammeItem,
               School.timezone, School.calendar)
        .join(ProgrammeOccurrence, ProgrammeOccurrence.id == ProgrammeTask.occurrence_id)
        .join(ProgrammeItem, ProgrammeItem.id == ProgrammeOccurrence.item_id)
        .join(School, School.id == ProgrammeOccurrence.school_id)
        .where(ProgrammeTask.reminded_at.is_(None), ProgrammeTask.remind_at <= now,
               ProgrammeTask.status.in_((TaskStatus.OPEN.value, TaskStatus.POSTPONED.value)))
        .order_by(ProgrammeTask.remind_at).limit(2000)
    )
    if uow.dialect == "postgresql":
        query = query.with_for_update(of=ProgrammeTask, skip_locked=True)
    due = [_Due(*row) for row in s.execute(query).all()]
    names = dict(s.execute(select(Person.id, Person.name).where(
        Person.id.in_({d.subject_id for d in due if d.subject_id is not None}))).all()) if due else {}
    batch, sent = [], []
    for d in due:
        zone = d.timezone or settings.timezone
        if in_quiet_hours(now, zone, settings.quiet_start, settings.quiet_end):
            continue
        allowed = d.item.on_holidays or school_year.CalendarSettings.from_dict(d.calendar).remind_on_holidays
        if not allowed and not school_year.workdays().is_workday(local_date(now, zone)):
            continue
        prompt = reminder_prompt(d.task_id, d.item, d.starts_on, d.count, names.get(d.subject_id or 0))
        batch.append(Outgoing(key=f"prog:task:{d.task_id}:{d.reminders + 1}", person_id=d.person_id,
                              prompt=prompt, priority=Priority.BULK))
        sent.append(d.task_id)
    enqueue_many(s, batch, now=now)
    for i in range(0, len(sent), 500):
        s.execute(update(ProgrammeTask).where(ProgrammeTask.id.in_(sent[i : i + 500]))
                  .values(reminded_at=now, reminders=ProgrammeTask.reminders + 1))
    if sent:
        log.info("programme: %s reminders sent", len(sent))
    return len(sent)


class AnswerResult(StrEnum):
    """What became of an answer to a reminder."""

    RECORDED = "recorded"
    ALREADY = "already"  # answered before (done or not this year)
    NOT_YOURS = "not_yours"  # not this person's task, or no such task


def _task(uow: UnitOfWork, person_id: int, task_id: int) -> ProgrammeTask | None:
    task = uow.session.get(ProgrammeTask, task_id)
    return task if task is not None and task.person_id == person_id and task.status != "cancelled" else None


def answer_state(uow: UnitOfWork, *, person_id: int, task_id: int) -> AnswerResult | None:
    """None while the task is the person's and unanswered (open or postponed); else why it cannot be answered."""
    task = _task(uow, person_id, task_id)
    if task is None:
        return AnswerResult.NOT_YOURS
    if task.status in (TaskStatus.DONE.value, TaskStatus.SKIPPED.value):
        return AnswerResult.ALREADY
    return None


def answer(uow: UnitOfWork, *, person_id: int, task_id: int, done: bool, now: datetime) -> AnswerResult:
    """Done (``done``) or not this year; the count of a done task comes with :func:`record_count`."""
    task = _task(uow, person_id, task_id)
    if task is None:
        return AnswerResult.NOT_YOURS
    if task.status in (TaskStatus.DONE.value, TaskStatus.SKIPPED.value):
        return AnswerResult.ALREADY
    task.status = (TaskStatus.DONE if done else TaskStatus.SKIPPED).value
    task.answered_at = now
    uow.session.flush()
    return AnswerResult.RECORDED


def record_count(uow: UnitOfWork, *, person_id: int, task_id: int, count: int) -> bool:
    """Store how many took part in (or attended) a done task; False when it is not theirs or not done."""
    task = _task(uow, person_id, task_id)
    if task is None or task.status != TaskStatus.DONE.value or not 0 <= count <= 100_000:
        return False
    task.count = count
    uow.session.flush()
    return True


def postpone(uow: UnitOfWork, *, person_id: int, task_id: int, to: date, now: datetime) -> datetime | None:
    """Move a task to ``to`` (school time): reminded again that morning at the item's delivery time.

    A ``to`` on a weekend or holiday (where the item does not allow those) is
    reminded on the last working day before it, but never before tomorrow.

    Returns:
        When the new reminder goes out (UTC), or None when the task is not theirs, already
        answered, or ``to`` is not within tomorrow … :data:`MAX_POSTPONE_DAYS` days.
    """
    task = _task(uow, person_id, task_id)
    if task is None or task.status in (TaskStatus.DONE.value, TaskStatus.SKIPPED.value):
        return None
    occurrence = uow.session.get(ProgrammeOccurrence, task.occurrence_id)
    item = uow.session.get(ProgrammeItem, occurrence.item_id) if occurrence else None
    school = uow.session.get(School, item.school_id) if item else None
    if item is None or school is None:
        return None
    zone = school.timezone or "Asia/Shanghai"
    today = local_date(now, zone)
    if not today < to <= today + timedelta(days=MAX_POSTPONE_DAYS):
        return None
    remind_on = to
    if not item.on_holidays:
        while remind_on > today + timedelta(days=1) and not school_year.workdays().is_workday(remind_on):
            remind_on -= timedelta(days=1)
    at = datetime.combine(remind_on, time.fromisoformat(item.delivery_time), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    task.status, task.postponed_to, task.remind_at, task.reminded_at = TaskStatus.POSTPONED.value, to, at, None
    task.answered_at = now
    uow.session.flush()
    return at


@dataclass(frozen=True)
class ItemFigures:
    """Completion of one item over a span (for the reports).

    Attributes:
        code, title, title_is_id: the item.
        tasks: responsible people's tasks (occurrences × people).
        done, skipped, postponed, open: by status (``open``: no answer yet).
        counted: the sum of the participation / attendance counts given.
    """

    code: str
    title: str
    title_is_id: bool
    tasks: int
    done: int
    skipped: int
    postponed: int
    open: int
    counted: int


def report(uow: UnitOfWork, school_id: int, first: date, last: date) -> list[ItemFigures]:
    """Completion per item for the occurrences starting ``first … last`` (inclusive, school time)."""
    s = uow.session
    rows = s.execute(
        select(ProgrammeItem.code, ProgrammeItem.title, ProgrammeItem.title_is_id, ProgrammeTask.status,
               func.count(ProgrammeTask.id), func.coalesce(func.sum(ProgrammeTask.count), 0))
        .join(ProgrammeOccurrence, ProgrammeOccurrence.id == ProgrammeTask.occurrence_id)
        .join(ProgrammeItem, ProgrammeItem.id == ProgrammeOccurrence.item_id)
        .where(ProgrammeItem.school_id == school_id, ProgrammeOccurrence.starts_on.between(first, last))
        .group_by(ProgrammeItem.id, ProgrammeItem.code, ProgrammeItem.title, ProgrammeItem.title_is_id,
                  ProgrammeTask.status)
        .order_by(ProgrammeItem.id)
    ).all()
    figures: dict[str, dict[str, Any]] = {}
    for code, title, is_id, status, n, counted in rows:
        f = figures.setdefault(code, {"code": code, "title": title, "title_is_id": is_id, "tasks": 0, "done": 0,
                                      "skipped": 0, "postponed": 0, "open": 0, "counted": 0})
        f["tasks"] += n
        f["counted"] += int(counted or 0)
        if status in ("done", "skipped", "postponed", "open"):
            f[status] += n
    return [ItemFigures(**f) for f in figures.values()]
