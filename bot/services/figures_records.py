"""The record queries behind :mod:`bot.services.figures`: a period's bounds, the talks held, the programme done.

Split from ``figures`` (module size): what these read is explained there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.domain.figures import Rate, ReportPeriod
from bot.domain.talk_duties import DutyKey, duty_key
from bot.services import duties
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ProgrammeOccurrence, ProgrammeTask, TalkRecord


def period_bounds(period: ReportPeriod, tz: str) -> tuple[datetime, datetime]:
    """The period's first and day-after-last local midnights in zone ``tz``, as aware UTC datetimes."""
    zone = ZoneInfo(tz)
    start = datetime.combine(period.first, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(period.last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def report_periods(owed: duties.Owed, school_id: int, period: ReportPeriod,
                    today: date) -> tuple[list[str], list[str]]:
    """The months and ISO weeks overlapping the period, begun by ``today``, in which the school owed talks.

    Owed: from the day the school started using the bot, out of vacation
    (``duties.Owed.in_use``, as ``/due``); a school that has not started owes nothing.
    """
    if owed.started(school_id) is None:
        return [], []
    return ([m for m in period.months(today) if owed.in_use(school_id, duties.MONTHLY, m)],
            [w for w in period.weeks(today) if owed.in_use(school_id, duties.WEEKLY, w)])


def met_on(uow: UnitOfWork, school_id: int, periods: list[str], tz: str,
            authors: dict[DutyKey, int] | None = None) -> dict[DutyKey, date]:
    """The duties met in ``periods`` (``talk_duties.duty_key``) → the local date of the first talk meeting each.

    ``authors``, when given, gets who held each first talk (a month's may be a former class teacher's).
    """
    met: dict[DutyKey, date] = {}
    if not periods:
        return met
    zone = ZoneInfo(tz)
    for child_id, author_id, kind, talk_period, talked_at in uow.session.execute(
        select(TalkRecord.child_id, TalkRecord.author_id, TalkRecord.kind, TalkRecord.period, TalkRecord.talked_at)
        .join(Child, Child.id == TalkRecord.child_id)
        .where(Child.school_id == school_id, TalkRecord.period.in_(periods))
    ).all():
        key, day = duty_key(child_id, author_id, kind, talk_period), talked_at.astimezone(zone).date()
        if key not in met or day < met[key]:
            met[key] = day
            if authors is not None:
                authors[key] = author_id
    return met


def programme_done(uow: UnitOfWork, school_id: int, period: ReportPeriod) -> Rate:
    """Programme reminders answered "done", of those sent, for occurrences in the period."""
    rows = uow.session.execute(
        select(ProgrammeTask.status, func.count(ProgrammeTask.id))
        .join(ProgrammeOccurrence, ProgrammeOccurrence.id == ProgrammeTask.occurrence_id)
        .where(ProgrammeOccurrence.school_id == school_id, ProgrammeTask.reminded_at.is_not(None),
               ProgrammeOccurrence.starts_on.between(period.first, period.last))
        .group_by(ProgrammeTask.status)
    ).all()
    return Rate(sum(n for status, n in rows if status == "done"), sum(n for _s, n in rows))
