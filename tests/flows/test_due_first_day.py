"""A principal's /due on the first day the school uses the bot: nothing is called missing before it started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Child, PersonRole
from tests.support.chat import Chat
from tests.support.school import grant_consent

FIRST_DAY = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 09:00 in Asia/Shanghai, mid-week, mid-month


def _principal(uow_factory, clock) -> Chat:
    with uow_factory() as uow:
        import_roster(uow, SAMPLE, now=clock.now(), default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        for cid in uow.session.scalars(select(Child.id)):
            grant_consent(uow.session, cid, at=clock.now())
        pid = uow.session.scalar(select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN.value))
        uow.session.add(ChatAccount(person_id=pid, channel="telegram", account_id="9001", bound_at=clock.now()))
        uow.commit()
    return Chat(FlowRunner(uow_factory, clock, Settings(database_url="sqlite://")), "9001")


SAMPLE = None


def test_first_day(uow_factory, sample_roster):
    global SAMPLE
    SAMPLE = sample_roster
    clock = ManualClock(FIRST_DAY)
    chat = _principal(uow_factory, clock)
    chat.send("/due")
    print(chat.text)
    clock.advance(timedelta(days=40))
    chat.send("/due")
    print(chat.text[:600])
