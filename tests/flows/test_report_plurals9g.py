"""``/report`` in English: the left-behind line's pupils read 1 pupil / 2 pupils (issue 9, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.domain.enums import Role
from bot.flows.runner import FlowRunner
from bot.store.models import Person, SchoolClass
from tests.support.chat import Chat
from tests.support.school import SchoolBuilder


@pytest.fixture
def flows(uow_factory, clock):
    return FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))


@pytest.mark.parametrize(("pupils", "line"), [(1, "• Left-behind children: 1 of 1 pupil (100.0%)"),
                                              (2, "• Left-behind children: 1 of 2 pupils (50.0%)")])
def test_the_principal_reads_one_pupil_and_two_pupils(flows, uow_factory, pupils, line):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "山顶小学")
        leader = b.person("周校长", Role.SCHOOL_LEADER)
        klass = b.klass("一年级（1）班", teacher=b.person("王老师", Role.CLASS_TEACHER))
        b.child("小一", "Q1", klass)
        row = uow.session.get(SchoolClass, klass)
        person = uow.session.get(Person, leader)
        assert row is not None and person is not None
        row.pupils_total, person.locale = pupils, "en"
        b.account(leader, "tg-leader", bound_at=datetime(2026, 11, 1, tzinfo=UTC))
        uow.commit()
    chat = Chat(flows, "tg-leader")
    chat.send("/report")
    assert line in chat.text, chat.text
