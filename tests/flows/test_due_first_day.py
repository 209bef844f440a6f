"""A principal's /due on the school's first day: nothing is called missing before the school used the bot.

Issue 9 item 2: on the first day the sample school (122 children) used the
bot, the principal's /due said 366 talks outstanding, all 366 overdue.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Child, Consent, PersonRole
from tests.support.chat import Chat
from tests.support.school import grant_consent

FIRST_DAY = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 09:00 Asia/Shanghai: mid-week, mid-month


def _school(uow_factory, sample_roster, clock: ManualClock, *, consent_at: datetime) -> Chat:
    """The sample school imported on its first day, every guardian's consent given at ``consent_at``."""
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=clock.now(), default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        for child_id in uow.session.scalars(select(Child.id)):
            grant_consent(uow.session, child_id, at=consent_at)
        principal = uow.session.scalar(select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN.value))
        uow.session.add(ChatAccount(person_id=principal, channel="telegram", account_id="9001",
                                    bound_at=clock.now()))
        uow.commit()
    return Chat(FlowRunner(uow_factory, clock, Settings(database_url="sqlite://")), "9001")


def test_the_first_day_calls_nothing_overdue_and_a_missed_month_later_is(uow_factory, sample_roster):
    clock = ManualClock(FIRST_DAY)
    principal = _school(uow_factory, sample_roster, clock, consent_at=FIRST_DAY)
    principal.send("/due")
    # December's 122 monthly talks; the weekly ones start with the first whole week (fewer than 7 days of this
    # one are left: bot.domain.talk_duties, rule 2).
    assert "全校待完成的谈心：122，其中逾期0" in principal.text
    clock.advance(timedelta(days=40))  # 11 January: December and last week were missed while using the bot
    principal.send("/due")
    # Overdue: December's 122 monthly talks and weeks 50–53 and 2027-W01 (5 × 244; week 49 was not owed);
    # still due: January's 122 and this week's 244 (issue 9: each missed week counts, as in /report).
    assert "全校待完成的谈心：1708，其中逾期1342" in principal.text


def test_a_talk_is_not_missed_before_the_guardian_agreed(uow_factory, sample_roster):
    clock = ManualClock(FIRST_DAY - timedelta(days=60))  # the school started in October
    principal = _school(uow_factory, sample_roster, clock, consent_at=FIRST_DAY)  # the consents came in December
    clock.set(FIRST_DAY)
    principal.send("/due")
    assert "全校待完成的谈心：366，其中逾期0" in principal.text  # November: no talk could be recorded yet
    with uow_factory() as uow:
        assert uow.session.scalar(select(Consent.at).limit(1)) == FIRST_DAY
