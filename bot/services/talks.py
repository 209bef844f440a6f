"""Talk records (谈心记录卡): monthly by the class teacher, weekly by a helper or volunteer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import TalkKind, TaskKind
from bot.domain.periods import month_period, week_period
from bot.services import access, consent, identity, safety_concerns
from bot.services.access import Purpose
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import Child, School, SchoolClass, TalkRecord, Task

log = logging.getLogger(__name__)


class NoConsent(PermissionError):
    """The child's guardian has not agreed to the privacy notice (or withdrew): no talk record is kept."""


class ChildNotInScope(LookupError):
    """The author may not log a talk for this child (unknown, inactive, or outside their classes and pairings).

    Flows answer it like an unknown name: an out-of-scope child is
    indistinguishable from an unknown one (``bot.services.access``).
    """


def kind_for(uow: UnitOfWork, *, author_id: int, child_id: int) -> str:
    """The kind of talk the author owes this child, from their relation to it, not their role (issue 9, item 2).

    The child's class teacher owes the monthly talk; a paired helper teacher or
    caring parent the weekly one — so a class teacher who is also another
    class's helper files her talk with that child as the weekly one, and the
    child's own class teacher's monthly talk stays due.
    """
    teacher = uow.session.scalar(
        select(SchoolClass.class_teacher_id).join(Child, Child.class_id == SchoolClass.id).where(Child.id == child_id))
    return TalkKind.CLASS_TEACHER_MONTHLY if teacher == author_id else TalkKind.VOLUNTEER_WEEKLY


@dataclass(frozen=True)
class Recorded:
    """The talks an author already recorded with a child in the current period of the kind they owe.

    Attributes:
        kind: the ``TalkKind`` value owed (monthly for the child's class teacher, weekly otherwise).
        times: ``talked_at`` (UTC) of each record of this period by this author, oldest first.
    """

    kind: str
    times: tuple[datetime, ...]


def recorded_this_period(uow: UnitOfWork, *, author_id: int, child_id: int, now: datetime) -> Recorded:
    """This month's (class teacher) or this week's (helper, volunteer) talks by the author with the child.

    The period is taken in the school's zone, as :func:`log_talk` files it, so
    a talk at 23:30 on the last day of the month counts in that month.

    Raises:
        RecordNotFound: (a ``LookupError``) no such child; the caller picked it in scope a moment ago.
    """
    session = uow.session
    child = get_or_raise(session, Child, child_id)
    kind = kind_for(uow, author_id=author_id, child_id=child_id)
    timezone = get_or_raise(session, School, child.school_id).timezone
    period = month_period(now, timezone) if kind == TalkKind.CLASS_TEACHER_MONTHLY else week_period(now, timezone)
    times = session.scalars(
        select(TalkRecord.talked_at).where(TalkRecord.child_id == child_id, TalkRecord.author_id == author_id,
                                           TalkRecord.kind == str(kind), TalkRecord.period == period)
        .order_by(TalkRecord.talked_at, TalkRecord.id))
    return Recorded(str(kind), tuple(times))


def log_talk(
    uow: UnitOfWork,
    *,
    author_id: int,
    child_id: int,
    kind: str,
    mood: str | None,
    study: str | None,
    daily_life: str | None,
    safety_concern: bool,
    note: str | None,
    follow_up: bool,
    now: datetime,
    request_key: str,
) -> int:
    """Save a talk record card; idempotent by ``request_key``.

    Args:
        uow: the unit of work (the caller commits).
        child_id: the child talked with.
        author_id: the teacher or volunteer who talked with the child. Access
            is checked again here, at save time, with
            ``access.can_act_on_child(..., Purpose.TALK)``: the child may have
            left the roster or the author's scope since it was picked.
        kind: ``TalkKind`` value.
        mood: ``Rating`` value or None.
        study: ``Rating`` value or None.
        daily_life: ``Rating`` value or None.
        safety_concern: a safety concern came up: the author and the school's
            safeguarding lead get a follow-up task and the lead is told
            (:func:`bot.services.safety_concerns.follow_up_safety_concern`).
        note: free text (stored, never logged).
        follow_up: True creates a ``TALK_FOLLOW_UP`` task for the author.
        now: UTC time of the talk; the period is taken in the school's zone.
        request_key: e.g. ``"talk:{conversation}:{version}"``; a second call with
            the same key returns the first record's id and writes nothing.

    Returns:
        The talk record id. The caller commits.

    Raises:
        ChildNotInScope: (a ``LookupError``) no such child, or not in the
            author's TALK scope now (inactive, moved to another class,
            unpaired, role removed). Nothing is written.
        NoConsent: the child's guardian has not agreed to the privacy notice. Nothing is written.
    """
    session = uow.session
    existing = session.scalar(select(TalkRecord.id).where(TalkRecord.request_key == request_key))
    if existing is not None:
        return existing
    child = session.get(Child, child_id)
    author = identity.actor_of(uow, author_id)
    if child is None or author is None or not access.can_act_on_child(uow, author, child_id, purpose=Purpose.TALK):
        log.info("talk by person %s for child %s refused: not in scope", author_id, child_id)
        raise ChildNotInScope(f"child {child_id}")
    if not consent.is_granted(uow, child_id):
        log.info("talk by person %s for child %s refused: no consent", author_id, child_id)
        raise NoConsent(f"child {child_id}")
    timezone = get_or_raise(session, School, child.school_id).timezone
    period = month_period(now, timezone) if kind == TalkKind.CLASS_TEACHER_MONTHLY else week_period(now, timezone)
    record = TalkRecord(
        child_id=child_id,
        author_id=author_id,
        kind=str(kind),
        period=period,
        talked_at=now,
        mood=mood,
        study=study,
        daily_life=daily_life,
        safety_concern=bool(safety_concern),
        note=note,
        follow_up=bool(follow_up),
        request_key=request_key,
    )
    session.add(record)
    session.flush()
    if follow_up:
        session.add(
            Task(
                key=f"talk-follow-up:{record.id}",
                kind=TaskKind.TALK_FOLLOW_UP.value,
                child_id=child_id,
                assignee_id=author_id,
                detail=note,
                created_at=now,
            )
        )
        session.flush()
    if safety_concern:
        safety_concerns.follow_up_safety_concern(uow, record_id=record.id, author_id=author_id, child_id=child_id,
                                                 note=note, now=now)
    log.info("talk record %s saved by person %s for child %s", record.id, author_id, child_id)
    return record.id
