"""Talk duties: who owes which talk, which talk meets it, and where it counts (pure; issue 9).

The plans ask each left-behind child's class teacher (班主任) for a talk every
calendar month, and each helper paired with the child — a helper teacher
(帮扶教师) and a caring-parent volunteer (爱心妈妈/爸爸) — for a talk every
ISO week. A *duty* is one person's talk with one child in one period
(``"2026-11"`` or ``"2026-W49"``, school time, ``bot.domain.periods``).
``bot.services.due`` (``/due``, the digest) and ``bot.services.figures``
(``/report``, the xlsx, the dashboard) both take these rules from here:

1. **A duty is its holder's own.** Only a talk its holder recorded with that
   child, of that kind, in that period meets it (:func:`duty_key`). A child
   paired with a helper teacher and a caring parent is owed two weekly talks:
   the helper teacher's talk does not take the volunteer's off ``/due``, and
   completion per teacher credits only the person who talked. A month's talk is
   the child's with their class teacher, one at a time: it meets the month's
   duty whoever holds the class later that month (a class teacher changed by a
   re-import does not undo her predecessor's talk, issue 9); only a class
   teacher's talk is a monthly one (``bot.services.talks.kind_for``).
2. **Only days the school used the bot owe anything** (:func:`days_in_use`):
   a period counts from the local day the school started (its first import),
   so one that ended before is owed nothing — and neither is the period it
   started in when fewer than :data:`MIN_DAYS_IN_USE` (7) of its days remain,
   counting the first day: nobody can be behind after a day or two. A school
   starting on 30 November owes nothing for November, one starting on 4
   December owes December (28 days); a week is owed only when the school
   started on (or before) its Monday. Nor is one with no school day from then
   on (``bot.services.school_year.paused_by``: a school starting in the winter
   vacation owes nothing for January).
3. **A duty counts in a report in one month** (:func:`counts_in`). Weeks are
   Monday–Sunday, China's school week (ISO 8601), and a week belongs to the
   month of its Sunday, done or missed: week 49 of 2026 (Monday 30 November to
   Sunday 6 December) counts in December, whether its talk was held on Monday
   30 November, on Friday 4 December or not at all. A monthly talk counts in
   its month, the month of its date (met or not). Every duty counts in exactly
   one month, so months add up to a term; a running period not yet met counts,
   as still owed, in the report holding its deadline. A report ending before a
   week's Sunday (a term ending on a Wednesday) leaves that week to the next.
"""

from __future__ import annotations

from datetime import date

from bot.domain.enums import TalkKind
from bot.domain.figures import ReportPeriod
from bot.domain.periods import period_days

MIN_DAYS_IN_USE = 7
"""A period the school started in is owed only when at least this many of its days remain (rule 2)."""

DutyKey = tuple[int, int, str, str]
"""(child id, person id, ``TalkKind`` value, period)."""


def duty_key(child_id: int, person_id: int, kind: str, period: str) -> DutyKey:
    """The identity of a person's talk duty with a child in a period, and of the talks that meet it (rule 1).

    A talk record's key is made from its author,
    ``duty_key(record.child_id, record.author_id, record.kind, record.period)``;
    it meets the duty with the same key and no other. A monthly duty is the child's month, whoever was the class
    teacher then (rule 1): its key holds no person (0).
    """
    return (child_id, 0 if str(kind) == TalkKind.CLASS_TEACHER_MONTHLY.value else person_id, str(kind), period)


def days_in_use(period: str, started: date | None) -> tuple[date, date] | None:
    """The first and last local day of ``period`` on which the school used the bot (rule 2).

    Args:
        period: ``"2027-01"`` or ``"2027-W03"``.
        started: the local day the school started using the bot; None when unknown (every day counts).

    Returns:
        The days, or None when the period is not owed: it ended before the school started, or the school
        started with fewer than :data:`MIN_DAYS_IN_USE` of its days left (30 November, a week's Tuesday).
    """
    first, last = period_days(period)
    if started is not None and started > first:
        first = started
        if (last - first).days + 1 < MIN_DAYS_IN_USE:
            return None
    return (first, last) if first <= last else None


def counts_in(report: ReportPeriod, period: str, met_on: date | None) -> bool:
    """Whether a duty of ``period`` counts in ``report`` (rule 3).

    A week counts on its Sunday, done or missed; a month on the date of its
    talk, or its last day when missed (the same month either way).

    Args:
        report: the dates the report covers.
        period: the duty's month or ISO week.
        met_on: local date of the first talk that met the duty, None when none did.
    """
    last = period_days(period)[1]
    day = met_on if met_on is not None and "-W" not in period else last
    return report.first <= day <= report.last
