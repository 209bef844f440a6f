"""The daily digest: one message a day per teacher with the talks due or overdue.

Issue 2: teachers get at most one digest a day. It is planned from
:data:`DIGEST_TIME` school time (07:30, our choice: before the first lesson,
after the quiet hours end at 07:00) until the quiet hours begin; a digest
not planned by then (scheduler down all day) is skipped, since tomorrow's
brings the same list up to date. Nothing is sent when nothing is due. A
school's digests are planned together in one transaction with a plan marker
(``digests:<school>:<date>``); once they exist for the day the school is
skipped, so later ticks cost a key lookup.

Issue 7, item 5: wording 80,000 digests of a city in Python (the talks due,
their lines, JSON and encryption per payload) was most of a city's planning
time. The planner decides who gets one in SQL (``duties.owing_now``) and
writes each a reference row ``{"ref": "digest"}`` with one ``INSERT …
SELECT``; the sender words it (:func:`prompt_of`) for the one recipient, as
``bot.services.checkin_questions`` words a check-in question.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import String, Table, literal, select
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.config import Settings
from bot.domain.enums import Priority
from bot.domain.periods import in_quiet_hours, local_date
from bot.messages.prompt import N_, Prompt, PromptKind
from bot.services import duties, family_digest, school_year, task_summary, tasks
from bot.services.due import DueTalk, due_lines, talks_due
from bot.services.outbox import Outgoing, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import OutboxMessage, Person, PlanMarker, School
from bot.store.signals import mark_outbox_written

log = logging.getLogger(__name__)

DIGEST_TIME = time(7, 30)
_SCHOOLS = 200  # schools per batch of queries: bounded parameter lists
_PEOPLE = 5_000  # recipients per INSERT … SELECT: bounded parameter lists
REF, KEY_PREFIX = "digest", "digest:"


def digest_key(person_id: int, day: str) -> str:
    """Idempotency key of a person's digest for a school-local date (``2026-11-30``)."""
    return f"{KEY_PREFIX}{person_id}:{day}"


def marker_key(school_id: int, day: str) -> str:
    """Plan marker of a school's digests of a school-local date: later ticks of the day skip the school."""
    return f"digests:{school_id}:{day}"


def plan_digests(uow: UnitOfWork, *, now: datetime, settings: Settings,
                 school_ids: Sequence[int] | None = None) -> int:
    """Enqueue today's digest for each teacher with something due (BULK).

    Set-based (issue 7, item 5): the schools whose digest time has come are
    planned :data:`_SCHOOLS` at a time with :func:`bot.services.due.due_by_school`
    (a few queries per batch, not per school) and one multi-row insert.

    Args:
        uow: the unit of work (the caller commits).
        now: UTC now.
        settings: quiet hours; default zone.
        school_ids: plan these schools only (``bot.services.planning`` gives each
            batch its own short transaction); default every school.

    Returns:
        The number of digests enqueued. The caller commits.
    """
    s = uow.session
    query = select(School.id, School.timezone).order_by(School.id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    awake: dict[int, str] = {}  # school → zone, where the digest hour has come
    for school_id, zone in s.execute(query).all():
        tz = zone or settings.timezone
        if now.astimezone(ZoneInfo(tz)).time() >= DIGEST_TIME and not in_quiet_hours(
            now, tz, settings.quiet_start, settings.quiet_end
        ):
            awake[school_id] = tz
    open_now: dict[int, tuple[str, str]] = {}  # school → (zone, local date) where the digest is due now
    memo: dict[tuple[Any, ...], bool] = {}  # schools with the same terms share the answer
    for school_id, (_config, terms) in school_year.calendars(uow, list(awake)).items():
        today = local_date(now, awake[school_id])
        if (terms, today) not in memo:
            memo[(terms, today)] = school_year.school_day_by(terms, today)
        if memo[(terms, today)]:  # issue 8: digests go out on school days only
            open_now[school_id] = (awake[school_id], today.isoformat())
    ids = list(open_now)
    planned = 0
    for i in range(0, len(ids), _SCHOOLS):
        planned += _plan_schools(uow, {sid: open_now[sid] for sid in ids[i : i + _SCHOOLS]}, now)
    if planned:
        log.info("planned %s digests", planned)
    return planned


def digest_prompt(talks: list[DueTalk], overdue: list[tasks.TaskView],
                  notes: list[tuple[str, dict[str, Any]]] | None = None,
                  school_overdue: tuple[str, dict[str, Any]] | None = None) -> Prompt:
    """One person's digest: the talks due, the tasks overdue, the families' check-in notes since the last one.

    Issue 9: overdue tasks appear in the digest, and an admin's ends with the school's overdue tasks by
    assignee (``school_overdue``, :mod:`bot.services.task_summary`); issue 6 item 4: a note written after a
    check-in reaches the child's helper teacher here. The title names the first section that has something.
    """
    notes = notes or []
    task_title = (N_("Overdue tasks ({count}) — send /tasks to close them or hand them on:"), {"count": len(overdue)})
    task_lines = tuple(tasks.task_line(v) for v in overdue)
    note_title = (N_("Notes from families after their check-in ({count}):"), {"count": len(notes)})
    sections: list[tuple[tuple[str, dict[str, Any]], tuple[Any, ...]]] = []
    if talks:
        sections.append(((N_("Today's list of talks due ({count}):"), {"count": sum(t.count for t in talks)}),
                         tuple(due_lines(talks))))
    if overdue:
        sections.append((task_title, task_lines))
    if notes:  # under other sections, the notes' heading goes without its count (the title has one)
        sections.append((note_title if not sections else (N_("Notes from families after their check-in:"), {}),
                         tuple(notes)))
    if school_overdue:
        sections.append((school_overdue, ((N_("Send /tasks to see them per colleague."), {}),)))
    (title, params), first = sections[0]
    lines: tuple[Any, ...] = first
    for heading, body in sections[1:]:
        lines += (heading, *body)
    return Prompt(title, params, lines=lines, kind=PromptKind.DIGEST)


def _plan_schools(uow: UnitOfWork, schools: dict[int, tuple[str, str]], now: datetime) -> int:
    """Today's digests of these schools, those without a marker for the day; returns how many were enqueued.

    Who gets one is decided here (a talk still to be held, an overdue task, a
    family's note, the admins of a school with overdue tasks); what it says is
    worded when it is sent (:func:`prompt_of`). The families' notes are taken
    over now (marked digested) and so travel in their readers' rows.
    """
    s = uow.session
    keys = {sid: marker_key(sid, day) for sid, (_tz, day) in schools.items()}
    marked = set(s.scalars(select(PlanMarker.key).where(PlanMarker.key.in_(list(keys.values())))))
    todo = {sid: tz for sid, (tz, _day) in schools.items() if keys[sid] not in marked}
    owing = duties.owing_now(uow, todo, now)
    # Overdue tasks (issue 9) and families' check-in notes (issue 6 item 4): one query each for the batch.
    overdue_in = tasks.overdue_by_school(uow, school_ids=sorted(todo), now=now)
    notes_in = family_digest.digest_notes_by_school(uow, school_ids=sorted(todo), now=now)
    school_lines = task_summary.digest_lines(uow, overdue_in)  # the admins' line of the school's overdue tasks
    with_notes: list[Outgoing] = []
    by_day: dict[str, list[int]] = {}  # school-local date → the people whose digest holds no note
    planned: list[int] = []  # schools that got at least one digest today
    for school_id in sorted(todo):
        day, notes = schools[school_id][1], notes_in.get(school_id, {})
        people = (owing.get(school_id, set()) | set(overdue_in.get(school_id, {})) | set(notes)
                  | set(school_lines.get(school_id, (None, ()))[1]))
        with_notes += [Outgoing(key=digest_key(p, day), person_id=p, priority=Priority.BULK,
                                prompt=reference(notes[p])) for p in sorted(people & set(notes))]
        by_day.setdefault(day, []).extend(sorted(people - set(notes)))
        if people:
            planned.append(school_id)
    enqueue_many(s, with_notes, now=now)  # keys make a re-run or a second worker harmless
    for day, readers in by_day.items():
        for i in range(0, len(readers), _PEOPLE):
            _enqueue_references(uow, readers[i : i + _PEOPLE], day, now)
    if planned:  # a school with nothing due is looked at again next tick, as before any digest of its day
        insert_fn = pg_insert if uow.dialect == "postgresql" else sqlite_insert
        s.execute(insert_fn(cast(Table, PlanMarker.__table__)).on_conflict_do_nothing(index_elements=["key"]),
                  [{"key": keys[sid], "created_at": now} for sid in planned])
    return len(with_notes) + sum(len(readers) for readers in by_day.values())


def _enqueue_references(uow: UnitOfWork, people: list[int], day: str, now: datetime) -> None:
    """The digest rows of ``people`` for ``day``: one ``INSERT … SELECT``, one shared (encrypted once) reference."""
    outbox = cast(Table, OutboxMessage.__table__)
    key = literal(f"{KEY_PREFIX}") + cast_(Person.id, String) + literal(f":{day}")
    rows = select(key, Person.id, literal(Priority.BULK.value, outbox.c.priority.type),
                  literal(reference(), outbox.c.payload.type), literal(now, outbox.c.created_at.type),
                  literal(now, outbox.c.not_before.type), literal(0, outbox.c.attempts.type),
                  literal(0, outbox.c.claims.type)).where(Person.id.in_(people)).order_by(Person.id)
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    mark_outbox_written(uow.session)
    uow.session.execute(insert(outbox).from_select(
        ["key", "person_id", "priority", "payload", "created_at", "not_before", "attempts", "claims"], rows,
    ).on_conflict_do_nothing(index_elements=["key"]))


def reference(notes: list[tuple[str, dict[str, Any]]] | None = None) -> dict[str, Any]:
    """A digest's outbox payload: worded when sent (:func:`prompt_of`), with the families' notes it took over."""
    return {"ref": REF} if not notes else {"ref": REF, "notes": [[m, p] for m, p in notes]}


def is_reference(payload: dict[str, Any] | None) -> bool:
    """Whether an outbox payload is a digest's reference."""
    return isinstance(payload, dict) and payload.get("ref") == REF


def prompt_of(uow: UnitOfWork, row: OutboxMessage, *, timezone: str) -> Prompt | None:
    """A digest row worded now, as it stood when it was planned (its ``created_at``) with today's data.

    The talks still to be held and the overdue tasks are read again for the
    one recipient (``bot.services.due``, ``bot.services.tasks``): a talk held
    or a task closed since the morning is no longer listed.

    Args:
        uow: the unit of work.
        row: the digest's outbox row (:func:`is_reference`).
        timezone: the zone of a school without one of its own.

    Returns:
        None when nothing is left to say (or the recipient is gone).
    """
    s = uow.session
    person = s.get(Person, row.person_id) if row.person_id is not None else None
    if person is None:
        return None
    school = s.get(School, person.school_id)
    tz = (school.timezone if school else None) or timezone
    at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    talks = [t for t in talks_due(uow, person_id=person.id, now=at, timezone=tz) if t.open]
    # As this reader may see them: never an incident's tasks they were left out of (break9).
    overdue_in = tasks.overdue_by_school(uow, school_ids=[person.school_id], now=at, reader=person.id)
    overdue = overdue_in.get(person.school_id, {}).get(person.id, [])
    line, admins = task_summary.digest_lines(uow, overdue_in).get(person.school_id, (None, ()))
    line = line if person.id in admins else None
    notes = [(m, p) for m, p in (row.payload or {}).get("notes") or ()]
    if not (talks or overdue or notes or line):
        return None
    return digest_prompt(talks, overdue, notes, line)
