"""Where an incident most likely happened, and so which close outcomes come first (new-user trial LOW-9).

王老师 closed a Friday 18:30 "放学路上摔伤了膝盖" (hurt on the way home) and the first outcome offered was
「孩子在学校，安全」— read as the answer by a hurried teacher, and then told to the parents. The closer now
reads the likely outcomes first: the child's own words about the place decide (``放学路上``, ``晚自习``), else
the time it was reported (a school day's school hours: at school). The order only moves choices; none is
ever picked for the closer.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.domain.enums import IncidentKind, IncidentOutcome
from bot.domain.traditional import simplified

AWAY_WORDS = ("路上", "放学", "回家", "在家", "家里", "家中", "周末", "假期", "村里", "河边", "河里", "水库", "池塘",
              "on the way", "at home", "after school", "weekend", "holiday", "village", "river")
"""Words placing the incident away from school; read before :data:`SCHOOL_WORDS` (``从学校回家的路上``)."""
SCHOOL_WORDS = ("学校", "校园", "校内", "操场", "教室", "宿舍", "晚自习", "课间", "上课", "食堂", "体育课",
                "at school", "school", "playground", "classroom", "dorm", "in class", "break time", "canteen")
"""Words placing the incident at school (a boarding school's 晚自习 at 22:30 included)."""
SCHOOL_HOURS = (time(7, 0), time(17, 30))
"""Local hours of a school day in which an incident without words about its place is taken to be at school."""

_AT_SCHOOL = (IncidentOutcome.SAFE_AT_SCHOOL, IncidentOutcome.SAFE_AT_HOME, IncidentOutcome.CLINIC_OR_HOSPITAL,
              IncidentOutcome.FOUND, IncidentOutcome.REFERRED, IncidentOutcome.OTHER)
_AWAY = (IncidentOutcome.SAFE_AT_HOME, IncidentOutcome.CLINIC_OR_HOSPITAL, IncidentOutcome.FOUND,
         IncidentOutcome.SAFE_AT_SCHOOL, IncidentOutcome.REFERRED, IncidentOutcome.OTHER)
# A suspected abuse or neglect report: home may be where the harm is, so "safe at home" is never read first
# (trial B6): at school, handed to child protection or the police, hospital, other — home last.
_SAFEGUARDING = (IncidentOutcome.SAFE_AT_SCHOOL, IncidentOutcome.REFERRED, IncidentOutcome.CLINIC_OR_HOSPITAL,
                 IncidentOutcome.FOUND, IncidentOutcome.OTHER, IncidentOutcome.SAFE_AT_HOME)


def at_school(description: str, local: datetime, *, school_day: bool, boarding: bool = False) -> bool:
    """Whether the incident most likely happened at school: its words first, else the school day's hours.

    A boarder (roster 是否寄宿) is at school the whole school day, evening included.
    """
    words = simplified(description or "").lower()
    if any(w in words for w in AWAY_WORDS):
        return False
    if any(w in words for w in SCHOOL_WORDS):
        return True
    return school_day and (boarding or SCHOOL_HOURS[0] <= local.time() < SCHOOL_HOURS[1])


def outcome_order(kind: str, *, school: bool) -> list[IncidentOutcome]:
    """The close outcomes, the likeliest first: where it happened; "found" first for a missing child.

    A suspected abuse report has its own order, home last.
    """
    if kind == IncidentKind.SUSPECTED_ABUSE:
        return list(_SAFEGUARDING)
    order = list(_AT_SCHOOL if school else _AWAY)
    if kind == IncidentKind.MISSING:
        order.remove(IncidentOutcome.FOUND)
        order.insert(0, IncidentOutcome.FOUND)
    return order
