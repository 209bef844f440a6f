"""The family phone and video room's weekly slots (亲情电话): a small text format, and the slots it opens.

A room's slots are written the way a school would put them on the door::

    mon-fri 16:30-17:30/15            # weekdays, four 15-minute slots from 16:30
    tue,thu 16:30-17:30/20; sat 09:00-10:00/30

Each part is ``days start-end/minutes``; days are ``mon`` … ``sun``, single
(``sat``), listed (``tue,thu``) or a range (``mon-fri``). Times are school
time. :func:`parse` refuses anything else with a :class:`SlotError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_SLOTS = "mon-fri 16:30-17:30/15"
_PART = re.compile(r"([a-z,\-]+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*/\s*(\d{1,3})")


class SlotError(ValueError):
    """A slot text that cannot be read; the message says which part."""


@dataclass(frozen=True)
class Window:
    """Slots of ``minutes`` from ``start`` to ``end`` on the given weekdays (0 = Monday)."""

    weekdays: frozenset[int]
    start: time
    end: time
    minutes: int


def _days(text: str) -> frozenset[int]:
    found: set[int] = set()
    for piece in text.split(","):
        first, _, last = piece.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise SlotError(f"unknown day in {text!r}: use mon … sun")
        a, b = DAYS.index(first), DAYS.index(last or first)
        if b < a:
            raise SlotError(f"day range backwards in {text!r}")
        found.update(range(a, b + 1))
    return frozenset(found)


def parse(spec: str) -> tuple[Window, ...]:
    """The windows of a slot text.

    Raises:
        SlotError: a part is not ``days HH:MM-HH:MM/minutes``, a time is out of
            range, the end is not after the start, or the minutes are not 5–240.
    """
    windows = []
    for raw in spec.lower().split(";"):
        part = raw.strip()
        if not part:
            continue
        match = _PART.fullmatch(part)
        if match is None:
            raise SlotError(f"cannot read {part!r}: write it like mon-fri 16:30-17:30/15")
        try:
            start = time(int(match[2]), int(match[3]))
            end = time(int(match[4]), int(match[5]))
        except ValueError as exc:
            raise SlotError(f"a time out of range in {part!r}") from exc
        minutes = int(match[6])
        if end <= start or not 5 <= minutes <= 240:
            raise SlotError(f"the end must come after the start, and slots last 5 to 240 minutes: {part!r}")
        windows.append(Window(_days(match[1]), start, end, minutes))
    if not windows:
        raise SlotError("no slots given")
    return tuple(windows)


def starts_on(windows: tuple[Window, ...], day: date, tz: str) -> list[tuple[datetime, int]]:
    """``(start in UTC, minutes)`` of every slot on one school-local day, in order."""
    zone = ZoneInfo(tz)
    found = []
    for window in windows:
        if day.weekday() not in window.weekdays:
            continue
        at = datetime.combine(day, window.start, tzinfo=zone)
        end = datetime.combine(day, window.end, tzinfo=zone)
        while at + timedelta(minutes=window.minutes) <= end:
            found.append((at.astimezone(UTC), window.minutes))
            at += timedelta(minutes=window.minutes)
    return sorted(set(found))
