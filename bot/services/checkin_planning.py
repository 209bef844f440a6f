"""Planning a week's check-ins for a city: set-based, one batch of schools per short transaction.

Issue 7, item 5: 260,000 weekly check-ins must be planned in seconds on
SQLite and on PostgreSQL. The schools due in one week are planned together
with one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` for the check-ins and
one for their questions — no query per school and no Python object per
child: the question's outbox row holds a reference, worded when it is sent
(``bot.services.checkin_questions``). The questions are made from the rows
this statement inserted (a ``RETURNING`` CTE on PostgreSQL, the new ids'
range on SQLite), never from a join over the week's check-ins of the schools.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, exists, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.enums import RelationKind
from bot.domain.periods import checkin_moment, week_period
from bot.services import checkin_questions as questions
from bot.services import consent
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, ChildRelation, PlanMarker, School

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(hours=48)  # issue 2: one reminder after 48 h without an answer
_SCHOOLS = 200  # schools per INSERT … SELECT: bounded parameter lists and statements
_COLUMNS = ["child_id", "guardian_id", "period", "sent_at", "reminder_due_at"]


def plan_checkins(
    uow: UnitOfWork, *, now: datetime, settings: Settings, school_ids: Sequence[int] | None = None
) -> int:
    """Create this week's check-ins once the check-in moment has come, and enqueue the question.

    One :class:`Checkin` per (active child, entrusted guardian) per ISO week,
    school time; the unique key makes re-runs, late ticks and a second worker
    harmless. The moment is ``settings.checkin_weekday`` at
    ``settings.checkin_time`` in each school's zone; before it nothing happens.
    The question is BULK (it waits out quiet hours). A school planned for the
    week gets a :class:`PlanMarker`, so later ticks skip it with one lookup; a
    child added to the roster after that is asked from the next week on.
    The schools are planned :data:`_SCHOOLS` at a time (module doc).

    Args:
        uow: the unit of work (the caller commits).
        now: UTC now.
        settings: check-in moment, default zone.
        school_ids: plan these schools only (``bot.services.planning`` gives each
            batch its own short transaction); default every school.

    Returns:
        The number of check-ins created. The caller commits.
    """
    s = uow.session
    query = select(School.id, School.timezone).order_by(School.id)
    if school_ids is not None:
        query = query.where(School.id.in_(list(school_ids)))
    due: dict[str, list[int]] = {}  # week → schools whose check-in moment has come
    for school_id, zone in s.execute(query).all():
        tz = zone or settings.timezone
        if now >= checkin_moment(now, tz, settings.checkin_weekday, settings.checkin_time):
            due.setdefault(week_period(now, tz), []).append(school_id)
    created = 0
    for period, ids in due.items():
        for i in range(0, len(ids), _SCHOOLS):
            created += _plan_week(uow, period, ids[i : i + _SCHOOLS], now)
    if created:
        log.info("planned %s check-ins", created)
    return created


def _plan_week(uow: UnitOfWork, period: str, school_ids: list[int], now: datetime) -> int:
    """Plan ``period``'s check-ins of these schools (those without a marker for it); returns how many."""
    s = uow.session
    keys = {sid: f"checkins:{sid}:{period}" for sid in school_ids}
    marked = set(s.scalars(select(PlanMarker.key).where(PlanMarker.key.in_(list(keys.values())))))
    todo = [sid for sid in school_ids if keys[sid] not in marked]
    if not todo:
        return 0
    insert_fn = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    # No DISTINCT (its sort was a temporary B-tree per batch): a pair listed twice (a relation entered
    # twice) is skipped by the check-ins' unique key, like a pair planned before.
    pairs = (
        select(
            Child.id,
            ChildRelation.person_id,
            literal(period, Checkin.period.type),
            literal(now, Checkin.sent_at.type),
            literal(now + REMIND_AFTER, Checkin.reminder_due_at.type),
        )
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .where(
            Child.school_id.in_(todo),
            Child.active.is_(True),
            ChildRelation.kind == RelationKind.ENTRUSTED_GUARDIAN.value,
            ChildRelation.person_id.is_not(None),
            consent.granted_filter(),  # nothing goes to the family before the guardian's consent
        )
        .order_by(Child.id, ChildRelation.person_id)
    )
    # Pairs planned before, by us or another worker, are skipped by the unique key.
    table = cast(Table, Checkin.__table__)
    insert_checkins = (
        insert_fn(table)
        .from_select(_COLUMNS, pairs)
        .on_conflict_do_nothing(index_elements=["child_id", "guardian_id", "period"])
    )
    if uow.dialect == "postgresql":
        # One statement writes the check-ins and their questions (worded when sent): the questions come
        # from the rows just inserted, never from a scan of the week's check-ins, whose statistics lag
        # behind a city's Friday (a nested loop over them made each batch slower than the last).
        # First as plain inserts of the pairs not planned yet: ON CONFLICT's speculative insertion costs
        # every row a second index probe and a confirmation record. Should another worker plan some of
        # them meanwhile (a unique violation), the batch goes again skipping on the unique keys.
        fresh = pairs.where(~exists().where(table.c.child_id == Child.id,
                                            table.c.guardian_id == ChildRelation.person_id,
                                            table.c.period == period))
        plain = insert_fn(table).from_select(_COLUMNS, fresh)
        try:
            with s.begin_nested():
                created = _with_questions(uow, plain, period, now, skip_existing=False)
        except IntegrityError:
            created = _with_questions(uow, insert_checkins, period, now, skip_existing=True)
    else:
        # SQLite gives a new row the highest id plus one, and this transaction holds the only write lock:
        # the check-ins just inserted are those above the highest id before, a range of the primary key.
        # (Counted by the cursor: RETURNING would bring every new id into Python.)
        before = int(s.scalar(select(func.max(table.c.id))) or 0)
        created = max(0, int(s.execute(insert_checkins).rowcount or 0))  # type: ignore[attr-defined]
        if created:
            questions.enqueue_inserted(s, after_id=before, period=period, now=now)  # worded when sent
    s.execute(
        insert_fn(cast(Table, PlanMarker.__table__)).on_conflict_do_nothing(index_elements=["key"]),
        [{"key": keys[sid], "created_at": now} for sid in todo],
    )
    return created


def _with_questions(uow: UnitOfWork, insert: Any, period: str, now: datetime, *, skip_existing: bool) -> int:
    """PostgreSQL: run ``insert`` (of check-ins) with their questions' insert in one statement; how many it made.

    (``RETURNING`` counts them: psycopg's rowcount of an ``INSERT … SELECT`` is -1.)
    """
    s = uow.session
    table = cast(Table, Checkin.__table__)
    new = insert.returning(table.c.child_id, table.c.guardian_id).cte("new_checkins")
    made = questions.enqueue_new(s, new, period, now, skip_existing=skip_existing)
    return int(s.execute(select(func.count()).select_from(new).add_cte(made)).scalar_one())
