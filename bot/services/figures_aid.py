"""The aid records' part of the figures for superiors: children given aid in a period, and the cash given.

The roster's 救助帮扶 column says which children the registration form lists
as receiving aid; what the school actually gave is in the aid records
(``bot.services.aid``: entered with ``/aid`` or imported). The figures show
both (:func:`bot.domain.figures.shown_aid`). Cash is the records of kind
cash (现金, 助学金 …) with an amount; goods, stationery, fee waivers and
allowances count as aid given but not as cash, even when a value was noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from bot.domain.enums import AidKind
from bot.domain.figures import ReportPeriod
from bot.services.ports import UnitOfWork
from bot.store.models import AidRecord


@dataclass(frozen=True)
class ChildAid:
    """One child's aid records in a period: whether any was cash, and the cash total in yuan."""

    child_id: int
    cash_given: bool
    cash: Decimal


def given(uow: UnitOfWork, school_id: int, period: ReportPeriod) -> Iterator[ChildAid]:
    """Each child of the school with an aid record dated in ``period`` (the child's school at the time)."""
    cash: dict[int, Decimal | None] = {}
    for child_id, kind, amount in uow.session.execute(
        select(AidRecord.child_id, AidRecord.kind, AidRecord.amount)
        .where(AidRecord.school_id == school_id, AidRecord.given_on.between(period.first, period.last))
    ).all():
        total = cash.setdefault(child_id, None)
        if kind == AidKind.CASH.value and amount is not None:
            cash[child_id] = (total or Decimal(0)) + amount
    for child_id, total in cash.items():
        yield ChildAid(child_id, total is not None, total or Decimal(0))
