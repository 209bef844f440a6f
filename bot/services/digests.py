"""The daily digest: one message a day per teacher with the talks due or overdue.

Issue 2: teachers get at most one digest a day. It is planned from
:data:`DIGEST_TIME` school time (07:30, our choice: before the first lesson,
after the quiet hours end at 07:00) until the quiet hours begin; a digest
not planned by then (scheduler down all day) is skipped, since tomorrow's
brings the same list up to date. Nothing is sent when nothing is due. A
school's digests are planned together in one transaction; once any of them
exists for the day the school is skipped, so later ticks cost a key lookup.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority, RelationKind
from bot.domain.periods import in_quiet_hours, local_date
from bot.messages.prompt import N_, Prompt, PromptKind
from bot.services import family_messages, school_year, tasks
from bot.services.due import DueTalk, due_by_person, due_lines
from bot.services.outbox import Outgoing, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, OutboxMessage, School, SchoolClass

log = logging.getLogger(__name__)

DIGEST_TIME = time(7, 30)
_VOLUNTEER_KINDS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)


def digest_key(person_id: int, day: str) -> str:
    """Idempotency key of a person's digest for a school-local date (``2026-11-30``)."""
    return f"digest:{person_id}:{day}"


def _planned_today(uow: UnitOfWork, school_id: int, today: str) -> bool:
    """Whether this school's digests of ``today`` were planned (they are planned in one transaction).

    Saves recomputing the whole school's due list on every tick of the day:
    two small queries and a unique-index lookup instead.
    """
    s = uow.session
    people = set(
        s.scalars(select(SchoolClass.class_teacher_id).where(SchoolClass.school_id == school_id,
                                                             SchoolClass.class_teacher_id.is_not(None)))
    )
    people.update(
        s.scalars(
            select(ChildRelation.person_id).join(Child, Child.id == ChildRelation.child_id)
            .where(Child.school_id == school_id, ChildRelation.kind.in_(_VOLUNTEER_KINDS),
                   ChildRelation.person_id.is_not(None))
            .distinct()
        )
    )
    keys = sorted(digest_key(p, today) for p in people if p is not None)
    return any(
        s.scalar(select(OutboxMessage.id).where(OutboxMessage.key.in_(keys[i : i + 500])).limit(1)) is not None
        for i in range(0, len(keys), 500)
    )


def plan_digests(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Enqueue today's digest for each teacher with something due (BULK).

    Args:
        uow: the unit of work (the caller commits).
        now: UTC now.
        settings: quiet hours; default zone.

    Returns:
        The number of digests enqueued. The caller commits.
    """
    s = uow.session
    planned = 0
    for school in s.scalars(select(School)).all():
        tz = school.timezone or settings.timezone
        if now.astimezone(ZoneInfo(tz)).time() < DIGEST_TIME or in_quiet_hours(
            now, tz, settings.quiet_start, settings.quiet_end
        ):
            continue
        today = local_date(now, tz).isoformat()
        if not school_year.is_school_day(uow, school.id, local_date(now, tz)):
            continue  # issue 8: digests go out on school days only
        if _planned_today(uow, school.id, today):
            continue
        due = due_by_person(uow, school_id=school.id, now=now, timezone=tz)
        overdue = tasks.overdue_by_person(uow, school_id=school.id, now=now)
        notes = family_messages.digest_notes(uow, school_id=school.id, now=now)
        batch = [
            Outgoing(key=digest_key(person_id, today), person_id=person_id, priority=Priority.BULK,
                     prompt=digest_prompt(due.get(person_id, []), overdue.get(person_id, []),
                                          notes.get(person_id, [])))
            for person_id in sorted(set(due) | set(overdue) | set(notes))
        ]
        enqueue_many(s, batch, now=now)  # keys make a re-run or a second worker harmless
        planned += len(batch)
    if planned:
        log.info("planned %s digests", planned)
    return planned


def digest_prompt(talks: list[DueTalk], overdue: list[tasks.TaskView],
                  notes: list[tuple[str, dict[str, Any]]] | None = None) -> Prompt:
    """One person's digest: the talks due, the tasks overdue, then the families' check-in notes since the last one.

    Issue 9: overdue tasks appear in the digest; issue 6 item 4: a note written after a check-in reaches the
    child's helper teacher here. The title names the first section that has something.
    """
    notes = notes or []
    task_title = (N_("Overdue tasks ({count}) — send /tasks to close them or hand them on:"), {"count": len(overdue)})
    task_lines = tuple(tasks.task_line(v) for v in overdue)
    note_title = (N_("Notes from families after their check-in ({count}):"), {"count": len(notes)})
    sections: list[tuple[tuple[str, dict[str, Any]], tuple[Any, ...]]] = []
    if talks:
        sections.append(((N_("Today's list of talks due ({count}):"), {"count": len(talks)}), tuple(due_lines(talks))))
    if overdue:
        sections.append((task_title, task_lines))
    if notes:
        sections.append((note_title, tuple(notes)))
    (title, params), first = sections[0]
    lines: tuple[Any, ...] = first
    for heading, body in sections[1:]:
        lines += (heading, *body)
    return Prompt(title, params, lines=lines, kind=PromptKind.DIGEST)
