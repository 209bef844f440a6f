"""Monthly news to the parents working away (issue 8, item 5): drafted, reviewed by the class teacher, sent.

Early each month the scheduler drafts, for every active child with a parent
on record, the news of the month before (:func:`draft_monthly_news`): one
:class:`~bot.store.models.FamilyNews` per (child, month), composed from that
month's records — only their shareable parts (``bot.domain.family_news``).
Each class teacher is told once that their drafts are ready; they review each
one (``/news``, or the button): send it with one tap, add a line of their own,
or skip it. Sending writes one outbox row per parent under the key
``news:<child>:<month>:<parent>``, so the news reaches each parent once, on
their own channel and in their own language (rendered when delivered).
Unsent drafts stay in ``/due``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.config import Settings
from bot.domain import family_news
from bot.domain.enums import Priority, RelationKind
from bot.domain.family_news import NewsStatus
from bot.domain.periods import in_quiet_hours, local_date, month_period, previous_month_period
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, month, plural, text
from bot.services import consent, school_year
from bot.services.family_news_facts import compose_many
from bot.services.outbox import Outgoing, enqueue, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    ChildRelation,
    FamilyNews,
    Person,
    PlanMarker,
    School,
    SchoolClass,
)

log = logging.getLogger(__name__)

DRAFT_TIME = time(8, 0)  # school time: drafts (and the teacher's notice) come with the working day
LATEST_DAY = 8  # drafted on the month's first school day, and by the 8th in any case (holidays, summer)
PARENT_KINDS = (RelationKind.FATHER.value, RelationKind.MOTHER.value)


class SendResult(StrEnum):
    """What became of a teacher's decision about a draft."""

    DONE = "done"
    ALREADY = "already"  # sent or skipped before: the first decision stands
    NOT_YOURS = "not_yours"  # no such draft, or the child is not in the person's class now
    NO_PARENTS = "no_parents"  # nobody on record to send it to
    NOTHING_SHARED = "nothing_shared"  # every part withheld and no line of the teacher's: nothing to send


@dataclass(frozen=True)
class Draft:
    """A news draft as the class teacher sees it in a list."""

    id: int
    child_id: int
    child_name: str
    period: str


def news_key(child_id: int, period: str, parent_id: int) -> str:
    """Outbox idempotency key of one parent's copy of one month's news."""
    return f"news:{child_id}:{period}:{parent_id}"


def draft_monthly_news(uow: UnitOfWork, *, now: datetime, settings: Settings,
                       school_ids: Sequence[int] | None = None) -> int:
    """Draft last month's news for every child with a parent on record, and tell each class teacher once.

    A child with nothing at all recorded that month (no talk, check-in,
    activity or letter: the school was not using the bot yet) gets no draft.

    Runs from the scheduler tick. Per school, once the month's first school
    day (or its 8th day) has reached 08:00 school time outside the quiet
    hours; a plan marker ``news:<school>:<month>`` makes later ticks cheap,
    and the unique (child, month) makes a second worker harmless.

    Set-based (issue 7, item 5): the schools due are drafted together, with
    one query per kind of record for all their children — no query per
    school; ``school_ids`` limits it to one batch of schools
    (``bot.services.planning`` gives each batch its own short transaction).
    Returns the drafts made; the caller commits.
    """
    s = uow.session
    query = select(School.id, School.timezone).order_by(School.id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    open_now: list[tuple[int, str, date]] = []
    for school_id, zone in s.execute(query).all():
        tz = zone or settings.timezone
        if now.astimezone(ZoneInfo(tz)).time() >= DRAFT_TIME \
                and not in_quiet_hours(now, tz, settings.quiet_start, settings.quiet_end):
            open_now.append((school_id, tz, local_date(now, tz)))
    early = [sid for sid, _tz, today in open_now if today.day < LATEST_DAY]
    terms = {sid: t for sid, (_c, t) in school_year.calendars(uow, early).items()} if early else {}
    school_day = functools.lru_cache(maxsize=None)(school_year.school_day_by)  # schools sharing terms share it
    due: dict[tuple[str, str], list[int]] = {}  # (month, zone) → schools to draft
    for sid, tz, today in open_now:
        if today.day >= LATEST_DAY or school_day(terms[sid], today):
            due.setdefault((previous_month_period(month_period(now, tz)), tz), []).append(sid)
    made = sum(_draft_schools(uow, ids, period, tz, now) for (period, tz), ids in due.items())
    if made:
        log.info("drafted %s monthly news", made)
    return made


def _draft_schools(uow: UnitOfWork, school_ids: list[int], period: str, tz: str, now: datetime) -> int:
    """Draft ``period``'s news of these schools' children (schools without its plan marker); returns how many."""
    s = uow.session
    keys = {sid: f"news:{sid}:{period}" for sid in school_ids}
    marked = set(s.scalars(select(PlanMarker.key).where(PlanMarker.key.in_(list(keys.values())))))
    todo = [sid for sid in school_ids if keys[sid] not in marked]
    if not todo:
        return 0
    has_parent = (select(ChildRelation.id).where(ChildRelation.child_id == Child.id,
                                                 ChildRelation.kind.in_(PARENT_KINDS),
                                                 ChildRelation.person_id.is_not(None)).correlate(Child).exists())
    done = (select(FamilyNews.id).where(FamilyNews.child_id == Child.id, FamilyNews.period == period)
            .correlate(Child).exists())
    rows = s.execute(
        select(Child.id, Child.school_id, SchoolClass.class_teacher_id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id.in_(todo), Child.active.is_(True), SchoolClass.class_teacher_id.is_not(None),
               has_parent, ~done,
               consent.granted_filter())  # nothing about the child to the family without consent (PIPL art. 31)
        .order_by(Child.id)
    ).all()
    facts = compose_many(uow, school_ids=todo, child_ids=[r[0] for r in rows], period=period, tz=tz)
    teacher_of = {child_id: int(teacher or 0) for child_id, _school, teacher in rows}  # classes with a teacher only
    values = [{"child_id": child_id, "period": period, "teacher_id": teacher_of[child_id],
               "status": NewsStatus.DRAFT.value, "facts": facts[child_id], "drafted_at": now}
              for child_id, _school, _teacher in rows
              if family_news.has_records(facts[child_id])]  # no record that month (not using the bot yet): no news
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    made = [] if not values else s.execute(
        # A draft another worker made meanwhile is skipped by the unique (child, month).
        insert(FamilyNews).on_conflict_do_nothing(index_elements=["child_id", "period"])
        .returning(FamilyNews.id, FamilyNews.child_id), values).all()
    firsts: dict[int, int] = {}  # teacher → their first draft (the lowest id: drafted in child order)
    counts: dict[int, int] = {}
    for news_id, child_id in made:
        teacher_id = teacher_of[child_id]
        firsts[teacher_id] = min(news_id, firsts.get(teacher_id, news_id))
        counts[teacher_id] = counts.get(teacher_id, 0) + 1
    enqueue_many(s, [Outgoing(
        key=f"news:ready:{teacher_id}:{period}", person_id=teacher_id, priority=Priority.BULK,
        prompt=Prompt(*plural("The monthly news for the parents of {count} child ({month}) is ready for you "
                               "to review: send it, add a line of your own, or skip it.",
                               "The monthly news for the parents of {count} children ({month}) is ready for you "
                               "to review: send it, add a line of your own, or skip it.",
                               counts[teacher_id], count=counts[teacher_id], month=month(period)),
                      choices=(Choice(N_("Review"), payloads.news_review(first)),), kind=PromptKind.TASK),
    ) for teacher_id, first in sorted(firsts.items(), key=lambda kv: kv[1])], now=now)
    s.execute(insert(cast(Table, PlanMarker.__table__)).on_conflict_do_nothing(index_elements=["key"]),
              [{"key": keys[sid], "created_at": now} for sid in todo])
    return len(made)


def compose(uow: UnitOfWork, *, child_id: int, period: str, tz: str) -> dict[str, Any]:
    """The shareable facts of one child's month (``bot.domain.family_news.facts``)."""
    child = uow.session.get(Child, child_id)
    if child is None:
        raise LookupError(child_id)
    return compose_many(uow, school_ids=[child.school_id], child_ids=[child_id], period=period,
                        tz=tz)[child_id]


def news_prompt(uow: UnitOfWork, row: FamilyNews) -> Prompt:
    """The news as the parents read it (rendered in each one's language when delivered)."""
    s = uow.session
    child = s.get(Child, row.child_id)
    teacher = s.get(Person, row.teacher_id) if row.teacher_id else None
    school = s.get(School, child.school_id) if child is not None else None
    child_name = child.name if child is not None else ""
    return Prompt(
        N_("{school}: news of {child} for {month}"),
        {"school": text(school.name if school else ""), "child": text(child_name), "month": month(row.period)},
        lines=family_news.lines(row.facts or {}, child=child_name, teacher=teacher.name if teacher else None,
                                note=row.note, withheld=row.withheld or ()),  # unshared parts are never sent
        kind=PromptKind.NOTICE,
    )


def _mine(uow: UnitOfWork, news_id: int, person_id: int) -> FamilyNews | None:
    """The news, when ``person_id`` is the class teacher of its child's class now."""
    row = uow.session.get(FamilyNews, news_id)
    if row is None:
        return None
    child = uow.session.get(Child, row.child_id)
    klass = uow.session.get(SchoolClass, child.class_id) if child is not None and child.class_id else None
    if child is None or not child.active or klass is None or klass.class_teacher_id != person_id:
        return None
    return row


def drafts_for(uow: UnitOfWork, *, person_id: int) -> list[Draft]:
    """The drafts waiting for this class teacher (children of their classes now), oldest month first."""
    rows = uow.session.execute(
        select(FamilyNews.id, Child.id, Child.name, FamilyNews.period)
        .join(Child, Child.id == FamilyNews.child_id)
        .join(SchoolClass, and_(SchoolClass.id == Child.class_id, SchoolClass.class_teacher_id == person_id))
        .where(FamilyNews.status == NewsStatus.DRAFT.value, Child.active.is_(True), consent.granted_filter())
        .order_by(FamilyNews.period, Child.name, FamilyNews.id)
    ).all()
    return [Draft(*r) for r in rows]


def draft(uow: UnitOfWork, *, news_id: int, person_id: int) -> FamilyNews | None:
    """One draft of this class teacher (None when it is not theirs or no longer a draft)."""
    row = _mine(uow, news_id, person_id)
    return row if row is not None and row.status == NewsStatus.DRAFT.value else None


def set_note(uow: UnitOfWork, *, news_id: int, person_id: int, note: str | None) -> SendResult:
    """The class teacher's own line (replaces an earlier one; None removes it). The caller commits."""
    row = _mine(uow, news_id, person_id)
    if row is None:
        return SendResult.NOT_YOURS
    if row.status != NewsStatus.DRAFT.value:
        return SendResult.ALREADY
    row.note = note.strip() if note and note.strip() else None
    row.teacher_id = person_id  # the line is signed by whoever wrote it
    return SendResult.DONE


def toggle_part(uow: UnitOfWork, *, news_id: int, person_id: int, part: str) -> SendResult:
    """Share a part of the draft (``bot.domain.family_news.PARTS``) or withhold it. The caller commits."""
    row = _mine(uow, news_id, person_id)
    if row is None or part not in family_news.PARTS:
        return SendResult.NOT_YOURS
    if row.status != NewsStatus.DRAFT.value:
        return SendResult.ALREADY
    hidden = set(row.withheld or ())
    row.withheld = sorted(hidden ^ {part})  # a new list: the JSON column sees the change
    log.info("news %s: part %s %s by %s", row.id, part, "withheld" if part in row.withheld else "shared", person_id)
    return SendResult.DONE


def parents(uow: UnitOfWork, child_id: int) -> list[int]:
    """The child's parents on record (father, mother)."""
    return sorted(set(uow.session.scalars(
        select(ChildRelation.person_id).where(ChildRelation.child_id == child_id,
                                              ChildRelation.kind.in_(PARENT_KINDS),
                                              ChildRelation.person_id.is_not(None))
    )))


def send(uow: UnitOfWork, *, news_id: int, person_id: int, now: datetime) -> tuple[SendResult, int]:
    """Send a draft to the child's parents: one outbox row each (idempotent per child, month and parent).

    Returns the result and the number of parents it goes to. The caller commits.
    """
    row = _mine(uow, news_id, person_id)
    if row is None:
        return SendResult.NOT_YOURS, 0
    if row.status != NewsStatus.DRAFT.value:
        return SendResult.ALREADY, int(row.recipients or 0)
    to = parents(uow, row.child_id)
    if not to:
        return SendResult.NO_PARENTS, 0
    if not row.note and not set(family_news.parts_present(row.facts or {})) - set(row.withheld or ()) \
            and family_news.has_records(row.facts or {}):
        return SendResult.NOTHING_SHARED, 0
    if row.note:
        row.teacher_id = row.teacher_id or person_id
    prompt = news_prompt(uow, row)
    for parent_id in to:
        enqueue(uow.session, key=news_key(row.child_id, row.period, parent_id), person_id=parent_id,
                prompt=prompt, priority=Priority.BULK, now=now, child_id=row.child_id)
    row.status, row.decided_at, row.decided_by_id, row.recipients = NewsStatus.SENT.value, now, person_id, len(to)
    log.info("news %s sent by %s to %s parents", row.id, person_id, len(to))
    return SendResult.DONE, len(to)


def skip(uow: UnitOfWork, *, news_id: int, person_id: int, now: datetime) -> SendResult:
    """Not this month: the draft is closed unsent. The caller commits."""
    row = _mine(uow, news_id, person_id)
    if row is None:
        return SendResult.NOT_YOURS
    if row.status != NewsStatus.DRAFT.value:
        return SendResult.ALREADY
    row.status, row.decided_at, row.decided_by_id = NewsStatus.SKIPPED.value, now, person_id
    log.info("news %s skipped by %s", row.id, person_id)
    return SendResult.DONE
