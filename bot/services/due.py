"""What is due: talks per teacher this period.

School plans: every active left-behind child needs a talk with the class
teacher each calendar month and a talk with each of its volunteers (helper
teacher or caring parent, 帮扶教师 / 爱心家长) each ISO week, each with a
record card. Periods are counted in the school's zone. Who owes what, and
which talk meets it, are the rules of ``bot.domain.talk_duties``: each
person's duty is their own, and nothing is owed before the school started
using the bot or in a vacation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import exists, select

from bot.domain.classes import class_sort_key
from bot.domain.enums import RelationKind, Role, TalkKind
from bot.domain.periods import (
    month_bounds,
    month_period,
    period_days,
    previous_month_period,
    previous_week_period,
    week_bounds,
    week_period,
)
from bot.domain.talk_duties import DutyKey, duty_key
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


def _talked(uow: UnitOfWork, kind: TalkKind, child_ids: list[int], periods: tuple[str, ...]) -> set[DutyKey]:
    """The duties met by the talks of ``kind`` with these children in these periods (``talk_duties.duty_key``)."""
    found: set[DutyKey] = set()
    for i in range(0, len(child_ids), 500):  # keep IN lists well under driver parameter limits
        chunk = child_ids[i : i + 500]
        found.update(duty_key(*row) for row in uow.session.execute(
            select(TalkRecord.child_id, TalkRecord.author_id, TalkRecord.kind, TalkRecord.period)
            .where(TalkRecord.kind == kind.value, TalkRecord.child_id.in_(chunk), TalkRecord.period.in_(periods))
            .distinct()
        ).all())
    return found


def _due(uow: UnitOfWork, person_id: int, children: list[Any], kind: TalkKind, period: str, previous: str,
         due_by: datetime) -> list[DueTalk]:
    talked = _talked(uow, kind, [c.id for c in children], (period, previous))
    return [
        DueTalk(c.id, c.name, c.class_name, kind.value, period, due_by,
                duty_key(c.id, person_id, kind, previous) not in talked)
        for c in children
        if duty_key(c.id, person_id, kind, period) not in talked
    ]


def talks_due(uow: UnitOfWork, *, person_id: int, now: datetime, timezone: str) -> list[DueTalk]:
    """Talks the person still owes in the current period (monthly for class teachers, weekly for volunteers).

    As class teacher: each active child of their classes without a
    ``CLASS_TEACHER_MONTHLY`` record of theirs this month. As a paired helper
    teacher or caring parent: each active paired child without a
    ``VOLUNTEER_WEEKLY`` record of theirs this week — another volunteer's talk
    with the child meets only that volunteer's duty
    (``bot.domain.talk_duties``, rule 1). ``overdue`` means the previous
    period has none of theirs either. Nothing is due before the school started
    using the bot or in a vacation (``school_year.paused_by``).

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
    due = _due(uow, person_id, list(class_children), TalkKind.CLASS_TEACHER_MONTHLY, month,
               previous_month_period(month), month_bounds(month, timezone)[1])
    due += _due(uow, person_id, list(paired_children), TalkKind.VOLUNTEER_WEEKLY, week, previous_week_period(week),
                week_bounds(week, timezone)[1])
    config, terms = school_year.calendars(uow, [person.school_id])[person.school_id]
    off = _paused(config, terms, school_year.started_on(uow, person.school_id), {})
    return sorted(_in_term(due, off, _consent_rule(uow, due, timezone)), key=_order)


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
    talked = {duty_key(*row) for row in s.execute(
        select(TalkRecord.child_id, TalkRecord.author_id, TalkRecord.kind, TalkRecord.period)
        .join(Child, Child.id == TalkRecord.child_id)
        .where(Child.school_id.in_(ids), TalkRecord.period.in_(sorted(wanted)))
        .distinct()
    ).all()}
    monthly, weekly = TalkKind.CLASS_TEACHER_MONTHLY.value, TalkKind.VOLUNTEER_WEEKLY.value
    result: dict[int, dict[int, list[DueTalk]]] = {}
    for rows, kind in ((class_rows, monthly), (volunteer_rows, weekly)):
        for school_id, child_id, name, class_name, person_id in rows:
            p = periods[school_id]
            period, previous, end = (p.month, p.prev_month, p.month_end) if kind == monthly else (
                p.week, p.prev_week, p.week_end)
            if person_id is not None and duty_key(child_id, person_id, kind, period) not in talked:
                late = duty_key(child_id, person_id, kind, previous) not in talked
                result.setdefault(school_id, {}).setdefault(person_id, []).append(
                    DueTalk(child_id, name, class_name, kind, period, end, late))
    out: dict[int, dict[int, list[DueTalk]]] = {}
    calendars = school_year.calendars(uow, list(result))
    started = school_year.started_on_many(uow, list(result))
    # Consents by school, one query for the batch: a list of a city's children would not fit in a statement.
    consented = consent.granted_at_in_schools(uow, list(result))
    memo: dict[tuple[Any, ...], bool] = {}
    for school_id, by_person in result.items():
        off = _paused(*calendars[school_id], started[school_id], memo)
        before = _before_consent(consented, schools[school_id])
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
             before_consent: Callable[[DueTalk], bool]) -> list[DueTalk]:
    """Leave out the talks not due (``off(kind, period)``: :func:`bot.services.school_year.paused_by`).

    A period before the school started using the bot or in a vacation owes
    nothing (issues 8 and 9), so a talk whose previous period was such is not
    "overdue" for it; nor is one whose previous period began before the child's
    guardian agreed (``before_consent``, :func:`_consent_rule`).
    """
    known: dict[tuple[str, str], tuple[bool, bool]] = {}  # (kind, period) → (off, previous period off)

    def offs(d: DueTalk) -> tuple[bool, bool]:
        key = (d.kind, d.period)
        if key not in known:  # a school's talks share a few periods: ask the calendar once per period
            monthly = d.kind == TalkKind.CLASS_TEACHER_MONTHLY.value
            previous = previous_month_period(d.period) if monthly else previous_week_period(d.period)
            known[key] = (off(d.kind, d.period), off(d.kind, previous))
        return known[key]

    kept = []
    for d in due:
        now_off, previous_off = offs(d)
        if not now_off:
            kept.append(replace(d, overdue=False) if d.overdue and (previous_off or before_consent(d)) else d)
    return kept


def _consent_rule(uow: UnitOfWork, due: list[DueTalk], timezone: str) -> Callable[[DueTalk], bool]:
    """Whether a talk's previous period began before the child's guardian agreed: nothing was missed then.

    No talk can be recorded without consent (``bot.services.consent``). One
    query, only for the overdue children.
    """
    return _before_consent(consent.granted_at(uow, sorted({d.child_id for d in due if d.overdue})), timezone)


def _before_consent(consented: Mapping[int, datetime], timezone: str) -> Callable[[DueTalk], bool]:
    """:func:`_consent_rule` with the consents given (child id → when granted)."""
    begins: dict[tuple[str, str], datetime] = {}

    def before_consent(d: DueTalk) -> bool:
        at = consented.get(d.child_id)
        if at is None:  # a school from before consent rows were kept
            return False
        key = (d.kind, d.period)
        if key not in begins:
            begins[key] = (month_bounds if d.kind == TalkKind.CLASS_TEACHER_MONTHLY.value else week_bounds)(
                d.period, timezone)[0]
        return at >= begins[key]

    return before_consent


def _paused(config: Any, terms: Any, started: date | None,
            memo: dict[tuple[Any, ...], bool]) -> Callable[[str, str], bool]:
    """A school's ``off(kind, period)``; ``memo`` is shared by schools with the same settings and terms.

    The start matters only to the period it falls in (or after): schools that
    started before share the answer, so a city's digest asks the calendar once
    per period, not once per school.
    """

    def off(kind: str, period: str) -> bool:
        cut = started if started is not None and started > period_days(period)[0] else None
        key = (config, terms, cut, kind, period)
        if key not in memo:
            memo[key] = school_year.paused_by(config, terms, kind, period, cut)
        return memo[key]

    return off


def _holds(person: Any, roles: tuple[str, ...]) -> Any:
    """``person`` (a column of the outer query) holds any of ``roles``: a correlated ``EXISTS``."""
    return exists().where(PersonRole.person_id == person, PersonRole.role.in_([str(r) for r in roles]))


_class_key = lru_cache(maxsize=65536)(class_sort_key)  # a city's digests sort 500,000 talks by a few class names


def _order(d: DueTalk) -> tuple[object, ...]:
    return (not d.overdue, _class_key(d.class_name), d.child_name, d.kind)


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
    shown: dict[datetime, dict[str, str]] = {}  # a list's talks share one or two deadlines: each formatted once
    for d in due:
        if d.due_by not in shown:
            shown[d.due_by] = dt(d.due_by - _LAST_MINUTE)
    return tuple(
        (_LINE[(d.kind, d.overdue)],
         {"child": text(d.child_name), "class_name": text(d.class_name or "—"), "due_by": shown[d.due_by]})
        for d in due
    )
