"""A whole school year of the care programme for the sample school, with an injected clock.

Every programme item yields exactly one reminder per responsible person per
occurrence, none in the quiet hours, none on a weekend or holiday; no digest
goes out on a day that is not a school day; the completion report matches
what the teachers answered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.domain.periods import in_quiet_hours, local_date
from bot.domain.school_year import SchoolYear, Semester, WorkdayCalendar
from bot.services import digests, programme, programme_tasks, school_year
from bot.services.programme_tasks import TaskStatus
from bot.services.roster import import_roster
from bot.store.models import (
    Child,
    ChildRelation,
    OutboxMessage,
    Person,
    ProgrammeItem,
    ProgrammeOccurrence,
    ProgrammeTask,
    School,
)
from tests.support.school import grant_consent

SH = ZoneInfo("Asia/Shanghai")
SETTINGS = Settings(database_url="sqlite://")
TERMS = [(date(2025, 9, 1), date(2026, 1, 23)), (date(2026, 3, 4), date(2026, 7, 10))]
START = datetime(2025, 9, 1, 0, 0, tzinfo=SH)
TICK_HOURS = (0, 6, 8, 9, 14, 21)  # school time: quiet hours included, and the delivery times 08:00 / 09:00
END = datetime(2026, 8, 31, 23, 0, tzinfo=SH)


def _setup(uow_factory, sample_roster) -> int:
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=START.astimezone(UTC), default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        school_id = uow.session.scalars(select(School.id)).one()
        school_year.set_semesters(uow, school_id, TERMS)
        # Two grandparents' birthdays on record (one lunar) for the birthday letters.
        guardians = uow.session.scalars(
            select(Person).where(Person.id.in_(select(ChildRelation.person_id).where(
                ChildRelation.kind == "entrusted_guardian"))).order_by(Person.id).limit(2)).all()
        guardians[0].birthday, guardians[1].birthday = "11-20", "lunar:04-08"
        for child_id in uow.session.scalars(select(Child.id)):  # the school entered the signed paper forms
            grant_consent(uow.session, child_id)
        uow.commit()
    return school_id


def _answer(uow_factory, now: datetime, answers: dict[int, tuple[str, int | None]]) -> None:
    """Answer the reminders just sent, as teachers would: by task id, a fixed pattern."""
    with uow_factory() as uow:
        fresh = uow.session.execute(select(ProgrammeTask).where(ProgrammeTask.reminded_at == now)).scalars().all()
        for task in fresh:
            pattern = task.id % 4
            if task.reminders > 1 or pattern == 0:  # done (a postponed task is done the second time)
                programme_tasks.answer(uow, person_id=task.person_id, task_id=task.id, done=True, now=now)
                counted = task.audience_count if pattern == 0 else 1
                programme_tasks.record_count(uow, person_id=task.person_id, task_id=task.id, count=counted)
                answers[task.id] = ("done", counted)
            elif pattern == 1:
                programme_tasks.answer(uow, person_id=task.person_id, task_id=task.id, done=False, now=now)
                answers[task.id] = ("skipped", None)
            elif pattern == 2:
                assert programme_tasks.postpone(uow, person_id=task.person_id, task_id=task.id,
                                                to=local_date(now, "Asia/Shanghai") + timedelta(days=7), now=now)
                answers[task.id] = ("postponed", None)
            else:
                answers[task.id] = ("open", None)
        uow.commit()


def test_a_whole_school_year(uow_factory, sample_roster) -> None:
    school_id = _setup(uow_factory, sample_roster)
    answers: dict[int, tuple[str, int | None]] = {}
    ticks = [datetime.combine(START.date() + timedelta(days=n), time(h), tzinfo=SH).astimezone(UTC)
             for n in range((END.date() - START.date()).days + 1) for h in TICK_HOURS]
    for now in ticks:
        with uow_factory() as uow:
            programme.plan_programme(uow, now=now, timezone="Asia/Shanghai")
            uow.commit()
        with uow_factory() as uow:
            programme_tasks.remind_programme(uow, now=now, settings=SETTINGS)
            uow.commit()
        with uow_factory() as uow:
            digests.plan_digests(uow, now=now, settings=SETTINGS)
            uow.commit()
        _answer(uow_factory, now, answers)

    year = SchoolYear([Semester(s, e) for s, e in TERMS], WorkdayCalendar())
    with uow_factory() as uow:
        s = uow.session
        rows = s.execute(select(OutboxMessage.key, OutboxMessage.created_at, OutboxMessage.person_id)).all()
        reminders = [(k, at, p) for k, at, p in rows if k.startswith("prog:task:")]
        tasks = {t.id: t for t in s.scalars(select(ProgrammeTask))}
        occurrences = {o.id: o for o in s.scalars(select(ProgrammeOccurrence))}
        items = {i.id: i for i in s.scalars(select(ProgrammeItem))}

        # Exactly one first reminder per task (= per responsible person and occurrence), a second only
        # after a postponement; every task whose reminder fell due in the year was reminded.
        firsts = [k for k, _at, _p in reminders if k.endswith(":1")]
        assert len(firsts) == len(set(firsts))
        assert {int(k.split(":")[2]) for k in firsts} == {t.id for t in tasks.values() if t.reminders >= 1}
        assert all(t.reminded_at is not None for t in tasks.values() if t.remind_at <= END.astimezone(UTC)
                   and t.status != TaskStatus.POSTPONED.value)
        pairs = [(t.occurrence_id, t.person_id) for t in tasks.values()]
        assert len(pairs) == len(set(pairs))
        # Every item of the plans had at least one occurrence with reminders in the year.
        reminded_items = {occurrences[t.occurrence_id].item_id for t in tasks.values() if t.reminders}
        assert {items[i].code for i in reminded_items} == {i.code for i in items.values()}

        for _key, at, _person in reminders:
            assert not in_quiet_hours(at, "Asia/Shanghai", time(21), time(7))
            assert year.workdays.is_workday(local_date(at, "Asia/Shanghai"))

        # Class teachers are reminded of their own class's children (the sample: 7 a class).
        mid_autumn = next(i for i in items.values() if i.code == "letter_mid_autumn")
        counts = {t.audience_count for t in tasks.values() if occurrences[t.occurrence_id].item_id == mid_autumn.id}
        assert counts == {6, 7}

        digest_days = {date.fromisoformat(k.rsplit(":", 1)[1]) for k, _at, _p in rows if k.startswith("digest:")}
        assert digest_days and all(year.is_school_day(d) for d in digest_days)
        assert any(d.month == 3 for d in digest_days) and not any(d.month == 8 for d in digest_days)

        report = programme_tasks.report(uow, school_id, START.date(), END.date())
    final = {tid: answers[tid][0] for tid in answers}
    expected_done = sum(1 for v in final.values() if v == "done")
    assert sum(f.done for f in report) == expected_done
    assert sum(f.skipped for f in report) == sum(1 for v in final.values() if v == "skipped")
    assert sum(f.counted for f in report) == sum(c for v, c in answers.values() if v == "done" and c)
    assert sum(f.tasks for f in report) >= len(answers)
