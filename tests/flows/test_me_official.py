"""An official's /me names the schools she oversees and the children in them, not "0 children" (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Person, PersonRole, School
from tests.support.chat import Chat

SH = "Asia/Shanghai"


def _official(uow_factory, sample_roster) -> tuple[Chat, int]:
    clock = ManualClock(datetime(2026, 12, 4, 9, 58, tzinfo=UTC))
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=clock.now(), default_timezone=SH)
    with uow_factory() as uow:
        person = uow.session.scalar(select(Person.id).where(Person.name == "镇教育办张科长"))
        uow.session.add(ChatAccount(person_id=person, channel="telegram", account_id="9101", bound_at=clock.now()))
        uow.commit()
    return Chat(FlowRunner(uow_factory, clock, Settings(database_url="sqlite://")), "9101"), person


def test_a_bureau_officials_me_names_the_schools_and_their_children(uow_factory, sample_roster):
    official, _person = _official(uow_factory, sample_roster)
    official.send("/me")
    # 镇教育办张科长: every school in the database is in 清溪镇 — his real scope, never "the whole county" (fix6al)
    assert "您督导清溪镇的学校：示例县清溪镇中心小学" in official.text
    assert "本县" not in official.text
    assert "其中的留守儿童：122 名" in official.text
    assert "您负责的孩子：0 名" not in official.text


def test_a_bureau_official_over_schools_without_a_town_is_shown_them_by_name(uow_factory, sample_roster):
    official, _person = _official(uow_factory, sample_roster)
    with uow_factory() as uow:
        uow.session.execute(update(School).values(town=None))
        uow.commit()
    official.send("/me")
    assert "您督导的学校（1所）：示例县清溪镇中心小学" in official.text


def test_a_town_officials_me_names_her_town(uow_factory, sample_roster):
    official, person = _official(uow_factory, sample_roster)
    with uow_factory() as uow:  # the same person as a town government official of 清溪镇
        uow.session.execute(update(PersonRole).where(PersonRole.person_id == person)
                            .values(role=Role.TOWN_GOVERNMENT.value))
        uow.session.execute(update(School).values(town="清溪镇"))
        uow.commit()
    official.send("/me")
    assert "您督导清溪镇的学校：示例县清溪镇中心小学" in official.text
    assert "其中的留守儿童：122 名" in official.text
