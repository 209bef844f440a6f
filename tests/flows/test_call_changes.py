"""Family calls after the trial by new users: two children called 杨兵, and calls moved or cancelled.

The room's keeper chats on WeChat without buttons; a father's request is
waiting on her screen while she cancels another call.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Channel, RelationKind, Role
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.services.delivery import drain_outbox
from bot.store.models import CallRoom, Child, FamilyCall, OutboxMessage
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        keeper = b.person("刘老师", Role.HELPER_TEACHER)
        principal = b.person("陈校长", Role.SCHOOL_LEADER)
        people = {"keeper": keeper, "principal": principal}
        for cls, born, grandparent, father, account in (
                ("三(1)班", date(2016, 3, 4), "杨奶奶", "杨建国", "tg-jianguo"),
                ("四(2)班", date(2015, 9, 1), "杨爷爷", "杨建军", "tg-jianjun")):
            klass = b.klass(cls, teacher=b.person(f"{cls}班主任", Role.CLASS_TEACHER))
            child = b.child("杨兵", f"S{born.year}", klass)
            uow.session.get(Child, child).birth_date = born
            b.relate(child, RelationKind.ENTRUSTED_GUARDIAN, b.person(grandparent, Role.GUARDIAN))
            dad = b.person(father, Role.PARENT)
            b.relate(child, RelationKind.FATHER, dad)
            b.account(dad, account)
            people[account] = dad
        uow.session.add(CallRoom(school_id=b.school_id, name="亲情电话室", kind="phone", slots="mon-fri 16:30-17:30/15",
                                 keeper_id=keeper))
        b.account(keeper, "wx-keeper", channel=Channel.WECHAT.value)
        b.account(principal, "tg-principal")
        uow.commit()
    return people


def _drain(uow_factory, at, wechat, telegram):
    asyncio.run(drain_outbox(uow_factory, {"wechat": wechat, "telegram": telegram}, now=at, settings=SETTINGS))


def _read(sent) -> str:
    return render(sent.prompt, sent.locale).text


def test_namesakes_are_told_apart_and_calls_are_moved_and_cancelled(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)  # Monday 30 November 2026, 09:00 in Shanghai
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    father = Chat(flows, "tg-jianguo")
    father.send("亲情电话")
    father.tap(father.choices[0][0])
    assert "已申请" in father.text
    _drain(uow_factory, clock.now(), wechat, telegram)
    (request,) = wechat.to("wx-keeper")
    assert "杨建国申请亲情电话：杨兵（三(1)班；2016年3月4日出生、监护人杨奶奶）与杨建国（父亲）" in _read(request)

    principal = Chat(flows, "tg-principal")
    principal.send("亲情电话 杨兵")
    assert "杨兵（三(1)班；2016年3月4日出生、监护人杨奶奶）" in [label for label, _p in principal.choices]
    principal.tap("杨兵（四(2)班；2015年9月1日出生、监护人杨爷爷）")
    first = principal.choices[0][0]
    principal.tap(first)
    assert "已预约：杨兵（四(2)班；2015年9月1日出生、监护人杨爷爷）的亲情电话" in principal.text
    _drain(uow_factory, clock.now(), wechat, telegram)

    principal.send("亲情电话")  # the principal moves the call she booked
    principal.tap("改时间或取消亲情电话")
    assert principal.text.startswith("亲情电话：杨兵（四(2)班；")
    principal.tap("改时间")
    new = principal.choices[1][0]
    principal.tap(new)
    assert f"已改时间：杨兵（四(2)班；2015年9月1日出生、监护人杨爷爷）与杨建军的亲情电话改到{new}" in principal.text
    _drain(uow_factory, clock.now(), wechat, telegram)
    told = [_read(s) for s in telegram.to("tg-jianjun")]
    assert any(t.startswith("亲情电话已预约") for t in told)
    assert told[-1].startswith("亲情电话改时间了：杨兵（四(2)班；") and f"改到{new}（原定{first}）" in told[-1]
    with uow_factory() as uow:  # the old time's reminders will not go out
        keys = uow.session.scalars(select(OutboxMessage.key).where(
            OutboxMessage.person_id == world["tg-jianjun"], OutboxMessage.key.like("%:remind:%"),
            OutboxMessage.cancelled_at.is_(None))).all()
        assert len(keys) == 1 and ":m" in keys[0]

    keeper = Chat(flows, "wx-keeper", channel=Channel.WECHAT.value)  # the father's request is on her screen
    keeper.send("亲情电话")
    keeper.send("1")  # 改时间或取消亲情电话
    assert "您要改时间或取消哪次亲情电话" in keeper.text
    keeper.send("1")  # the father's call, asked for first
    keeper.send("2")  # 取消这次通话
    keeper.send("1")  # never a bare number for what cannot be undone
    assert "确认取消通话" in keeper.text
    keeper.send("确认取消通话")
    assert "亲情电话已取消，双方都已收到通知" in keeper.text
    assert "杨建国申请亲情电话" not in keeper.text  # the request it answered is not asked again
    _drain(uow_factory, clock.now(), wechat, telegram)
    assert _read(telegram.to("tg-jianguo")[-1]).startswith(
        "亲情电话已取消：杨兵（三(1)班；2016年3月4日出生、监护人杨奶奶）与杨建国（父亲）")
    with uow_factory() as uow:
        statuses = dict(uow.session.execute(select(FamilyCall.parent_id, FamilyCall.status)).all())
        assert statuses == {world["tg-jianguo"]: "cancelled", world["tg-jianjun"]: "booked"}
