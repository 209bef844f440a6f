"""The month's shareable facts of many children at once, for the monthly news (``bot.services.family_news``).

Drafting a school's news reads each kind of record once per batch of
children (talk ratings, talk counts, check-ins, letters, the programme items
done), grouped by child, instead of a handful of queries per child; only
the shareable parts are read (``bot.domain.family_news``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select

from bot.domain import family_news
from bot.domain.enums import TalkKind
from bot.domain.periods import month_bounds
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    Letter,
    ProgrammeItem,
    ProgrammeOccurrence,
    ProgrammeTask,
    SchoolClass,
    TalkRecord,
)

BATCH = 500  # children per IN list


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def compose_many(uow: UnitOfWork, *, school_ids: Sequence[int], child_ids: list[int], period: str, tz: str
                 ) -> dict[int, dict[str, Any]]:
    """``child id → facts`` (``bot.domain.family_news.facts``) of these schools' children for one month."""
    s = uow.session
    start, end = month_bounds(period, tz)
    ratings: dict[int, Any] = {}
    talks: dict[int, int] = {}
    checkins: dict[int, tuple[int, int]] = {}
    letters: dict[int, int] = {}
    for ids in _batches(child_ids):
        for row in s.execute(select(TalkRecord.child_id, TalkRecord.mood, TalkRecord.study, TalkRecord.daily_life)
                             .where(TalkRecord.child_id.in_(ids), TalkRecord.period == period,
                                    TalkRecord.kind == TalkKind.CLASS_TEACHER_MONTHLY.value,
                                    # a card with a safety concern is the leaders' (issue 10, item 9): the
                                    # family, perhaps the person the child is afraid of, never gets its ratings
                                    TalkRecord.safety_concern.is_(False))
                             .order_by(TalkRecord.talked_at, TalkRecord.id)):
            ratings[row.child_id] = row._asdict()  # the latest card of the month wins
        talks.update(s.execute(select(TalkRecord.child_id, func.count(TalkRecord.id)).where(
            TalkRecord.child_id.in_(ids), TalkRecord.talked_at >= start, TalkRecord.talked_at < end)
            .group_by(TalkRecord.child_id)).all())
        for child_id, weeks, answered in s.execute(
            select(Checkin.child_id, func.count(func.distinct(Checkin.period)),
                   func.count(func.distinct(Checkin.period)).filter(Checkin.answered_at.is_not(None)))
            .where(Checkin.child_id.in_(ids), Checkin.sent_at >= start, Checkin.sent_at < end,
                   Checkin.cancelled_at.is_(None)).group_by(Checkin.child_id)
        ).all():
            checkins[child_id] = (int(weeks or 0), int(answered or 0))
        letters.update(s.execute(select(Letter.child_id, func.count(Letter.id)).where(
            Letter.child_id.in_(ids), Letter.created_at >= start, Letter.created_at < end)
            .group_by(Letter.child_id)).all())
    activities = _activities(uow, school_ids, child_ids, start.date(), end.date())
    return {
        child_id: family_news.facts(
            talk=ratings.get(child_id), talks=int(talks.get(child_id, 0)),
            checkins_answered=checkins.get(child_id, (0, 0))[1], checkin_weeks=checkins.get(child_id, (0, 0))[0],
            activities=activities.get(child_id, []), letters=int(letters.get(child_id, 0)),
        )
        for child_id in child_ids
    }


def _activities(uow: UnitOfWork, school_ids: Sequence[int], child_ids: list[int], first: Any, last: Any
                ) -> dict[int, list[tuple[str, bool]]]:
    """Per child: titles of the programme items done that month for its class (its class teacher's) or school."""
    s = uow.session
    done_rows = s.execute(
        select(ProgrammeOccurrence.school_id, ProgrammeTask.person_id, ProgrammeItem.role, ProgrammeItem.title,
               ProgrammeItem.title_is_id, ProgrammeOccurrence.subject_person_id)
        .join(ProgrammeOccurrence, ProgrammeOccurrence.id == ProgrammeTask.occurrence_id)
        .join(ProgrammeItem, ProgrammeItem.id == ProgrammeOccurrence.item_id)
        .where(ProgrammeOccurrence.school_id.in_(list(school_ids)), ProgrammeTask.status == "done",
               ProgrammeOccurrence.starts_on >= first, ProgrammeOccurrence.starts_on < last)
    ).all()
    if not done_rows:
        return {}
    done_at: dict[int, list[Any]] = defaultdict(list)  # school → its tasks done
    for d in done_rows:
        done_at[d.school_id].append(d)
    subjects = {d.subject_person_id for d in done_rows if d.subject_person_id is not None}
    teacher_of: dict[int, int | None] = {}
    school_of: dict[int, int] = {}
    related: dict[int, set[int]] = defaultdict(set)
    for ids in _batches(child_ids):
        for child_id, school_id, teacher_id in s.execute(
                select(Child.id, Child.school_id, SchoolClass.class_teacher_id)
                .outerjoin(SchoolClass, SchoolClass.id == Child.class_id).where(Child.id.in_(ids))).all():
            teacher_of[child_id], school_of[child_id] = teacher_id, school_id
        if subjects:
            for child_id, person_id in s.execute(select(ChildRelation.child_id, ChildRelation.person_id).where(
                    ChildRelation.child_id.in_(ids), ChildRelation.person_id.in_(subjects))).all():
                if person_id is not None:
                    related[child_id].add(person_id)
    found: dict[int, list[tuple[str, bool]]] = {}
    for child_id in child_ids:
        titles = {(str(d.title), bool(d.title_is_id)) for d in done_at.get(school_of.get(child_id, -1), ())
                  if (d.person_id == teacher_of.get(child_id) or d.role == "admin")
                  and (d.subject_person_id is None or d.subject_person_id in related[child_id])}
        if titles:
            found[child_id] = sorted(titles)
    return found
