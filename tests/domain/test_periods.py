"""Periods and windows in school time."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.domain.periods import (
    checkin_moment,
    defer_for_quiet_hours,
    in_quiet_hours,
    month_bounds,
    month_period,
    previous_month_period,
    previous_week_period,
    week_bounds,
    week_period,
)

SH = "Asia/Shanghai"
Q = (time(21), time(7))


def test_month_and_week_are_counted_in_school_time() -> None:
    # 2026-11-30 17:00 UTC is already Tuesday 2026-12-01 01:00 in Shanghai.
    at = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert month_period(at, SH) == "2026-12"
    assert week_period(at, SH) == "2026-W49"
    assert month_period(at, "UTC") == "2026-11"


def test_bounds_are_local_midnights_in_utc() -> None:
    assert month_bounds("2026-12", SH) == (
        datetime(2026, 11, 30, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC))
    start, end = week_bounds("2026-W48", SH)
    assert start == datetime(2026, 11, 22, 16, tzinfo=UTC)  # Monday 23 Nov 00:00 Shanghai
    assert end == datetime(2026, 11, 29, 16, tzinfo=UTC)


def test_previous_periods_cross_year_ends() -> None:
    assert previous_month_period("2026-01") == "2025-12"
    assert previous_week_period("2027-W01") == "2026-W53"
    assert previous_week_period("2026-W48") == "2026-W47"


def test_quiet_hours_wrap_midnight_and_defer_to_seven() -> None:
    evening = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)  # 21:30 Shanghai
    night = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 04:00 Shanghai next day
    day = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 12:00 Shanghai
    seven = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 07:00 Shanghai on 1 Dec
    assert in_quiet_hours(evening, SH, *Q) and in_quiet_hours(night, SH, *Q)
    assert defer_for_quiet_hours(evening, SH, *Q) == seven
    assert defer_for_quiet_hours(night, SH, *Q) == seven
    assert defer_for_quiet_hours(day, SH, *Q) == day
    assert defer_for_quiet_hours(seven, SH, *Q) == seven  # the end is outside the window
    assert defer_for_quiet_hours(evening, SH, time(7), time(7)) == evening  # no window


def test_checkin_moment_is_friday_1800_school_time() -> None:
    monday = datetime(2026, 11, 30, 1, tzinfo=UTC)
    friday_1800 = datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert checkin_moment(monday, SH, 4, time(18)) == friday_1800
    assert checkin_moment(datetime(2026, 12, 6, 15, 59, tzinfo=UTC), SH, 4, time(18)) == friday_1800  # Sunday
