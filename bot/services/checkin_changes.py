"""A guardian changes their mind about a check-in answer just given ("改一下", "不对": issue 6 trial, item 1).

For :data:`CHANGE_WINDOW` after answering, the guardian may answer again
(:func:`change_answer`); the new answer replaces the old one. A change to
"needs help" tells the teacher as a first answer would; a change away from it
leaves the help task open (the teacher was already told, and calling once too
often is safer than not at all), and its helper teacher is told of the change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.domain.enums import CheckinAnswer, Priority
from bot.services import checkin_messages as m
from bot.services.checkins import AnswerResult, record_checkin_answer
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, Person, Task

log = logging.getLogger(__name__)
CHANGE_WINDOW = timedelta(hours=2)
"""How long after answering a check-in its answer can still be changed in words."""


@dataclass(frozen=True)
class Answered:
    """A check-in this guardian answered a short while ago."""

    checkin_id: int
    child_name: str
    answer: str


def recent_answer(uow: UnitOfWork, *, guardian_id: int, now: datetime) -> Answered | None:
    """The check-in this guardian answered last, within :data:`CHANGE_WINDOW`; None when there is none."""
    row = uow.session.execute(
        select(Checkin.id, Child.name, Checkin.answer).join(Child, Child.id == Checkin.child_id)
        .where(Checkin.guardian_id == guardian_id, Checkin.answered_at.is_not(None),
               Checkin.answered_at > now - CHANGE_WINDOW, Checkin.cancelled_at.is_(None))
        .order_by(Checkin.answered_at.desc(), Checkin.id.desc()).limit(1)).first()
    return Answered(int(row[0]), str(row[1]), str(row[2])) if row is not None and row[2] else None


def recent_for_child(uow: UnitOfWork, *, guardian_id: int, child_id: int, now: datetime) -> Answered | None:
    """This guardian's check-in about ``child_id`` answered within :data:`CHANGE_WINDOW`, the latest; else None."""
    row = uow.session.execute(
        select(Checkin.id, Child.name, Checkin.answer).join(Child, Child.id == Checkin.child_id)
        .where(Checkin.guardian_id == guardian_id, Checkin.child_id == child_id, Checkin.answered_at.is_not(None),
               Checkin.answered_at > now - CHANGE_WINDOW, Checkin.cancelled_at.is_(None))
        .order_by(Checkin.answered_at.desc(), Checkin.id.desc()).limit(1)).first()
    return Answered(int(row[0]), str(row[1]), str(row[2])) if row is not None and row[2] else None


def change_answer(uow: UnitOfWork, *, guardian_id: int, checkin_id: int, answer: str,
                  now: datetime) -> AnswerResult:
    """Replace the answer of a check-in answered within :data:`CHANGE_WINDOW` (the caller commits).

    Returns:
        ``RECORDED`` (also when the answer is the same); ``ALREADY`` when the
        check-in is unanswered or was answered too long ago; otherwise what
        :func:`~bot.services.checkins.record_checkin_answer` returns.
    """
    value = CheckinAnswer(answer)  # raises ValueError
    s = uow.session
    checkin = s.get(Checkin, checkin_id)
    if checkin is None or checkin.guardian_id != guardian_id:
        return AnswerResult.NOT_YOURS
    if checkin.answered_at is None or checkin.answered_at <= now - CHANGE_WINDOW:
        return AnswerResult.ALREADY
    if checkin.answer == value.value:
        return AnswerResult.RECORDED
    old = checkin.answer
    checkin.answered_at, checkin.answer = None, None
    result = record_checkin_answer(uow, guardian_id=guardian_id, checkin_id=checkin_id, answer=value.value, now=now)
    if result != AnswerResult.RECORDED:
        return result
    task = s.scalar(select(Task).where(Task.key == f"help:checkin:{checkin.id}"))
    if task is not None and old == CheckinAnswer.NEEDS_HELP.value and task.assignee_id is not None:
        child, guardian = s.get(Child, checkin.child_id), s.get(Person, guardian_id)
        prompt = m.changed_away_prompt(guardian=guardian.name if guardian else "", child=child.name if child else "",
                                       answer=value.value)
        enqueue(s, key=f"task:{task.id}:changed:{value.value}:{now:%Y%m%d%H%M%S}", person_id=task.assignee_id,
                priority=Priority.URGENT, now=now, prompt=prompt, child_id=checkin.child_id)
    s.flush()
    log.info("check-in %s answer changed", checkin_id)
    return result
