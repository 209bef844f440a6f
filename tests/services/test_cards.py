"""The archive completeness rule on the sample school, and nothing called missing before the school started."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.domain import archive
from bot.services import cards
from bot.services.due import talks_due
from bot.services.roster import import_roster
from bot.store.models import School
from tests.support.school import tiny_school

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def test_missing_fields_rule() -> None:
    full = {name: "x" for name in archive.FIELDS} | {"boarding": False, "birth_date": date(2016, 1, 1)}
    assert archive.missing_fields(full) == []
    assert archive.missing_fields(full | {"address": "  ", "guardian_phone": None}) == ["address", "guardian_phone"]
    assert archive.missing_fields({}) == list(archive.FIELDS)
    assert archive.missing_pairings({"helper_teacher", "father"}) == ["caring_parent", "study_buddy"]
    assert archive.filing_rate(3, 4) == 0.75 and archive.filing_rate(0, 0) is None


def test_sample_school_filing_and_pairing_coverage(uow_factory, sample_roster) -> None:
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=NOW, default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        school_id = uow.session.scalar(select(School.id))
        assert uow.session.get(School, school_id).started_at == NOW  # the first import starts the school
        filings = cards.completeness(uow, school_id=school_id)
    assert len(filings) == 18 and sum(f.total for f in filings) == 122
    assert filings[0].class_name == "一年级（1）班"
    unbuddied = sum(1 for f in filings for _, _, m in f.unpaired if "study_buddy" in m)
    assert unbuddied == 43  # the issue: 43 of the sample's 122 children have no study buddy
    complete = sum(f.complete for f in filings)
    assert 0 < complete <= 122
    for f in filings:
        assert f.complete + len(f.incomplete) == f.total


def test_nothing_is_overdue_for_a_period_before_the_school_started(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    [due] = talks_due_now(uow_factory, ids.teacher)
    assert due.overdue  # no start recorded: as before, last month counts
    with uow_factory() as uow:
        uow.session.get(School, ids.school).started_at = NOW - timedelta(days=3)  # 27 November
        uow.commit()
    assert talks_due_now(uow_factory, ids.teacher) == []  # 4 days of November left: November is not owed
    with uow_factory() as uow:
        uow.session.get(School, ids.school).started_at = NOW - timedelta(days=10)  # 20 November
        uow.commit()
    [due] = talks_due_now(uow_factory, ids.teacher)
    assert not due.overdue  # October was before the school used the bot
    later = datetime(2027, 1, 5, 1, 0, tzinfo=UTC)
    with uow_factory() as uow:
        [due] = talks_due(uow, person_id=ids.teacher, now=later, timezone="Asia/Shanghai")
    assert due.overdue  # December was missed while the school used the bot


def talks_due_now(uow_factory, person_id):
    with uow_factory() as uow:
        return talks_due(uow, person_id=person_id, now=NOW, timezone="Asia/Shanghai")
