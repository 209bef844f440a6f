"""The school year: holidays and make-up workdays, the fallback for a year without data, school days, terms."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.school_year import DayKind, SchoolYear, Semester, WorkdayCalendar, default_semesters, parse_terms


def test_holidays_and_make_up_workdays_come_from_chinesecalendar() -> None:
    days = WorkdayCalendar()
    assert days.kind(date(2026, 10, 1)) is DayKind.HOLIDAY  # National Day
    assert days.kind(date(2026, 2, 17)) is DayKind.HOLIDAY  # Spring Festival
    assert days.kind(date(2026, 2, 14)) is DayKind.MAKEUP_WORKDAY  # a Saturday worked for the holiday
    assert days.is_workday(date(2026, 2, 14)) and not days.is_workday(date(2026, 2, 15))
    assert days.kind(date(2026, 11, 28)) is DayKind.WEEKEND
    assert days.missing_years == set()


def test_a_year_without_data_falls_back_to_weekdays_and_is_reported() -> None:
    days = WorkdayCalendar()
    assert not days.has_data(2099)
    assert days.kind(date(2099, 10, 1)) is DayKind.WORKDAY  # a Thursday: no holiday known, no error
    assert days.kind(date(2099, 10, 3)) is DayKind.WEEKEND
    assert days.missing_years == {2099}


def test_school_days_are_working_days_in_term() -> None:
    year = SchoolYear([Semester(date(2026, 9, 1), date(2027, 1, 22))])
    assert year.is_school_day(date(2026, 9, 1))  # Tuesday, first day
    assert not year.is_school_day(date(2026, 10, 1))  # National Day
    assert year.is_school_day(date(2026, 9, 20))  # Sunday worked for the Mid-Autumn/National Day holiday
    assert not year.is_school_day(date(2026, 8, 31))  # summer vacation
    assert year.month_school_days(2026, 8) == 0
    assert year.week_school_days(date(2026, 10, 5)) == 3  # Golden Week ends Wednesday; Saturday 10 Oct is worked
    assert year.week_school_days(date(2026, 11, 30)) == 5


def test_default_terms_follow_the_lantern_festival() -> None:
    autumn, spring = default_semesters([2026])
    assert (autumn.starts_on, autumn.ends_on) == (date(2026, 9, 1), date(2027, 1, 20))
    assert spring.starts_on == date(2027, 2, 22)  # 元宵 is 20 Feb 2027: the next Monday
    assert spring.starts_on.weekday() == 0 and spring.season == "spring" and autumn.season == "autumn"
    assert SchoolYear.of([], date(2026, 12, 1)).is_school_day(date(2026, 12, 1))


def test_terms_are_read_as_typed() -> None:
    assert parse_terms("2026-09-01~2027-01-22，2027.2.24至2027/7/2") == [
        (date(2026, 9, 1), date(2027, 1, 22)), (date(2027, 2, 24), date(2027, 7, 2))]
    for bad in ("", "2026-09-01", "2026-09-01~someday", "2026-13-01~2027-01-01"):
        with pytest.raises(ValueError):
            parse_terms(bad)
