"""Programme items per school: seeding the plans' defaults, editing, and planning their occurrences.

Planning is set-based (issue 8: a city has 2,000+ schools): the dates of each
distinct anchor and year are computed once for every school that shares them,
the occurrences go in with one ``INSERT … ON CONFLICT (key) DO NOTHING`` and
the responsible people's tasks with one ``INSERT … SELECT … ON CONFLICT`` per
role (:mod:`bot.services.programme_tasks`). Planning runs once a day (a plan
marker), and again for one school when its items change.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.periods import local_date
from bot.domain.programme import Anchor, ItemSpec, SpecError, birthday_date, check_code, remind_date, start_date
from bot.domain.programme_defaults import DEFAULT_ITEMS
from bot.domain.school_year import SchoolYear, Semester
from bot.messages.prompt import N_
from bot.services import programme_tasks, school_year
from bot.services.ports import UnitOfWork
from bot.store.models import (
    ChildRelation,
    Person,
    ProgrammeItem,
    ProgrammeOccurrence,
    ProgrammeTask,
    School,
)

log = logging.getLogger(__name__)

HORIZON_DAYS = 60
"""Occurrences are planned this many days ahead (more than the longest reminder lead, 30 days)."""


def spec_of(row: ProgrammeItem) -> ItemSpec:
    """The domain's view of a stored item."""
    return ItemSpec(
        code=row.code, title=row.title, anchor=Anchor.parse(row.anchor), offset_days=row.offset_days,
        align=row.align, delivery_time=time.fromisoformat(row.delivery_time), remind_days=row.remind_days,
        role=row.role, audience=row.audience, action=row.action, count=row.count_kind,
        on_holidays=row.on_holidays, active=row.active, title_is_id=row.title_is_id,
    )


def _write(row: ProgrammeItem, spec: ItemSpec, now: datetime) -> None:
    row.title, row.title_is_id, row.anchor = spec.title, spec.title_is_id, str(spec.anchor)
    row.offset_days, row.align = spec.offset_days, spec.align
    row.delivery_time = spec.delivery_time.strftime("%H:%M")
    row.remind_days, row.role, row.audience = spec.remind_days, spec.role, spec.audience
    row.action, row.count_kind = spec.action, spec.count
    row.on_holidays, row.active, row.updated_at = spec.on_holidays, spec.active, now


def seed_defaults(uow: UnitOfWork, school_id: int, now: datetime) -> int:
    """Add the plans' default items the school does not have yet (by code); returns how many were added."""
    have = set(uow.session.scalars(select(ProgrammeItem.code).where(ProgrammeItem.school_id == school_id)))
    added = 0
    for spec in DEFAULT_ITEMS:
        if spec.code not in have:
            row = ProgrammeItem(school_id=school_id, code=spec.code)
            _write(row, spec, now)
            uow.session.add(row)
            added += 1
    uow.session.flush()
    return added


def items(uow: UnitOfWork, school_id: int) -> list[ProgrammeItem]:
    """The school's items by code."""
    return list(uow.session.scalars(select(ProgrammeItem).where(ProgrammeItem.school_id == school_id)
                                    .order_by(ProgrammeItem.id)))


QUIET_TIME = N_("{value} is in the quiet hours; choose a time between the end and the start of the quiet hours.")


def edit_item(uow: UnitOfWork, school_id: int, code: str, values: Mapping[str, str], *, now: datetime,
              quiet: tuple[time, time]) -> ProgrammeItem:
    """Create or change the item ``code`` of a school with ``values`` (field → text), then re-plan the school.

    A new item needs at least ``title`` and ``anchor``. Reminders not sent yet
    of the item's future occurrences are dropped and planned again with the new
    rule; answered and sent ones stay as they were. The caller commits.

    Raises:
        SpecError: an unknown field, a bad value, a new item without title or anchor, or a delivery
            time in the quiet hours ``quiet`` (start, end).
    """
    code = check_code(code)
    row = uow.session.scalar(select(ProgrammeItem).where(ProgrammeItem.school_id == school_id,
                                                         ProgrammeItem.code == code))
    if row is None:
        if not {"title", "anchor"} <= {k.strip().lower() for k in values}:
            raise SpecError("anchor" if "title" in values else "title", N_("A new item needs a title and an anchor."))
        base = ItemSpec(code=code, title="-", anchor=Anchor("date", "01-01"))
        row = ProgrammeItem(school_id=school_id, code=code)
        uow.session.add(row)
    else:
        base = spec_of(row)
    spec = base.edited(values)
    start, end = quiet
    if start != end and (start <= spec.delivery_time or spec.delivery_time < end if start > end
                         else start <= spec.delivery_time < end):
        raise SpecError("time", QUIET_TIME, spec.delivery_time.strftime("%H:%M"))
    _write(row, spec, now)
    uow.session.flush()
    _drop_unsent(uow, row.id, now)
    plan_school(uow, school_id, now=now)
    return row


def _drop_unsent(uow: UnitOfWork, item_id: int, now: datetime) -> None:
    """Delete the item's occurrences none of whose reminders went out, so planning makes them again."""
    s = uow.session
    sent = select(ProgrammeTask.occurrence_id).where(ProgrammeTask.reminded_at.is_not(None))
    doomed = list(s.scalars(select(ProgrammeOccurrence.id).where(
        ProgrammeOccurrence.item_id == item_id, ProgrammeOccurrence.id.not_in(sent))))
    for i in range(0, len(doomed), 500):
        chunk = doomed[i : i + 500]
        s.execute(delete(ProgrammeTask).where(ProgrammeTask.occurrence_id.in_(chunk)))
        s.execute(delete(ProgrammeOccurrence).where(ProgrammeOccurrence.id.in_(chunk)))


@dataclass(frozen=True)
class _Planned:
    key: str
    item_id: int
    school_id: int
    starts_on: date
    remind_at: datetime
    subject_person_id: int | None = None


def day_marker(now: datetime, timezone: str) -> str:
    """The plan marker of a day's programme planning (all schools)."""
    return f"programme:{local_date(now, timezone).isoformat()}"


def plan_programme(uow: UnitOfWork, *, now: datetime, timezone: str,
                   school_ids: Sequence[int] | None = None) -> int:
    """Plan every school's occurrences for the next :data:`HORIZON_DAYS` days, once a day.

    Seeds the default items of schools that have none. Without ``school_ids``
    every school is planned at once, guarded by the day's plan marker
    (:func:`day_marker`); with them only those schools, and the caller keeps
    the marker (the tick: ``bot.services.planning.plan_in_batches``, one short
    transaction per batch of schools, the marker written when every batch is
    done). Occurrences and tasks have unique keys, so planning a school twice
    adds nothing. The caller commits.

    Returns:
        Occurrences and tasks added.
    """
    if school_ids is None and not school_year.first_time(uow, day_marker(now, timezone), now):
        return 0
    s = uow.session
    with_items = select(ProgrammeItem.school_id).distinct()
    bare = select(School.id).where(School.id.not_in(with_items))
    if school_ids is not None:
        bare = bare.where(School.id.in_(list(school_ids)))
    for school_id in s.scalars(bare).all():
        seed_defaults(uow, school_id, now)
    return _plan(uow, now=now, school_ids=school_ids)


def plan_school(uow: UnitOfWork, school_id: int, *, now: datetime) -> int:
    """Plan one school now (after its items or terms changed). The caller commits."""
    return _plan(uow, now=now, school_ids=[school_id])


def _plan(uow: UnitOfWork, *, now: datetime, school_ids: Sequence[int] | None) -> int:
    s = uow.session
    query = select(ProgrammeItem, School.timezone).join(School, School.id == ProgrammeItem.school_id).where(
        ProgrammeItem.active.is_(True))
    if school_ids is not None:
        query = query.where(ProgrammeItem.school_id.in_(list(school_ids)))
    rows = s.execute(query).all()
    terms = {sid: t for sid, (_c, t) in school_year.calendars(uow, sorted({r.school_id for r, _ in rows})).items()}
    years: dict[tuple[tuple[Semester, ...], date], SchoolYear] = {}  # schools with the same terms share a year
    birthdays = _birthdays(uow, school_ids) if any(r.anchor.startswith("birthday") for r, _ in rows) else {}
    planned: list[_Planned] = []
    for row, tz in rows:
        zone = tz or "Asia/Shanghai"
        today = local_date(now, zone)
        year_key = (terms.get(row.school_id, ()), today)
        if year_key not in years:
            years[year_key] = SchoolYear.of(list(year_key[0]), today, school_year.workdays())
        try:
            spec = spec_of(row)
        except SpecError:
            log.warning("programme item %s has an unreadable rule; skipped", row.id)
            continue
        planned += _occurrences(row, spec, years[year_key], today, zone, now,
                                birthdays.get((row.school_id, spec.anchor.value), []))
    added = _insert_occurrences(uow, planned, now)
    added += programme_tasks.plan_tasks(uow, now=now, school_ids=school_ids)
    if added:
        log.info("programme: %s occurrences and tasks planned", added)
    return added


def _occurrences(row: ProgrammeItem, spec: ItemSpec, year: SchoolYear, today: date, zone: str, now: datetime,
                 birthdays: list[tuple[int, str]]) -> list[_Planned]:
    """The item's occurrences starting within the horizon (today … today + HORIZON_DAYS)."""
    last = today + timedelta(days=HORIZON_DAYS)
    found: list[tuple[date, int | None]] = []
    for y in range(today.year - 1, last.year + 2):  # anchors a year away may land in the horizon after offsets
        if spec.anchor.kind == "birthday":
            found += [(d, person) for person, text in birthdays if (d := birthday_date(text, y)) is not None]
        else:
            found += [(d, None) for d in spec.anchor.dates(y, year.semesters)]
    out = []
    for anchor_day, person in found:
        starts = start_date(anchor_day, spec, year)
        if not today <= starts <= last:
            continue
        reminded = remind_date(starts, spec, year)
        remind_at = datetime.combine(reminded, spec.delivery_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        key = f"prog:{row.id}:{starts.isoformat()}" + (f":p{person}" if person is not None else "")
        out.append(_Planned(key, row.id, row.school_id, starts, max(remind_at, now), person))
    return out


_BIRTHDAY_RELATIONS = {"guardian": ("entrusted_guardian",), "parent": ("father", "mother")}


def _birthdays(uow: UnitOfWork, school_ids: Sequence[int] | None) -> dict[tuple[int, str], list[tuple[int, str]]]:
    """(school, ``guardian``/``parent``) → [(person id, birthday)] of the people with a birthday on record."""
    out: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for whose, kinds in _BIRTHDAY_RELATIONS.items():
        related = (select(ChildRelation.id).where(ChildRelation.person_id == Person.id,
                                                  ChildRelation.kind.in_(kinds)).correlate(Person).exists())
        query = (select(Person.school_id, Person.id, Person.birthday)  # correlated: no city-wide scan per batch
                 .where(Person.birthday.is_not(None), related))
        if school_ids is not None:
            query = query.where(Person.school_id.in_(list(school_ids)))
        for school, person, birthday in uow.session.execute(query):
            if birthday:
                out.setdefault((school, whose), []).append((person, birthday))
    return out


def _insert_occurrences(uow: UnitOfWork, planned: list[_Planned], now: datetime) -> int:
    """One ``INSERT … ON CONFLICT (key) DO NOTHING`` for all of them; returns the rows added."""
    if not planned:
        return 0
    s = uow.session
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    before = s.scalar(select(func.count(ProgrammeOccurrence.id))) or 0
    for i in range(0, len(planned), 2000):
        s.execute(insert(ProgrammeOccurrence).on_conflict_do_nothing(index_elements=["key"]), [
            {"key": p.key, "item_id": p.item_id, "school_id": p.school_id, "starts_on": p.starts_on,
             "remind_at": p.remind_at, "subject_person_id": p.subject_person_id, "planned_at": now}
            for p in planned[i : i + 2000]
        ])
    return int((s.scalar(select(func.count(ProgrammeOccurrence.id))) or 0) - before)
