"""Weekly guardian check-ins (contract stub; implemented by the scheduler work)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.store.uow import UnitOfWork


class AnswerResult(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"  # answered before: the first answer stands
    NOT_YOURS = "not_yours"  # not this guardian's check-in (deny)


def record_checkin_answer(
    uow: UnitOfWork, *, guardian_id: int, checkin_id: int, answer: str, now: datetime
) -> AnswerResult:
    """Record the one-tap answer; "needs_help" creates a follow-up task for the helper teacher and tells them at once."""
    raise NotImplementedError


def record_checkin_note(uow: UnitOfWork, *, guardian_id: int, checkin_id: int, note: str, now: datetime) -> None:
    """Store the optional free-text follow-up of an answered check-in (appends to the helper teacher's task)."""
    raise NotImplementedError
