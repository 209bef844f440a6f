"""The periods an official may ask figures for: whole calendar months, terms and school years only.

Officials see aggregates with counts under five suppressed (issue 9). Two
arbitrary date ranges that differ by a day give two aggregates whose
difference is one child's figures (``2026-11-01~2026-11-09`` against
``~2026-11-10``: "5 children, 1000 yuan" and "6 children, 2234.56 yuan" tell
one child's cash aid), so an official chooses from a fixed grid of periods,
as the issue asks ("for a month, a semester or a year"); a past term or school year is chosen by name
(``上学期``, ``2025-2026学年第一学期``: :mod:`bot.services.figures_terms`). A school's own
staff, who see each child's records anyway, keep any range.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.figures import PeriodKind, ReportPeriod, month_period
from bot.messages.prompt import N_
from bot.services import school_year
from bot.services.figures import SCHOOL_ROLES
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork

WHOLE_PERIODS_ONLY = N_("Officials see figures for whole periods only: a month (2026-11), this term (学期), this "
                        "school year (学年), a past term or school year by name (上学期, 上学年, "
                        "2025-2026学年第一学期), or a term's or school year's exact first and last day "
                        "(2026-09-01~2027-01-20). Figures for other spans could be subtracted from one another "
                        "to single out a few children.")
"""Said to an official who typed any other range (chat, ``guanai report``, the dashboard)."""


def is_official(actor: Actor) -> bool:
    """Whether the actor reads figures as an official (no school role: ``figures.report_for`` gives them aggregates)."""
    return not SCHOOL_ROLES & actor.roles


def whole_period(uow: UnitOfWork, school_id: int, period: ReportPeriod) -> ReportPeriod | None:
    """The period as an official may have it, or None when it is an arbitrary range.

    A month, a term or a school year passes as it is. A typed range passes when it is exactly a calendar
    month, one of the school's terms, or a school year (an autumn term's first day to the next spring
    term's last), and is then labelled as that.

    Args:
        uow: the unit of work (the school's terms).
        school_id: the school whose calendar defines the terms (the official's own school).
        period: the period as read by :func:`bot.services.figures_text.period_from_text`.
    """
    if period.kind is not PeriodKind.RANGE:
        return period
    first, last = period.first, period.last
    if first.day == 1 and (first.year, first.month) == (last.year, last.month) \
            and (last + timedelta(days=1)).day == 1:
        return month_period(first.year, first.month)
    terms = school_year.school_year(uow, school_id, first).semesters
    if any((t.starts_on, t.ends_on) == (first, last) for t in terms):
        return ReportPeriod(PeriodKind.SEMESTER, first, last)
    for autumn, spring in zip(terms, terms[1:], strict=False):
        if autumn.starts_on.month >= 8 and (autumn.starts_on, spring.ends_on) == (first, last):
            return ReportPeriod(PeriodKind.YEAR, first, last)
    return None
