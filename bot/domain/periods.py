"""Calendar periods and send windows in the school's zone (pure; no framework).

Storage is UTC; the school plans count in local time: a class-teacher talk per
calendar month (period ``"2026-11"``), a volunteer talk and a guardian check-in
per ISO week (period ``"2026-W48"``, Monday to Sunday), and no bulk messages in
the quiet hours (issue 2: 21:00–07:00 school time). Every function takes aware
datetimes and an IANA zone name and returns aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def _local(at_utc: datetime, tz: str) -> datetime:
    if at_utc.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return at_utc.astimezone(ZoneInfo(tz))


def _utc(day: date, at: time, tz: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local_date(at_utc: datetime, tz: str) -> date:
    """The calendar date in the school's zone at ``at_utc``."""
    return _local(at_utc, tz).date()


def month_period(at_utc: datetime, tz: str) -> str:
    """The calendar month in school time, e.g. ``"2026-11"``."""
    d = local_date(at_utc, tz)
    return f"{d.year:04d}-{d.month:02d}"


def week_period(at_utc: datetime, tz: str) -> str:
    """The ISO week in school time, e.g. ``"2026-W48"`` (ISO 8601: weeks start on Monday)."""
    year, week, _ = local_date(at_utc, tz).isocalendar()
    return f"{year:04d}-W{week:02d}"


def _month_start(period: str) -> date:
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def _week_start(period: str) -> date:
    year, week = period.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


@lru_cache(maxsize=4096)
def period_days(period: str) -> tuple[date, date]:
    """The first and last local day of a month (``"2026-11"``) or ISO week (``"2026-W48"``, Monday–Sunday) period.

    Cached: the figures ask it for every duty of a school year.

    Raises:
        ValueError: the period is neither ``YYYY-MM`` nor ``YYYY-Www``.
    """
    if "-W" in period:
        monday = _week_start(period)
        return monday, monday + timedelta(days=6)
    start = _month_start(period)
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def month_bounds(period: str, tz: str) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of a month period (``"2026-11"``) in school time.

    Raises:
        ValueError: the period is not ``YYYY-MM``.
    """
    start = _month_start(period)
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return _utc(start, time(0), tz), _utc(nxt, time(0), tz)


def week_bounds(period: str, tz: str) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of an ISO week period (``"2026-W48"``) in school time: Monday 00:00 to the next Monday.

    Raises:
        ValueError: the period is not ``YYYY-Www``.
    """
    start = _week_start(period)
    return _utc(start, time(0), tz), _utc(start + timedelta(days=7), time(0), tz)


def previous_month_period(period: str) -> str:
    """The month before ``period`` (``"2026-01"`` → ``"2025-12"``)."""
    start = _month_start(period)
    prev = start - timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


def previous_week_period(period: str) -> str:
    """The ISO week before ``period`` (``"2027-W01"`` → ``"2026-W53"``)."""
    year, week, _ = (_week_start(period) - timedelta(days=7)).isocalendar()
    return f"{year:04d}-W{week:02d}"


def in_quiet_hours(at_utc: datetime, tz: str, start: time, end: time) -> bool:
    """Whether ``at_utc`` falls in the school-time window ``[start, end)``; the window may wrap midnight.

    ``start == end`` means no quiet hours.
    """
    if start == end:
        return False
    now = _local(at_utc, tz).time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end


def defer_for_quiet_hours(at_utc: datetime, tz: str, start: time, end: time) -> datetime:
    """The earliest time at or after ``at_utc`` outside the quiet hours (UTC).

    Non-urgent messages wait out the quiet hours (issue 2: default 21:00–07:00
    school time); a time outside the window is returned unchanged.

    Args:
        at_utc: aware datetime.
        tz: the school's IANA zone.
        start: local wall-clock time the window opens.
        end: local wall-clock time it closes; the window wraps midnight when ``start > end``.
    """
    if not in_quiet_hours(at_utc, tz, start, end):
        return at_utc.astimezone(UTC)
    local = _local(at_utc, tz)
    day = local.date()
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += timedelta(days=1)  # evening part of a window that ends tomorrow morning
    return _utc(day, end, tz)


def checkin_moment(at_utc: datetime, tz: str, weekday: int, at: time) -> datetime:
    """When the weekly check-in of the ISO week containing ``at_utc`` goes out (UTC).

    Args:
        at_utc: aware datetime in the week.
        tz: the school's IANA zone.
        weekday: 0 = Monday … 6 = Sunday (default in settings: 4, Friday).
        at: local time of day (default 18:00 school time).
    """
    d = local_date(at_utc, tz)
    monday = d - timedelta(days=d.weekday())
    return _utc(monday + timedelta(days=weekday), at, tz)
