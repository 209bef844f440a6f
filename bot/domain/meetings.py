"""Meetings with the families (issue 8, item 7): their kinds, who is invited, and a typed date and time.

The plans ask for guardian meetings (监护人会议 / 家长会), the parent school
(家长学校) and 座谈会 of helper teachers, children and guardians. Who is
invited follows the kind (:data:`AUDIENCE`): the children of the organiser's
class, or of the whole school when an admin organises it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.messages.prompt import N_


class MeetingKind(StrEnum):
    """What kind of meeting."""

    GUARDIAN_MEETING = "guardian_meeting"  # 监护人会议 / 家长会
    PARENT_SCHOOL = "parent_school"  # 家长学校
    FORUM = "forum"  # 座谈会: helper teachers, children and guardians


KIND_LABELS = {
    MeetingKind.GUARDIAN_MEETING: N_("guardian meeting"),
    MeetingKind.PARENT_SCHOOL: N_("parent school"),
    MeetingKind.FORUM: N_("forum"),
}

AUDIENCE: dict[MeetingKind, tuple[str, ...]] = {
    MeetingKind.GUARDIAN_MEETING: ("entrusted_guardian",),
    MeetingKind.PARENT_SCHOOL: ("entrusted_guardian", "father", "mother"),
    MeetingKind.FORUM: ("entrusted_guardian", "helper_teacher", "caring_parent"),
}
"""Who is invited: ``RelationKind`` values of the people related to the children concerned."""

MAX_AHEAD = timedelta(days=180)  # a meeting is called weeks ahead, not a year: "11月1日" in December is a typo
REMIND_AT = time(17, 0)  # the day before, school time
ASK_ATTENDANCE_AFTER = timedelta(hours=2)  # the organiser is asked to record attendance this long after the start
_MONTH_DAY = re.compile(r"(?:(\d{4})\s*[年/.-]\s*)?(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r"(?:\s+(\d{4}))?,?", re.IGNORECASE)
_MONTH_DAY_EN = re.compile(_MONTH_NAME + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?,?", re.IGNORECASE)
_AM_PM = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$", re.IGNORECASE)
_TIME = re.compile(r"(上午|下午|晚上)?\s*(\d{1,2})\s*(?:[:：点时]\s*(\d{1,2})?\s*分?|(?=\s*$))\s*(半)?")


def parse_when(typed: str, now: datetime, tz: str) -> datetime | None:
    """A typed date and time after ``now``: ``12月10日 15:00``, ``2026-12-10 15:00``, ``12/10 下午3点``.

    A date without a year is the next such date. Returns an aware datetime in
    the school's zone, or None when it cannot be read, is not in the future or
    is more than :data:`MAX_AHEAD` away.
    """
    cleaned = _from_english(unicodedata.normalize("NFKC", typed).strip())
    match = _MONTH_DAY.match(cleaned)
    if match is None:
        return None
    rest = cleaned[match.end():].strip()
    at = _time(rest)
    if at is None:
        return None
    today = now.astimezone(ZoneInfo(tz)).date()
    try:
        found = date(int(match[1] or today.year), int(match[2]), int(match[3]))
        if match[1] is None and found < today:
            found = found.replace(year=today.year + 1)
    except ValueError:
        return None
    when = datetime.combine(found, at, tzinfo=ZoneInfo(tz))
    return when if now < when <= now + MAX_AHEAD else None


def _from_english(typed: str) -> str:
    """``10 December 15:00``, ``Dec 10, 2026 3pm`` as ``2026-12-10 15:00`` (the English chat's own examples)."""
    day_first = _DAY_MONTH.match(typed)
    month_first = None if day_first else _MONTH_DAY_EN.match(typed)
    if day_first is not None:
        day_, month_, year = day_first[1], day_first[2], day_first[3]
    elif month_first is not None:
        month_, day_, year = month_first[1], month_first[2], month_first[3]
    else:
        return typed
    month_number = _MONTHS.index(month_.lower()[:3]) + 1
    rest = typed[(day_first or month_first).end():].strip()  # type: ignore[union-attr]
    am_pm = _AM_PM.match(rest)
    if am_pm is not None:
        hour = int(am_pm[1]) % 12 + (12 if am_pm[3].lower() == "p" else 0)
        rest = f"{hour}:{am_pm[2] or '00'}"
    return f"{year + '-' if year else ''}{month_number}-{day_} {rest}"


def _time(text: str) -> time | None:
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match[2]), int(match[3] or 0) + (30 if match[4] else 0)
    if match[1] in ("下午", "晚上") and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def reminder_time(starts_at: datetime, tz: str) -> datetime:
    """When the invitees are reminded: 17:00 school time the day before (at once, for a meeting called that late)."""
    local = starts_at.astimezone(ZoneInfo(tz))
    return datetime.combine(local.date() - timedelta(days=1), REMIND_AT, tzinfo=ZoneInfo(tz))
