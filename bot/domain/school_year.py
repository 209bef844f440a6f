"""The school year as data: semesters, official holidays, make-up workdays and school days (pure).

Official holidays and make-up workdays (调休上班) come from ``chinesecalendar``,
which knows the years up to the State Council's latest notice. For a year it
has no data for, every weekday counts as a working day and the caller is told
(:attr:`WorkdayCalendar.missing_years`) so the admins can be warned; nothing
raises (DESIGN.md, "Calendar").

A **school day** is a working day inside one of the school's semesters. A
school that has not entered its semesters gets :func:`default_semesters`: our
reading of the usual rural primary school year (autumn term 1 September – 20
January; spring term from the Monday after the Lantern Festival 元宵, never
before 15 February, to 10 July). Admins set their own with ``guanai year set``
or ``/year``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar

from bot.domain import lunar


class DayKind(StrEnum):
    """What a calendar day is for adults at work."""

    WORKDAY = "workday"  # Monday–Friday, not an official holiday
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day worked in exchange for a holiday (调休上班)
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # an official holiday (法定节假日), weekday or not


@dataclass(frozen=True)
class Semester:
    """One term, inclusive local dates.

    Attributes:
        starts_on, ends_on: first and last day of term (school time).
        default: our default, not entered by the school.
    """

    starts_on: date
    ends_on: date
    default: bool = False

    @property
    def season(self) -> str:
        """``spring`` for a term starting January–June, ``autumn`` otherwise."""
        return "spring" if self.starts_on.month <= 6 else "autumn"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on


@dataclass
class WorkdayCalendar:
    """Working days after ``chinesecalendar``, with the weekday fallback for years it does not know.

    Attributes:
        missing_years: years asked about for which the fallback was used (for the warning).
    """

    missing_years: set[int] = field(default_factory=set)

    def kind(self, day: date) -> DayKind:
        """What ``day`` is; never raises for a year without data (weekdays are then working days)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                holiday = chinese_calendar.is_holiday(day)
        except (NotImplementedError, ValueError):
            self.missing_years.add(day.year)
            return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
        if day.weekday() >= 5:
            return DayKind.WEEKEND if holiday else DayKind.MAKEUP_WORKDAY
        return DayKind.HOLIDAY if holiday else DayKind.WORKDAY

    def is_workday(self, day: date) -> bool:
        """A working day: a weekday that is no holiday, or a make-up workday."""
        return self.kind(day) in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    def has_data(self, year: int) -> bool:
        """Whether ``chinesecalendar`` knows ``year`` (its holidays and make-up days)."""
        try:
            chinese_calendar.is_holiday(date(year, 6, 1))
        except (NotImplementedError, ValueError):
            return False
        return True


def default_semesters(years: Iterable[int]) -> list[Semester]:
    """Our default terms for the school years starting in ``years`` (see module doc), sorted."""
    out: list[Semester] = []
    for year in sorted(set(years)):
        out.append(Semester(date(year, 9, 1), date(year + 1, 1, 20), default=True))
        lantern = lunar.festival_date("元宵", year + 1)
        start = max(lantern + timedelta(days=1), date(year + 1, 2, 15))
        start += timedelta(days=(7 - start.weekday()) % 7)  # the Monday on or after
        out.append(Semester(start, date(year + 1, 7, 10), default=True))
    return out


@dataclass
class SchoolYear:
    """One school's terms and its working-day calendar.

    Attributes:
        semesters: the school's own terms (sorted), or the default ones when it entered none.
        workdays: the working-day calendar (shared; it records years without data).
    """

    semesters: list[Semester]
    workdays: WorkdayCalendar = field(default_factory=WorkdayCalendar)

    @classmethod
    def of(cls, semesters: list[Semester], around: date, workdays: WorkdayCalendar | None = None) -> SchoolYear:
        """The school's year: its terms, or the default terms around ``around`` when it has none."""
        terms = sorted(semesters, key=lambda s: s.starts_on) or default_semesters(range(around.year - 2,
                                                                                             around.year + 2))
        return cls(terms, workdays or WorkdayCalendar())

    def semester_of(self, day: date) -> Semester | None:
        """The term ``day`` falls in, or None in a vacation."""
        return next((s for s in self.semesters if day in s), None)

    def is_school_day(self, day: date) -> bool:
        """Inside a term and a working day (make-up workdays included)."""
        return self.semester_of(day) is not None and self.workdays.is_workday(day)

    def school_days(self, first: date, last: date) -> int:
        """How many school days ``first … last`` (inclusive) holds."""
        return sum(1 for i in range((last - first).days + 1) if self.is_school_day(first + timedelta(days=i)))

    def month_school_days(self, year: int, month: int) -> int:
        """School days in a calendar month."""
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        return self.school_days(first, last)

    def week_school_days(self, monday: date) -> int:
        """School days in the ISO week starting ``monday``."""
        return self.school_days(monday, monday + timedelta(days=6))


_RANGE_SEPARATORS = ("~", "～", "至", "到", "..", "—", "–")


def parse_terms(text: str) -> list[tuple[date, date]]:
    """Terms typed as ``2026-09-01~2027-01-22, 2027-02-24~2027-07-02`` (also ``至``/``到``, ``2026.9.1``).

    Raises:
        ValueError: no term, or a part that is not two dates joined by a separator.
    """
    from bot.domain.roster_cells import CellError, parse_date

    normalised = text
    for sep in _RANGE_SEPARATORS:
        normalised = normalised.replace(sep, "~")
    for sep in ("，", "、", "；", ";", ","):
        normalised = normalised.replace(sep, " ")
    terms: list[tuple[date, date]] = []
    for part in normalised.split():
        first, sep, last = part.partition("~")
        if not sep:
            raise ValueError(part)
        try:
            start, end = parse_date(first), parse_date(last)
        except CellError as exc:
            raise ValueError(part) from exc
        if start is None or end is None:
            raise ValueError(part)
        terms.append((start, end))
    if not terms:
        raise ValueError(text)
    return terms
