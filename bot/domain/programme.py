"""Programme items as data: anchor, offset, delivery time, responsible role, audience (pure).

In the spirit of RapidPro's campaign events (``CampaignEvent``: relative to a
date field, with offset, unit and delivery hour; ``EventFire``: one row per
fire): an item is a rule, each of its dates an *occurrence*. Anchors, written
the same way in the CLI, the chat command and YAML/xlsx imports:

==========================  ==========================================================
``date:06-01``               every year on 1 June; ``date:2027-03-05`` once
``festival:中秋``             春节 除夕 元宵 清明 端午 七夕 中秋 重阳 (:mod:`bot.domain.lunar`)
``lunar:08-15``              a lunar month and day
``term:清明``                 a solar term (节气)
``semester_start[:spring]``  first day of every term (or only the spring / autumn term)
``semester_end[:spring]``    last day of every term (or one season's)
``birthday:guardian``        each entrusted guardian's birthday (``people.birthday``); ``birthday:parent``
==========================  ==========================================================

The occurrence starts ``offset_days`` after the anchor (negative: before),
then ``align``: ``monday`` moves it to the Monday on or before ("the
letter-writing week starts Monday"), ``school_day`` to the last school day on
or before. The responsible person is reminded ``remind_days`` before, at
``delivery_time`` school time, on a working day unless ``on_holidays``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Any

from bot.domain import lunar
from bot.domain.school_year import SchoolYear, Semester
from bot.messages.prompt import N_

ANCHOR_KINDS = ("date", "festival", "lunar", "term", "semester_start", "semester_end", "birthday")
ALIGNS = ("none", "monday", "school_day")
ROLES = ("class_teacher", "helper_teacher", "admin")
AUDIENCES = ("class", "school", "guardians", "parents", "paired")
COUNTS = ("participation", "attendance", "none")
MAX_OFFSET = 180
MAX_REMIND_DAYS = 30
HOLIDAY_LOOKBACK = 14  # days a reminder may move back to find a working day
FIELDS = ("title", "anchor", "offset", "align", "time", "remind", "role", "audience", "action", "count",
          "holidays", "active")
"""The names an edit may use (``key=value``; YAML/xlsx columns)."""


class SpecError(ValueError):
    """A programme item field that cannot be used.

    Attributes:
        field: the field's name (:data:`FIELDS`, ``code``).
        message_id: why, as a message id (``N_``) with ``{field}`` / ``{value}`` parameters.
        value: what was given.
    """

    def __init__(self, field: str, message_id: str, value: str = "") -> None:
        super().__init__(f"{field}: {value!r}")
        self.field = field
        self.message_id = message_id
        self.value = value


BAD_VALUE = N_("“{value}” is not a valid value for {field}.")
UNKNOWN_FIELD = N_("There is no field called {field}. Fields: title, anchor, offset, align, time, remind, role, "
                   "audience, action, count, holidays, active.")
BAD_CODE = N_("“{value}” cannot be an item code: use 1–40 letters, digits, _ or - (Chinese characters too).")

_CODE = re.compile(r"[\w-]{1,40}")
_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class Anchor:
    """What an item's dates are counted from (see module doc)."""

    kind: str
    value: str = ""

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """Read ``kind[:value]``.

        Raises:
            SpecError: unknown kind, or a value that kind does not take.
        """
        raw = text.strip().replace("：", ":")
        kind, _, value = raw.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        anchor = cls(kind, value)
        try:
            anchor.dates(2026, [])  # validates the value
        except (KeyError, ValueError) as exc:
            raise SpecError("anchor", BAD_VALUE, text) from exc
        return anchor

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    def dates(self, year: int, semesters: list[Semester]) -> list[date]:
        """The anchor's dates in Gregorian ``year`` (birthdays: see :func:`birthday_date`).

        Raises:
            ValueError: a malformed value; KeyError: an unknown festival or term.
        """
        if self.kind == "date":
            if len(self.value) == 10:
                once = date.fromisoformat(self.value)
                return [once] if once.year == year else []
            return [_month_day(year, self.value)]
        if self.kind == "festival":
            return [lunar.festival_date(self.value, year)]
        if self.kind == "lunar":
            month, day = _parse_month_day(self.value)
            return [lunar.lunar_to_solar(year, month, day)]
        if self.kind == "term":
            return [lunar.solar_term_date(self.value, year)]
        if self.kind in ("semester_start", "semester_end"):
            if self.value not in ("", "spring", "autumn"):
                raise ValueError(self.value)
            picked = [s for s in semesters if not self.value or s.season == self.value]
            days = [s.starts_on if self.kind == "semester_start" else s.ends_on for s in picked]
            return sorted(d for d in days if d.year == year)
        if self.kind == "birthday":
            if self.value not in ("guardian", "parent"):
                raise ValueError(self.value)
            return []
        raise ValueError(self.kind)


def _parse_month_day(value: str) -> tuple[int, int]:
    match = _MONTH_DAY.fullmatch(value)
    if match is None:
        raise ValueError(value)
    return int(match[1]), int(match[2])


def _month_day(year: int, value: str) -> date:
    month, day = _parse_month_day(value)
    if (month, day) == (2, 29):
        return date(year, 2, 29) if _leap(year) else date(year, 2, 28)
    return date(year, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday_date(birthday: str, year: int) -> date | None:
    """The birthday in Gregorian ``year``: ``MM-DD`` (solar; 29 Feb → 28 Feb) or ``lunar:MM-DD``; None if malformed."""
    try:
        if birthday.startswith("lunar:"):
            month, day = _parse_month_day(birthday[6:])
            return lunar.lunar_to_solar(year, month, day)
        return _month_day(year, birthday)
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class ItemSpec:
    """One programme item (the ``programme_items`` row as the domain sees it).

    Attributes:
        code: unique per school (``letter_mid_autumn``; the school's own may be Chinese).
        title: a message id (seeded items, ``title_is_id``) or the school's own words.
        anchor: what the dates count from.
        offset_days: days after the anchor (negative: before), −180 … 180.
        align: ``none`` / ``monday`` / ``school_day``.
        delivery_time: when reminders go out, school time.
        remind_days: how many days before the start the responsible person is reminded (0–30).
        role: who is reminded (:data:`ROLES`): each class teacher (for the children of their class),
            each helper teacher (their paired children) or the school's admins and leaders.
        audience: who takes part (:data:`AUDIENCES`), shown in the reminder.
        action: what to do (message id for seeded items, else the school's words); may be empty.
        count: what "done" asks to count (:data:`COUNTS`).
        on_holidays: reminders may go out on weekends and official holidays.
        active: planned at all.
        title_is_id: ``title`` and ``action`` are message ids (translated), not the school's text.
    """

    code: str
    title: str
    anchor: Anchor
    offset_days: int = 0
    align: str = "none"
    delivery_time: time = time(8, 0)
    remind_days: int = 3
    role: str = "class_teacher"
    audience: str = "class"
    action: str = ""
    count: str = "participation"
    on_holidays: bool = False
    active: bool = True
    title_is_id: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def edited(self, values: Mapping[str, str]) -> ItemSpec:
        """A copy with ``values`` (field name → text, as typed or read from a file) applied.

        Raises:
            SpecError: an unknown field or a value that field does not take.
        """
        changes: dict[str, Any] = {}
        for raw_key, raw in values.items():
            key, value = raw_key.strip().lower(), str(raw).strip()
            if key not in FIELDS:
                raise SpecError(key, UNKNOWN_FIELD, value)
            changes.update(_field(key, value))
        if "title" in changes or "action" in changes:
            changes["title_is_id"] = False
            if "title" not in changes and self.title_is_id:
                changes["title"] = self.title
        return replace(self, **changes)


_BOOL = {"yes": True, "y": True, "true": True, "1": True, "on": True, "是": True, "开": True,
         "no": False, "n": False, "false": False, "0": False, "off": False, "否": False, "关": False}


def _field(key: str, value: str) -> dict[str, Any]:
    """One field's typed value (see :meth:`ItemSpec.edited`)."""
    try:
        if key == "title":
            if not 1 <= len(value) <= 100:
                raise ValueError(value)
            return {"title": value}
        if key == "action":
            if len(value) > 300:
                raise ValueError(value)
            return {"action": value}
        if key == "anchor":
            return {"anchor": Anchor.parse(value)}
        if key in ("offset", "remind"):
            number = int(value.replace("+", ""))
            limit = MAX_OFFSET if key == "offset" else MAX_REMIND_DAYS
            if not (-limit if key == "offset" else 0) <= number <= limit:
                raise ValueError(value)
            return {"offset_days" if key == "offset" else "remind_days": number}
        if key == "time":
            return {"delivery_time": time.fromisoformat(value.replace("：", ":").zfill(5))}
        if key in ("holidays", "active"):
            return {"on_holidays" if key == "holidays" else "active": _BOOL[value.lower()]}
        choices = {"align": ALIGNS, "role": ROLES, "audience": AUDIENCES, "count": COUNTS}[key]
        if value.lower() not in choices:
            raise ValueError(value)
        return {key: value.lower()}
    except SpecError:
        raise
    except (ValueError, KeyError) as exc:
        raise SpecError(key, BAD_VALUE, value) from exc


def check_code(code: str) -> str:
    """The item code, stripped.

    Raises:
        SpecError: empty, too long, or with characters other than letters, digits, ``_`` and ``-``.
    """
    code = code.strip()
    if not _CODE.fullmatch(code):
        raise SpecError("code", BAD_CODE, code)
    return code


def start_date(anchor_day: date, spec: ItemSpec, year: SchoolYear) -> date:
    """The occurrence's first day: anchor + offset, then aligned (see module doc)."""
    day = anchor_day + timedelta(days=spec.offset_days)
    if spec.align == "monday":
        return day - timedelta(days=day.weekday())
    if spec.align == "school_day":
        for back in range(31):
            candidate = day - timedelta(days=back)
            if year.is_school_day(candidate):
                return candidate
    return day


def remind_date(start: date, spec: ItemSpec, year: SchoolYear) -> date:
    """The day the responsible person is reminded: ``remind_days`` before the start, moved back to a working day.

    With ``on_holidays`` the day is kept. Otherwise the reminder moves back (at
    most :data:`HOLIDAY_LOOKBACK` days) to the nearest working day, then, if
    none, forward to the first working day; a reminder never falls on a
    holiday or weekend unless the item allows it.
    """
    day = start - timedelta(days=spec.remind_days)
    if spec.on_holidays or year.workdays.is_workday(day):
        return day
    for back in range(1, HOLIDAY_LOOKBACK + 1):
        if year.workdays.is_workday(day - timedelta(days=back)):
            return day - timedelta(days=back)
    while not year.workdays.is_workday(day):  # pragma: no cover - a fortnight without a working day
        day += timedelta(days=1)
    return day
