"""What is due: talks per teacher this period (contract stub)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.uow import UnitOfWork


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


def talks_due(uow: UnitOfWork, *, person_id: int, now: datetime, timezone: str) -> list[DueTalk]:
    """Talks the person still owes in the current period (monthly for class teachers, weekly for volunteers)."""
    raise NotImplementedError
