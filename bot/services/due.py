"""What is due: talks per teacher this period.

School plans: every active left-behind child needs a talk with the class
teacher each calendar month and a talk with a volunteer (helper teacher or
caring parent, 帮扶教师 / 爱心家长) each ISO week, each with a record card.
Periods are counted in the school's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select

from bot.domain.classes import class_sort_key
from bot.domain.enums import RelationKind, Role, TalkKind
from bot.domain.periods import (
    month_bounds,
    month_period,
    previous_month_period,
    previous_week_period,
    week_bounds,
    week_period,
)
from bot.messages.prompt import N_, dt, text
from bot.services import access, consent, school_year
from bot.services.access import Purpose
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    ChildRelation,
    Person,
    PersonRole,
    School,
    SchoolClass,
    TalkRecord,
)

_VOLUNTEER_KINDS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)


@dataclass(frozen=True)
class DueTalk:
    """A talk the person owes.

    Attributes:
        child_id, child_name, class_name: the child.
        kind: ``TalkKind`` value (monthly class-teacher or weekly volunteer talk).
        period: ``"2026-11"`` (month) or ``"2026-W48"`` (ISO week), school time.
        due_by: UTC end of the period.
        overdue: the previous period's talk is missing too.
    """

    child_id: int
    child_name: str
    class_name: str | None
    kind: str
    period: str
    due_by: datetime
    overdue: bool


def _talked(uow: UnitOfWork, kind: TalkKind, child_ids: list[int], periods: tuple[str, ...]) -> set[tuple[int, str]]:
    if not child_ids:
        return set()
    found: set[tuple[int, str]] = set()
    for i in range(0, len(child_ids), 500):  # keep IN lists well under driver parameter limits
        chunk = child_ids[i : i + 500]
        found.update(
            uow.session.execute(
                select(TalkRecord.child_id, TalkRecord.period)
                .where(TalkRecord.kind == kind.value, TalkRecord.child_id.in_(chunk), TalkRecord.period.in_(periods))
                .distinct()
            ).all()
        )
    return found


def _due(uow: UnitOfWork, children: list[Any], kind: TalkKind, period: str, previous: str,
         due_by: datetime) -> list[DueTalk]:
    talked = _talked(uow, kind, [c.id for c in children], (period, previous))
    return [
        DueTalk(c.id, c.name, c.class_name, kind.value, period, due_by, (c.id, previous) not in talked)
        for c in children
        if (c.id, period) not in talked
    ]


def talks_due(uow: UnitOfWork, *, person_id: int, now: datetime, timezone: str) -> list[DueTalk]:
    """Talks the person still owes in the current period (monthly for class teachers, weekly for volunteers).

    As class teacher: each active child of their classes without a
    ``CLASS_TEACHER_MONTHLY`` record this month. As a paired helper teacher or
    caring parent: each active paired child without a ``VOLUNTEER_WEEKLY``
    record this week (by any of the child's volunteers: the child needs one
    volunteer talk a week). ``overdue`` means the previous period has none either.

    Only children the person may log a talk for count: the scope of
    :func:`bot.services.access.scope_filter` for ``Purpose.TALK`` (role and
    link together, deny by default), so ``/due``, ``/me`` and ``/talk`` agree
    — a helper teacher whose role was removed owes nothing, even while the
    roster still pairs them with children. Monthly talks also need the class
    teacher role.

    Args:
        uow: the unit of work.
        person_id: the teacher or volunteer.
        now: UTC now.
        timezone: the school's IANA zone; periods are local.

    Returns:
        Overdue first, then by class and child name.
    """
    s = uow.session
    person = s.get(Person, person_id)
    if person is None:
        return []
    actor = Actor(person_id=person.id, name=person.name, school_id=person.school_id, roles=person.role_set,
                  locale="", timezone=timezone)
    scope = access.scope_filter(actor, Purpose.TALK)
    month = month_period(now, timezone)
    week = week_period(now, timezone)
    class_children = s.execute(
        select(Child.id, Child.name, SchoolClass.name.label("class_name"))
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(SchoolClass.class_teacher_id == person_id, Child.active.is_(True), scope, consent.granted_filter())
    ).all() if Role.CLASS_TEACHER in actor.roles else []
    paired_children = s.execute(
        select(Child.id, Child.name, SchoolClass.name.label("class_name"))
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(
            Child.active.is_(True),
            scope,
            consent.granted_filter(),  # no talk record without the guardian's consent (bot.services.consent)
            Child.id.in_(
                select(ChildRelation.child_id).where(
                    ChildRelation.person_id == person_id, ChildRelation.kind.in_(_VOLUNTEER_KINDS)
                )
            ),
        )
    ).all()
    due = _due(uow, list(class_children), TalkKind.CLASS_TEACHER_MONTHLY, month, previous_month_period(month),
               month_bounds(month, timezone)[1])
    due += _due(uow, list(paired_children), TalkKind.VOLUNTEER_WEEKLY, week, previous_week_period(week),
                week_bounds(week, timezone)[1])
    config, terms = school_year.calendars(uow, [person.school_id])[person.school_id]
    return sorted(_in_term(due, _paused(config, terms, {}), _start_rule(uow, person.school_id, due)), key=_order)


def due_by_person(uow: UnitOfWork, *, school_id: int, now: datetime, timezone: str) -> dict[int, list[DueTalk]]:
    """:func:`talks_due` for every teacher and volunteer of a school at once (:func:`due_by_school`).

    Used by the school's ``/due``. People with nothing due are absent. The
    same role rules apply: monthly talks need the class teacher role, weekly
    ones a paired role (``access.PAIRED_ROLES``), as in :func:`talks_due`.

    Args:
        uow: the unit of work.
        school_id: the school.
        now: UTC now.
        timezone: the school's IANA zone.

    Returns:
        person id → their due talks, sorted as in :func:`talks_due`.
    """
    return due_by_school(uow, schools={school_id: timezone}, now=now).get(school_id, {})


def due_by_school(uow: UnitOfWork, *, schools: Mapping[int, str], now: datetime) -> dict[int, dict[int, list[DueTalk]]]:
    """:func:`due_by_person` for many schools in three set-based queries (the daily digest of a city).

    The roles are checked with a correlated ``EXISTS`` per row (an index
    lookup), not an uncorrelated ``IN (SELECT … person_roles)``, which SQLite
    re-reads for every school: that made a city's digest quadratic (issue 7).

    Args:
        uow: the unit of work.
        schools: school id → its IANA zone; periods are each school's own.
        now: UTC now.

    Returns:
        school id → person id → their due talks (schools and people with nothing due are absent).
    """
    if not schools:
        return {}
    s = uow.session
    ids = list(schools)
    periods = {sid: _Periods.at(now, tz) for sid, tz in schools.items()}
    class_rows = s.execute(
        select(Child.school_id, Child.id, Child.name, SchoolClass.name, SchoolClass.class_teacher_id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id.in_(ids), Child.active.is_(True), SchoolClass.class_teacher_id.is_not(None),
               consent.granted_filter(), _holds(SchoolClass.class_teacher_id, (Role.CLASS_TEACHER,)))
    ).all()
    volunteer_rows = s.execute(
        select(Child.school_id, Child.id, Child.name, SchoolClass.name, ChildRelation.person_id)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id.in_(ids), Child.active.is_(True), ChildRelation.kind.in_(_VOLUNTEER_KINDS),
               ChildRelation.person_id.is_not(None), consent.granted_filter(),
               _holds(ChildRelation.person_id, tuple(access.PAIRED_ROLES)))
        .distinct()
    ).all()
    wanted = {p for ps in periods.values() for p in (ps.month, ps.prev_month, ps.week, ps.prev_week)}
    talked = set(
        s.execute(
            select(TalkRecord.child_id, TalkRecord.kind, TalkRecord.period)
            .join(Child, Child.id == TalkRecord.child_id)
            .where(Child.school_id.in_(ids), TalkRecord.period.in_(sorted(wanted)))
            .distinct()
        ).all()
    )
    monthly, weekly = TalkKind.CLASS_TEACHER_MONTHLY.value, TalkKind.VOLUNTEER_WEEKLY.value
    result: dict[int, dict[int, list[DueTalk]]] = {}
    for school_id, child_id, name, class_name, person_id in class_rows:
        p = periods[school_id]
        if person_id is not None and (child_id, monthly, p.month) not in talked:
            late = (child_id, monthly, p.prev_month) not in talked
            result.setdefault(school_id, {}).setdefault(person_id, []).append(
                DueTalk(child_id, name, class_name, monthly, p.month, p.month_end, late))
    for school_id, child_id, name, class_name, person_id in volunteer_rows:
        p = periods[school_id]
        if person_id is not None and (child_id, weekly, p.week) not in talked:
            late = (child_id, weekly, p.prev_week) not in talked
            result.setdefault(school_id, {}).setdefault(person_id, []).append(
                DueTalk(child_id, name, class_name, weekly, p.week, p.week_end, late))
    out: dict[int, dict[int, list[DueTalk]]] = {}
    calendars = school_year.calendars(uow, list(result))
    memo: dict[tuple[Any, ...], bool] = {}
    for school_id, by_person in result.items():
        off = _paused(*calendars[school_id], memo)
        before = _start_rule(uow, school_id, [d for talks in by_person.values() for d in talks])
        in_term = {person: sorted(_in_term(d, off, before), key=_order) for person, d in by_person.items()}
        if found := {person: d for person, d in in_term.items() if d}:
            out[school_id] = found
    return out


@dataclass(frozen=True)
class _Periods:
    """A school's current and previous month and ISO week, and when the current ones end (UTC)."""

    month: str
    prev_month: str
    week: str
    prev_week: str
    month_end: datetime
    week_end: datetime

    @classmethod
    def at(cls, now: datetime, timezone: str) -> _Periods:
        month, week = month_period(now, timezone), week_period(now, timezone)
        return cls(month, previous_month_period(month), week, previous_week_period(week),
                   month_bounds(month, timezone)[1], week_bounds(week, timezone)[1])


def _in_term(due: list[DueTalk], off: Callable[[str, str], bool],
             before_start: Callable[[DueTalk], bool]) -> list[DueTalk]:
    """Leave out the talks of a vacation (issue 8: not due then; ``off(kind, period)``: ``school_year.talks_paused``).

    A talk whose previous period was a vacation, or ended before the school
    could record it (``before_start``, :func:`_start_rule`), is not "overdue" for it.
    """

    def previous(d: DueTalk) -> str:
        monthly = d.kind == TalkKind.CLASS_TEACHER_MONTHLY.value
        return previous_month_period(d.period) if monthly else previous_week_period(d.period)

    return [replace(d, overdue=False) if d.overdue and (off(d.kind, previous(d)) or before_start(d)) else d
            for d in due if not off(d.kind, d.period)]


def _start_rule(uow: UnitOfWork, school_id: int, due: list[DueTalk]) -> Callable[[DueTalk], bool]:
    """Whether a talk's previous period ended before it could be recorded: nothing was missed then (issue 9).

    A talk can be recorded once the school uses the bot (its first import,
    ``School.started_at``) and the child's guardian has agreed; a previous
    period that ended before the later of the two was not missed. Two queries
    per school, only for the overdue children.
    """
    school = uow.session.get(School, school_id)
    started = school.started_at if school is not None else None
    consented = consent.granted_at(uow, sorted({d.child_id for d in due if d.overdue}))

    def before_start(d: DueTalk) -> bool:
        known = [t for t in (started, consented.get(d.child_id)) if t is not None]
        if not known or school is None:  # a school from before started_at was recorded, without consent rows
            return False
        begins = (month_bounds if d.kind == TalkKind.CLASS_TEACHER_MONTHLY.value else week_bounds)(
            d.period, school.timezone)[0]
        return max(known) >= begins

    return before_start


def _paused(config: Any, terms: Any, memo: dict[tuple[Any, ...], bool]) -> Callable[[str, str], bool]:
    """A school's ``off(kind, period)``; ``memo`` is shared by schools with the same settings and terms."""

    def off(kind: str, period: str) -> bool:
        key = (config, terms, kind, period)
        if key not in memo:
            memo[key] = school_year.paused_by(config, terms, kind, period)
        return memo[key]

    return off


def _holds(person: Any, roles: tuple[str, ...]) -> Any:
    """``person`` (a column of the outer query) holds any of ``roles``: a correlated ``EXISTS``."""
    return exists().where(PersonRole.person_id == person, PersonRole.role.in_([str(r) for r in roles]))


def _order(d: DueTalk) -> tuple[object, ...]:
    return (not d.overdue, class_sort_key(d.class_name), d.child_name, d.kind)


_LINE = {
    (TalkKind.CLASS_TEACHER_MONTHLY.value, False): N_("• {child} ({class_name}): monthly talk, by {due_by}"),
    (TalkKind.CLASS_TEACHER_MONTHLY.value, True): N_(
        "• {child} ({class_name}): monthly talk by {due_by} (none recorded last month either)"
    ),
    (TalkKind.VOLUNTEER_WEEKLY.value, False): N_("• {child} ({class_name}): weekly talk, by {due_by}"),
    (TalkKind.VOLUNTEER_WEEKLY.value, True): N_(
        "• {child} ({class_name}): weekly talk by {due_by} (none recorded last week either)"
    ),
}


# Periods end at midnight; a teacher reads "by 6 Dec 23:59" more easily than "by 7 Dec 00:00".
_LAST_MINUTE = timedelta(minutes=1)


def due_lines(due: list[DueTalk]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines`` for a due list (one line per talk), for the digest and ``/due``."""
    return tuple(
        (_LINE[(d.kind, d.overdue)],
         {"child": text(d.child_name), "class_name": text(d.class_name or "—"), "due_by": dt(d.due_by - _LAST_MINUTE)})
        for d in due
    )
