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


def test_the_registration_tables_class_check_reads_one_child_in_english(flows, uow_factory):
    """The class sheet's 留守儿童 count against the archive: "says 1 left-behind child", "says 2 … children"."""
    from tests.support.figures_world import county

    world = county(uow_factory)
    with uow_factory() as uow:
        classes = uow.session.query(SchoolClass).filter(SchoolClass.school_id == world.qingxi).order_by(SchoolClass.id)
        for klass, listed in zip(classes, (1, 5), strict=True):
            klass.left_behind_count = listed
        leader = uow.session.get(Person, world.leader)
        assert leader is not None
        leader.locale = "en"
        uow.commit()
    chat = Chat(flows, f"tg-{world.leader}")
    chat.send("/export 统计表")
    assert "一年级（1）班: the class sheet says 1 left-behind child, the archive holds 6" in chat.text, chat.text
    assert "二年级（1）班: the class sheet says 5 left-behind children, the archive holds 2" in chat.text
