"""What is due: talks per teacher this period.

School plans: every active left-behind child needs a talk with the class
teacher each calendar month and a talk with each of its volunteers (helper
teacher or caring parent, 帮扶教师 / 爱心家长) each ISO week, each with a
record card. Periods are counted in the school's zone. Who owes what, and
which talk meets it, are the rules of ``bot.domain.talk_duties``: each
person's duty is their own, and nothing is owed before the school started
using the bot (nor in the month or week it started with fewer than 7 days
left) or in a vacation. A person's ``/due``, the school's and the digest are
one computation (:func:`_due_at`, over ``bot.services.duties``, which
``/report`` uses too), so the school's totals are everyone's own added up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import or_, select

from bot.domain.classes import class_sort_key
from bot.domain.enums import TalkKind
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
from bot.messages.prompt import N_, day, dt, month, text
from bot.services import duties
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Person, TalkRecord


@dataclass(frozen=True)
class DueTalk:
    """A talk the person owes.

    Attributes:
        child_id, child_name, class_name: the child.
        kind: ``TalkKind`` value (monthly class-teacher or weekly volunteer talk).
        period: ``"2026-11"`` (month) or ``"2026-W48"`` (ISO week), school time.
        due_by: UTC end of the period.
        overdue: an earlier period's talk is missing too (``missed`` is not empty).
        missed: the earlier periods owed and not met, oldest first: each missed week (or month) is one
            overdue talk, as ``/report`` counts it (issue 9), back to the first day of the previous month.
        open: the current period's talk is still to be held (False: held, but earlier ones were missed).
    """

    child_id: int
    child_name: str
    class_name: str | None
    kind: str
    period: str
    due_by: datetime
    overdue: bool
    missed: tuple[str, ...] = ()
    open: bool = True

    @property
    def count(self) -> int:
        """The talks this line stands for: the current one if still open, and each missed period."""
        return int(self.open) + len(self.missed)


def talks_due(uow: UnitOfWork, *, person_id: int, now: datetime, timezone: str) -> list[DueTalk]:
    """Talks the person still owes in the current period (monthly for class teachers, weekly for volunteers).

    The person's share of :func:`due_by_school`, computed by it (issue 9: a
    principal's overdue total must be the sum of everyone's own): as class
    teacher, each active child of their classes without a
    ``CLASS_TEACHER_MONTHLY`` record of theirs this month; as a paired helper
    teacher or caring parent, each active paired child without a
    ``VOLUNTEER_WEEKLY`` record of theirs this week — another volunteer's talk
    with the child meets only that volunteer's duty (``bot.domain.talk_duties``,
    rule 1). ``missed`` lists the earlier periods, owed too, with none of theirs
    (each one overdue talk, back to the previous month's first day: what
    ``/report`` counts as missed); a child whose talk this period was held but
    who has missed ones stays on the list with ``open`` False. Who owes what,
    and when nothing is owed (before the school started, in a vacation, before
    the guardian agreed), is ``bot.services.duties``: the
    children the person may log a talk for (``access.scope_filter`` for
    ``Purpose.TALK``), so ``/due``, ``/me`` and ``/talk`` agree — a helper
    teacher whose role was removed owes nothing, even while the roster still
    pairs them with children.

    Args:
        uow: the unit of work.
        person_id: the teacher or volunteer.
        now: UTC now.
        timezone: the school's IANA zone; periods are local.

    Returns:
        Overdue first, then by class and child name.
    """
    person = uow.session.get(Person, person_id)
    if person is None:
        return []
    found = _due_at(uow, {person.school_id: timezone}, now, person_id=person_id)
    return found.get(person.school_id, {}).get(person_id, [])


def due_by_person(uow: UnitOfWork, *, school_id: int, now: datetime, timezone: str) -> dict[int, list[DueTalk]]:
    """:func:`talks_due` for every teacher and volunteer of a school at once (the school's ``/due``).

    People with nothing due are absent.

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
    """:func:`due_by_person` for many schools in a few set-based queries (the daily digest of a city).

    Args:
        uow: the unit of work.
        schools: school id → its IANA zone; periods are each school's own.
        now: UTC now.

    Returns:
        school id → person id → their due talks (schools and people with nothing due are absent).
    """
    return _due_at(uow, schools, now)


def _due_at(uow: UnitOfWork, schools: Mapping[int, str], now: datetime, *,
            person_id: int | None = None) -> dict[int, dict[int, list[DueTalk]]]:
    """The one computation of what is due (``bot.services.duties``), for schools or one person of a school."""
    if not schools:
        return {}
    periods = {sid: _Periods.at(now, tz) for sid, tz in schools.items()}
    talked = _talked(uow, list(schools), sorted({p for ps in periods.values() for p in ps.all()}), person_id)
    open_duties: list[tuple[duties.Holder, str, tuple[str, ...], datetime, bool, tuple[str, ...]]] = []
    for h in duties.holders(uow, schools, person_id=person_id):
        p = periods[h.school_id]
        period, earlier, end = (p.month, p.past_months, p.month_end) if h.kind == duties.MONTHLY else (
            p.week, p.past_weeks, p.week_end)
        is_open = duty_key(h.child_id, h.person_id, h.kind, period) not in talked
        unmet = tuple(e for e in earlier if duty_key(h.child_id, h.person_id, h.kind, e) not in talked)
        if is_open or unmet:
            open_duties.append((h, period, earlier, end, is_open, unmet))
    # The guardian's consent decides only whether an earlier period was owed (the current one is: the consent
    # in force was given before now), so it is read for the children with one of those missed.
    owed = duties.Owed(uow, schools, {h.child_id for h, *_rest, unmet in open_duties if unmet})
    result: dict[int, dict[int, list[DueTalk]]] = {}
    for h, period, _earlier, end, is_open, unmet in open_duties:
        if not owed.owed(h, period):
            continue
        missed = tuple(e for e in unmet if owed.owed(h, e))
        if is_open or missed:
            result.setdefault(h.school_id, {}).setdefault(h.person_id, []).append(
                DueTalk(h.child_id, h.child_name, h.class_name, h.kind, period, end, bool(missed), missed, is_open))
    return {sid: {person: sorted(items, key=_order) for person, items in by_person.items()}
            for sid, by_person in result.items()}


def _talked(uow: UnitOfWork, school_ids: list[int], periods: list[str], person_id: int | None) -> set[DutyKey]:
    """The duties met by the talks at these schools in these periods (``talk_duties.duty_key``)."""
    query = (select(TalkRecord.child_id, TalkRecord.author_id, TalkRecord.kind, TalkRecord.period)
             .join(Child, Child.id == TalkRecord.child_id)
             .where(Child.school_id.in_(school_ids), TalkRecord.period.in_(periods)).distinct())
    if person_id is not None:  # and the month's talks of a class teacher before them (talk_duties, rule 1)
        query = query.where(or_(TalkRecord.author_id == person_id,
                                TalkRecord.kind == TalkKind.CLASS_TEACHER_MONTHLY.value))
    return {duty_key(*row) for row in uow.session.execute(query).all()}


@dataclass(frozen=True)
class _Periods:
    """A school's current month and ISO week, the earlier ones ``/due`` looks back on, when the current ones end.

    The look-back runs from the first day of the previous month (local): the
    previous month, and every ended week whose Sunday falls on or after that
    day (a week belongs to the month of its Sunday, ``talk_duties`` rule 3).
    So a person's overdue talks are exactly what ``/report`` counts as missed
    for the previous month and this month so far (issue 9).
    """

    month: str
    past_months: tuple[str, ...]
    week: str
    past_weeks: tuple[str, ...]
    month_end: datetime
    week_end: datetime

    @classmethod
    def at(cls, now: datetime, timezone: str) -> _Periods:
        month, week = month_period(now, timezone), week_period(now, timezone)
        previous = previous_month_period(month)
        since = period_days(previous)[0]
        past_weeks: list[str] = []
        w = previous_week_period(week)
        while period_days(w)[1] >= since:
            past_weeks.append(w)
            w = previous_week_period(w)
        return cls(month, (previous,), week, tuple(reversed(past_weeks)),
                   month_bounds(month, timezone)[1], week_bounds(week, timezone)[1])

    def all(self) -> tuple[str, ...]:
        return (self.month, *self.past_months, self.week, *self.past_weeks)


_class_key = lru_cache(maxsize=65536)(class_sort_key)  # a city's digests sort 500,000 talks by a few class names


def _order(d: DueTalk) -> tuple[object, ...]:
    return (not d.overdue, _class_key(d.class_name), d.child_name, d.kind)


_LINE = {
    TalkKind.CLASS_TEACHER_MONTHLY.value: N_("• {child} ({class_name}): monthly talk, by {due_by}"),
    TalkKind.VOLUNTEER_WEEKLY.value: N_("• {child} ({class_name}): weekly talk, by {due_by}"),
}
# Each missed period is one overdue talk (issue 9): named, so the reader knows which weeks or months they were.
_LATE = {
    (TalkKind.CLASS_TEACHER_MONTHLY.value, True): N_(
        "• {child} ({class_name}): monthly talk, overdue months: {count} ({periods}); this month's by {due_by}"),
    (TalkKind.CLASS_TEACHER_MONTHLY.value, False): N_(
        "• {child} ({class_name}): monthly talk, overdue months: {count} ({periods})"),
    (TalkKind.VOLUNTEER_WEEKLY.value, True): N_(
        "• {child} ({class_name}): weekly talk, overdue weeks: {count} (weeks of {periods}); this week's by {due_by}"),
    (TalkKind.VOLUNTEER_WEEKLY.value, False): N_(
        "• {child} ({class_name}): weekly talk, overdue weeks: {count} (weeks of {periods})"),
}


def _period_param(period: str) -> dict[str, str]:
    """A missed month as its name, a missed week as its Monday."""
    return day(period_days(period)[0]) if "-W" in period else month(period)


# Periods end at midnight; a teacher reads "by 6 Dec 23:59" more easily than "by 7 Dec 00:00".
_LAST_MINUTE = timedelta(minutes=1)


def due_lines(due: list[DueTalk]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines`` for a due list (one line per talk), for the digest and ``/due``."""
    shown: dict[datetime, dict[str, str]] = {}  # a list's talks share one or two deadlines: each formatted once
    for d in due:
        if d.due_by not in shown:
            shown[d.due_by] = dt(d.due_by - _LAST_MINUTE)
    lines: list[tuple[str, dict[str, Any]]] = []
    for d in due:
        params: dict[str, Any] = {"child": text(d.child_name), "class_name": text(d.class_name or "—"),
                                  "due_by": shown[d.due_by]}
        if d.missed:
            params.update(count=len(d.missed), periods=[_period_param(p) for p in d.missed])
            lines.append((_LATE[(d.kind, d.open)], params))
        else:
            lines.append((_LINE[d.kind], params))
    return tuple(lines)
