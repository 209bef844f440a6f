"""The school year of each school: terms, school days, the talk pause in vacations, the missing-data warning.

Rules (issue 8, item 1): digests go out on school days only; the monthly and
weekly talks are not due in vacation weeks (configurable per school in
``schools.calendar``), nor in periods wholly before the school started using
the bot (issue 9, :func:`paused_by`); check-ins and home visits go on through the holidays
(they do not ask here). A year ``chinesecalendar`` has no data for falls back
to weekdays and the school's admins are told once (outbox key per school, year
and admin), never an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from bot.domain.enums import ADMIN_ROLES, Priority, TalkKind
from bot.domain.periods import local_date, period_days
from bot.domain.school_year import SchoolYear, Semester, WorkdayCalendar
from bot.domain.talk_duties import days_in_use
from bot.messages.prompt import N_, Prompt, PromptKind, msg
from bot.messages.prompt import day as a_day
from bot.services.outbox import Outgoing, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import ChatAccount, Person, PersonRole, PlanMarker, School
from bot.store.models import Semester as SemesterRow

log = logging.getLogger(__name__)

MAX_TERM_DAYS = 200
"""Longest term accepted (a Chinese term runs about 20 weeks)."""

_WORKDAYS = WorkdayCalendar()  # chinesecalendar's data is the same for every school: one shared cache


@dataclass(frozen=True)
class CalendarSettings:
    """A school's calendar settings (``schools.calendar``; every key optional).

    Attributes:
        pause_talks_in_vacation: monthly and weekly talks are not due in vacations.
        monthly_min_school_days: a month with fewer school days owes no monthly talk.
        weekly_min_school_days: a week with fewer school days owes no weekly talk.
        remind_on_holidays: programme reminders may go out on weekends and holidays
            (an item may allow it on its own too).
    """

    pause_talks_in_vacation: bool = True
    monthly_min_school_days: int = 5
    weekly_min_school_days: int = 1
    remind_on_holidays: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> CalendarSettings:
        """Settings from the stored JSON; unknown keys and wrong types are ignored (defaults kept)."""
        data = data or {}
        out: dict[str, Any] = {}
        for name, default in cls().__dict__.items():
            value = data.get(name)
            if isinstance(value, type(default)) and not (isinstance(default, int) and isinstance(value, bool)
                                                        and not isinstance(default, bool)):
                out[name] = value
        return cls(**out)


class TermError(ValueError):
    """Terms that cannot be stored.

    Attributes:
        message_id: why (``N_``), with ``{start}`` / ``{end}`` parameters.
        start, end: the term at fault.
    """

    def __init__(self, message_id: str, start: date, end: date) -> None:
        super().__init__(f"{start}..{end}")
        self.message_id = message_id
        self.start = start
        self.end = end


TERM_BACKWARDS = N_("The term {start} – {end} ends before it starts.")
TERM_TOO_LONG = N_("The term {start} – {end} is longer than 200 days.")
TERM_OVERLAP = N_("The term {start} – {end} overlaps another term.")


def workdays() -> WorkdayCalendar:
    """The working-day calendar every school shares (``chinesecalendar`` with the weekday fallback)."""
    return _WORKDAYS


def semesters(uow: UnitOfWork, school_id: int) -> list[Semester]:
    """The terms the school entered (sorted), possibly none."""
    rows = uow.session.execute(
        select(SemesterRow.starts_on, SemesterRow.ends_on).where(SemesterRow.school_id == school_id)
        .order_by(SemesterRow.starts_on)
    ).all()
    return [Semester(start, end) for start, end in rows]


def school_year(uow: UnitOfWork, school_id: int, around: date) -> SchoolYear:
    """The school's year (its terms, or the default ones) with the shared working-day calendar."""
    return SchoolYear.of(semesters(uow, school_id), around, _WORKDAYS)


def settings_of(uow: UnitOfWork, school_id: int) -> CalendarSettings:
    """The school's calendar settings."""
    school = uow.session.get(School, school_id)
    return CalendarSettings.from_dict(school.calendar if school is not None else None)


def set_semesters(uow: UnitOfWork, school_id: int, terms: list[tuple[date, date]]) -> list[Semester]:
    """Replace the school's terms that overlap the new ones' school years by ``terms``.

    Terms of other years are kept, so entering next year's terms keeps this
    year's. The caller commits.

    Raises:
        TermError: a term ends before it starts, is longer than :data:`MAX_TERM_DAYS`, or overlaps another.
    """
    ordered = sorted(terms)
    for start, end in ordered:
        if end < start:
            raise TermError(TERM_BACKWARDS, start, end)
        if (end - start).days > MAX_TERM_DAYS:
            raise TermError(TERM_TOO_LONG, start, end)
    for (_s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 <= e1:
            raise TermError(TERM_OVERLAP, s2, e2)
    if ordered:
        first, last = ordered[0][0], ordered[-1][1]
        uow.session.execute(delete(SemesterRow).where(
            SemesterRow.school_id == school_id, SemesterRow.ends_on >= first - timedelta(days=60),
            SemesterRow.starts_on <= last + timedelta(days=60)))
        kept = semesters(uow, school_id)
        for start, end in ordered:
            clash = next((k for k in kept if k.starts_on <= end and start <= k.ends_on), None)
            if clash is not None:
                raise TermError(TERM_OVERLAP, start, end)
            uow.session.add(SemesterRow(school_id=school_id, starts_on=start, ends_on=end))
        uow.session.flush()
    log.info("school %s: %s terms set", school_id, len(ordered))
    return semesters(uow, school_id)


def is_school_day(uow: UnitOfWork, school_id: int, day: date) -> bool:
    """Whether ``day`` (school-local) is a school day at this school."""
    return school_year(uow, school_id, day).is_school_day(day)


def first_time(uow: UnitOfWork, key: str, now: datetime) -> bool:
    """Record the plan marker ``key``; False when it was recorded before (the work is done).

    The marker is written in the caller's transaction, so it stays only with the work it marks.
    """
    if uow.session.scalar(select(PlanMarker.id).where(PlanMarker.key == key)) is not None:
        return False
    uow.session.add(PlanMarker(key=key, created_at=now))
    uow.session.flush()
    return True


def started_on(uow: UnitOfWork, school_id: int) -> date | None:
    """The local day the school started using the bot; None when it has not.

    ``School.started_at`` (its first roster import; migration ``0022`` set it
    for older schools); for a school without one (built by hand), the first chat
    account bound there.
    """
    s = uow.session
    school = s.get(School, school_id)
    if school is None:
        return None
    at = school.started_at
    if at is None:
        first = s.scalar(select(func.min(ChatAccount.bound_at)).join(Person, Person.id == ChatAccount.person_id)
                         .where(Person.school_id == school_id))
        at = _aware(first) if first is not None else None
    return local_date(at, school.timezone or "Asia/Shanghai") if at is not None else None


def started_on_many(uow: UnitOfWork, school_ids: list[int]) -> dict[int, date | None]:
    """:func:`started_on` of many schools in two queries (the daily digest of a city)."""
    if not school_ids:
        return {}
    s = uow.session
    schools = s.execute(select(School.id, School.started_at, School.timezone).where(School.id.in_(school_ids))).all()
    unknown = [sid for sid, at, _tz in schools if at is None]
    first: dict[int, Any] = dict(s.execute(
        select(Person.school_id, func.min(ChatAccount.bound_at)).join(Person, Person.id == ChatAccount.person_id)
        .where(Person.school_id.in_(unknown)).group_by(Person.school_id)).all()) if unknown else {}
    result: dict[int, date | None] = {}
    for sid, at, tz in schools:
        when = at if at is not None else (_aware(first[sid]) if first.get(sid) is not None else None)
        result[sid] = local_date(when, tz or "Asia/Shanghai") if when is not None else None
    return result


def _aware(value: Any) -> datetime:
    """An aggregate's datetime: SQLite returns ``MIN(...)`` as text without the column's type (UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def calendars(uow: UnitOfWork, school_ids: list[int]) -> dict[int, tuple[CalendarSettings, tuple[Semester, ...]]]:
    """Each school's calendar settings and terms, in two queries (the planners of a city's schools)."""
    s = uow.session
    configs: dict[int, Any] = dict(s.execute(select(School.id, School.calendar).where(School.id.in_(school_ids))).all())
    terms: dict[int, list[Semester]] = {}
    for sid, start, end in s.execute(
        select(SemesterRow.school_id, SemesterRow.starts_on, SemesterRow.ends_on)
        .where(SemesterRow.school_id.in_(school_ids)).order_by(SemesterRow.school_id, SemesterRow.starts_on)
    ).all():
        terms.setdefault(sid, []).append(Semester(start, end))
    return {sid: (CalendarSettings.from_dict(configs.get(sid)), tuple(terms.get(sid, ()))) for sid in school_ids}


def paused_by(config: CalendarSettings, terms: tuple[Semester, ...], kind: str, period: str,
              started: date | None = None) -> bool:
    """Whether no talk of ``kind`` is due in ``period``: it fell wholly before the school started or in vacation.

    ``started`` is the local day the school started using the bot
    (:func:`started_on`; None: unknown, every day counts). A period that ended
    before it owes nothing, nor the one it fell in with fewer than 7 days left
    (``bot.domain.talk_duties.days_in_use``). With
    ``pause_talks_in_vacation``, neither does one with no school day from
    then on — a school that started on 20 January 2027, after the term ended
    on the 15th, owes nothing for January, though January had ten school days
    — nor one with fewer school days in all than the school's minimum (5 for a
    month, 1 for a week by default: a vacation week, a month mostly vacation).
    Schools sharing settings, terms and start share the answer.
    """
    days = days_in_use(period, started)
    if days is None:
        return True
    if not config.pause_talks_in_vacation:
        return False
    first, last = period_days(period)
    year = SchoolYear.of(list(terms), first, _WORKDAYS)
    minimum = (config.monthly_min_school_days if kind == TalkKind.CLASS_TEACHER_MONTHLY.value
               else config.weekly_min_school_days)
    whole = year.school_days(first, last)
    return whole < minimum or (days[0] > first and year.school_days(*days) == 0)


def school_day_by(terms: tuple[Semester, ...], day: date) -> bool:
    """:func:`is_school_day` from a school's terms (schools sharing them share the answer)."""
    return SchoolYear.of(list(terms), day, _WORKDAYS).is_school_day(day)


NO_HOLIDAY_DATA = N_("The holiday calendar has no official holidays for {year} yet, so I count every weekday "
                     "as a working day. Set the school's terms with /year, and check again when the State "
                     "Council publishes the holidays.")


def warn_missing_holiday_data(uow: UnitOfWork, *, now: datetime, timezone: str) -> int:
    """Tell each school's admins and leaders, once per year, that ``chinesecalendar`` lacks this (or next) year.

    Next year is checked from 1 December. One outbox row per admin, key
    ``calendar:nodata:<school>:<year>:<person>`` (so never twice); the
    working-day calendar falls back to weekdays meanwhile. The caller commits.

    Returns:
        Messages enqueued.
    """
    today = local_date(now, timezone)
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    missing = [y for y in years if not _WORKDAYS.has_data(y)]
    if not missing or not first_time(uow, f"calendar:nodata:{today.isoformat()}", now):
        return 0
    admins = uow.session.execute(
        select(Person.school_id, Person.id).join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role.in_([r.value for r in ADMIN_ROLES])).distinct()
    ).all()
    batch = [
        Outgoing(key=f"calendar:nodata:{school_id}:{year}:{person_id}", person_id=person_id, priority=Priority.BULK,
                 prompt=Prompt(NO_HOLIDAY_DATA, {"year": str(year)}, kind=PromptKind.NOTICE))
        for year in missing for school_id, person_id in admins
    ]
    enqueue_many(uow.session, batch, now=now)
    if batch:
        log.warning("no official holiday data for %s: weekdays used; %s admins told",
                    ", ".join(str(y) for y in missing), len(batch))
    return len(batch)


_TODAY = {
    "school_day": N_("Today ({day}) is a school day."),
    "vacation": N_("Today ({day}) is in the vacation."),
    "day_off": N_("Today ({day}) is a weekend or holiday in term."),
}


def year_prompt(uow: UnitOfWork, school_id: int, today: date) -> Prompt:
    """What ``/year`` and ``guanai year show`` say: the terms with their school days, today, the settings."""
    own = semesters(uow, school_id)
    year = school_year(uow, school_id, today)
    shown = [s for s in year.semesters if s.ends_on >= today - timedelta(days=200)][:4]
    lines: list[tuple[str, dict[str, Any]]] = []
    for term in shown:
        lines.append((N_("• {start} – {end}: {days} school days"),
                      {"start": a_day(term.starts_on), "end": a_day(term.ends_on),
                       "days": year.school_days(term.starts_on, term.ends_on)}))
    if not own:
        lines.append((N_("These are the default terms: set your own with /year 2026-09-01~2027-01-22 "
                         "2027-02-24~2027-07-02"), {}))
    state = "school_day" if year.is_school_day(today) else ("vacation" if year.semester_of(today) is None
                                                            else "day_off")
    lines.append((_TODAY[state], {"day": a_day(today)}))
    for missing in sorted(y for y in {today.year, today.year + 1} if not _WORKDAYS.has_data(y)):
        lines.append((N_("No official holiday data for {year} yet: weekdays count as working days."),
                      {"year": str(missing)}))
    config = settings_of(uow, school_id)
    lines.append((N_("Monthly and weekly talks pause in the vacation: {value}."),
                  {"value": msg(N_("yes") if config.pause_talks_in_vacation else N_("no"))}))
    return Prompt(N_("The school year:"), lines=tuple(lines))
