"""What is due: talks per teacher this period.

School plans: every active left-behind child needs a talk with the class
teacher each calendar month and a talk with a volunteer (helper teacher or
caring parent, 帮扶教师 / 爱心家长) each ISO week, each with a record card.
Periods are counted in the school's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import RelationKind, TalkKind
from bot.domain.periods import (
    month_bounds,
    month_period,
    previous_month_period,
    previous_week_period,
    week_bounds,
    week_period,
)
from bot.flows.prompt import N_, dt, text
from bot.store.models import Child, ChildRelation, SchoolClass, TalkRecord
from bot.store.uow import UnitOfWork

_VOLUNTEER_KINDS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)


@dataclass(frozen=True)
class DueTalk:
    """A talk the person owes.

    Attributes:
        child_id, child_name, class_name: the child.
        kind: ``TalkKind`` value (monthly class-teacher or weekly volunteer talk).
        period: ``"2026-11"`` (month) or ``"2026-W48"`` (ISO week), school time.
        due_by: UTC end of the period.
        overdue: the previous period's talk is missing too.
    """

    child_id: int
    child_name: str
    class_name: str | None
    kind: str
    period: str
    due_by: datetime
    overdue: bool


def _talked(uow: UnitOfWork, kind: TalkKind, child_ids: list[int], periods: tuple[str, ...]) -> set[tuple[int, str]]:
    if not child_ids:
        return set()
    found: set[tuple[int, str]] = set()
    for i in range(0, len(child_ids), 500):  # keep IN lists well under driver parameter limits
        chunk = child_ids[i : i + 500]
        found.update(
            uow.session.execute(
                select(TalkRecord.child_id, TalkRecord.period)
                .where(TalkRecord.kind == kind.value, TalkRecord.child_id.in_(chunk), TalkRecord.period.in_(periods))
                .distinct()
            ).all()
        )
    return found


def _due(uow: UnitOfWork, children: list[Any], kind: TalkKind, period: str, previous: str,
         due_by: datetime) -> list[DueTalk]:
    talked = _talked(uow, kind, [c.id for c in children], (period, previous))
    return [
        DueTalk(c.id, c.name, c.class_name, kind.value, period, due_by, (c.id, previous) not in talked)
        for c in children
        if (c.id, period) not in talked
    ]


def talks_due(uow: UnitOfWork, *, person_id: int, now: datetime, timezone: str) -> list[DueTalk]:
    """Talks the person still owes in the current period (monthly for class teachers, weekly for volunteers).

    As class teacher: each active child of their classes without a
    ``CLASS_TEACHER_MONTHLY`` record this month. As a paired helper teacher or
    caring parent: each active paired child without a ``VOLUNTEER_WEEKLY``
    record this week (by any of the child's volunteers: the child needs one
    volunteer talk a week). ``overdue`` means the previous period has none either.

    Args:
        now: UTC now.
        timezone: the school's IANA zone; periods are local.

    Returns:
        Overdue first, then by class and child name.
    """
    s = uow.session
    month = month_period(now, timezone)
    week = week_period(now, timezone)
    class_children = s.execute(
        select(Child.id, Child.name, SchoolClass.name.label("class_name"))
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(SchoolClass.class_teacher_id == person_id, Child.active.is_(True))
    ).all()
    paired_children = s.execute(
        select(Child.id, Child.name, SchoolClass.name.label("class_name"))
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(
            Child.active.is_(True),
            Child.id.in_(
                select(ChildRelation.child_id).where(
                    ChildRelation.person_id == person_id, ChildRelation.kind.in_(_VOLUNTEER_KINDS)
                )
            ),
        )
    ).all()
    due = _due(uow, list(class_children), TalkKind.CLASS_TEACHER_MONTHLY, month, previous_month_period(month),
               month_bounds(month, timezone)[1])
    due += _due(uow, list(paired_children), TalkKind.VOLUNTEER_WEEKLY, week, previous_week_period(week),
                week_bounds(week, timezone)[1])
    return sorted(due, key=lambda d: (not d.overdue, d.class_name or "", d.child_name, d.kind))


_LINE = {
    (TalkKind.CLASS_TEACHER_MONTHLY.value, False): N_("• {child} ({class_name}): monthly talk, by {due_by}"),
    (TalkKind.CLASS_TEACHER_MONTHLY.value, True): N_(
        "• {child} ({class_name}): monthly talk, overdue (none last month either), by {due_by}"
    ),
    (TalkKind.VOLUNTEER_WEEKLY.value, False): N_("• {child} ({class_name}): weekly talk, by {due_by}"),
    (TalkKind.VOLUNTEER_WEEKLY.value, True): N_(
        "• {child} ({class_name}): weekly talk, overdue (none last week either), by {due_by}"
    ),
}


def due_lines(due: list[DueTalk]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines`` for a due list (one line per talk), for the digest and ``/due``."""
    return tuple(
        (_LINE[(d.kind, d.overdue)],
         {"child": text(d.child_name), "class_name": text(d.class_name or "—"), "due_by": dt(d.due_by)})
        for d in due
    )
