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
   completion per teacher credits only the person who talked.
2. **Only days the school used the bot owe anything** (:func:`days_in_use`):
   a period counts from the local day the school started (its first import),
   so one that ended before is owed nothing, and one with no school day from
   then on neither (``bot.services.school_year.paused_by``: a school starting
   in the winter vacation owes nothing for January).
3. **A duty counts in a report on one day** (:func:`counts_in`): the local
   date of the talk that met it, or — never met — its deadline, the last day of
   its month or ISO week (the day ``/due`` gives). So a monthly talk counts in
   the month it was held, and for weekly completion a month owns the weeks
   whose talk was held in it, plus the missed weeks whose Sunday falls in it:
   a talk on Friday 4 December 2026 (the week of Monday 30 November) counts in
   December, one on Monday 30 November in November, and that week, missed,
   counts in December. Every duty counts in exactly one month, so months add
   up to a term; a running period not yet met counts, as still owed, in the
   report holding its deadline. A report ending before a period's deadline (a
   term ending on a Wednesday) leaves that period, if missed, to the next one.
"""

from __future__ import annotations

from datetime import date

from bot.domain.figures import ReportPeriod
from bot.domain.periods import period_days

DutyKey = tuple[int, int, str, str]
"""(child id, person id, ``TalkKind`` value, period)."""


def duty_key(child_id: int, person_id: int, kind: str, period: str) -> DutyKey:
    """The identity of a person's talk duty with a child in a period, and of the talks that meet it (rule 1).

    A talk record's key is made from its author,
    ``duty_key(record.child_id, record.author_id, record.kind, record.period)``;
    it meets the duty with the same key and no other.
    """
    return (child_id, person_id, str(kind), period)


def days_in_use(period: str, started: date | None) -> tuple[date, date] | None:
    """The first and last local day of ``period`` on which the school used the bot (rule 2).

    Args:
        period: ``"2027-01"`` or ``"2027-W03"``.
        started: the local day the school started using the bot; None when unknown (every day counts).

    Returns:
        The days, or None when the period ended before the school started.
    """
    first, last = period_days(period)
    if started is not None and started > first:
        first = started
    return (first, last) if first <= last else None


def counts_in(report: ReportPeriod, period: str, met_on: date | None) -> bool:
    """Whether a duty of ``period`` counts in ``report`` (rule 3).

    Args:
        report: the dates the report covers.
        period: the duty's month or ISO week.
        met_on: local date of the first talk that met the duty, None when none did.
    """
    day = met_on if met_on is not None else period_days(period)[1]
    return report.first <= day <= report.last
