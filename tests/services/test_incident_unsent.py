"""An emergency report left at the confirm step is not silently dropped (fig9d; bot.services.incident_unsent)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.services.incident_unsent import remind_unsent
from bot.store.models import Incident, OutboxMessage
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, small_school


@pytest.fixture
def school(uow_factory, clock):
    return small_school(uow_factory, clock.now())


@pytest.fixture
def flows(uow_factory, clock):
    return FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))


def _tick(uow_factory, clock, minutes: int) -> list[tuple[str, int]]:
    clock.advance(timedelta(minutes=minutes))
    with uow_factory() as uow:
        remind_unsent(uow, now=clock.now())
        uow.commit()
        return [(k, p) for k, p in uow.session.execute(
            select(OutboxMessage.key, OutboxMessage.person_id).where(OutboxMessage.key.like("incident_unsent:%"))
            .order_by(OutboxMessage.id))]


def _left_at_confirm(flows, severity: str) -> Chat:
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("报告 李四")
    wang.send("1")  # injury
    wang.send(severity)
    wang.send("在操场摔倒，头部出血")
    assert wang.text.startswith("确认报告关于李四的突发事件吗？")
    return wang


def test_the_reporter_after_three_minutes_the_admins_after_fifteen_once(flows, school, uow_factory, clock):
    wang = _left_at_confirm(flows, "1")  # emergency
    assert _tick(uow_factory, clock, 2) == []
    [(key, to)] = _tick(uow_factory, clock, 2)
    assert key.endswith(":reporter") and to == school.wang
    assert len(_tick(uow_factory, clock, 5)) == 1  # not again, and the admins not yet
    sent = _tick(uow_factory, clock, 10)
    assert [to for key, to in sent if ":admin:" in key] == [school.admin]
    assert _tick(uow_factory, clock, 30) == sent  # once
    wang.send("立即报告")
    assert "已报告" in wang.text
    with uow_factory() as uow:
        assert uow.session.scalar(select(Incident.id)) is not None


def test_a_minor_incident_is_not_reminded(flows, school, uow_factory, clock):
    _left_at_confirm(flows, "2")  # minor: it waits, as any question does
    assert _tick(uow_factory, clock, 30) == []


def test_a_cancelled_report_is_not_reminded(flows, school, uow_factory, clock):
    wang = _left_at_confirm(flows, "1")
    wang.send("取消")
    assert _tick(uow_factory, clock, 30) == []
