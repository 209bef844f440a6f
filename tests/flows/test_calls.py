"""Family calls (亲情电话, issue 8 item 6), as a mother, a grandmother and the class teacher live them.

The teacher chats without buttons (numbered replies, as on WeChat) and is in
the middle of a talk record when the mother's request arrives.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain import call_slots
from bot.domain.enums import Channel, RelationKind, Role
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.services.delivery import drain_outbox
from bot.store.models import CallRoom, FamilyCall
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        guardian = b.person("张奶奶", Role.GUARDIAN)
        mother = b.person("张妈妈", Role.PARENT)
        father = b.person("张爸爸", Role.PARENT, locale="en")
        klass = b.klass("三(1)班", teacher=teacher)
        child = b.child("张小明", "S001", klass)
        for kind, who in ((RelationKind.ENTRUSTED_GUARDIAN, guardian), (RelationKind.MOTHER, mother),
                          (RelationKind.FATHER, father)):
            b.relate(child, kind, who)
        b.account(teacher, "wx-teacher", channel=Channel.WECHAT.value)
        b.account(guardian, "tg-grandma")
        b.account(mother, "tg-mother")
        b.account(father, "wx-father", channel=Channel.WECHAT.value)
        uow.commit()
    return {"teacher": teacher, "guardian": guardian, "mother": mother, "father": father, "child": child}


def _drain(uow_factory, at, wechat, telegram):
    asyncio.run(drain_outbox(uow_factory, {"wechat": wechat, "telegram": telegram}, now=at, settings=SETTINGS))


def _read(sent) -> str:
    return render(sent.prompt, sent.locale).text


def test_a_mother_asks_the_teacher_confirms_both_are_reminded_and_the_call_is_recorded(
        uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)  # Monday 30 November 2026, 09:00 in Shanghai
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    mother = Chat(flows, "tg-mother")
    mother.send("亲情电话")
    assert "亲情电话：请为张小明的亲情电话选择时间" in mother.text
    assert [label for label, _ in mother.choices][:2] == ["2026年11月30日 16:30", "2026年11月30日 16:45"]
    mother.tap("2026年11月30日 16:30")
    assert "已申请 2026年11月30日 16:30" in mother.text

    teacher = Chat(flows, "wx-teacher", channel=Channel.WECHAT.value)
    teacher.send("谈心 张小明")  # a talk record in progress: its answers are numbered 1–3
    assert "情绪怎么样" in teacher.text
    _drain(uow_factory, clock.now(), wechat, telegram)
    (ask,) = wechat.to("wx-teacher")
    assert "张妈妈申请亲情电话：张小明与张妈妈（母亲），2026年11月30日 16:30，亲情电话。" in _read(ask)
    assert not ask.prompt.choices  # one question at a time: it waits behind the talk question on screen
    teacher.send("1")  # the talk question takes its own answers
    assert "学习情况" in teacher.text
    teacher.send("/cancel")  # the talk has an answer: asked first whether to drop it (fix6al)
    assert "您还没有完成与张小明的谈心记录，目前还没有保存。要放弃吗？" in teacher.text
    teacher.send("1")  # Drop it: the call request is asked again, numbered from 1
    assert "还在等您回答" in teacher.text and "张妈妈申请亲情电话" in teacher.text
    teacher.send("1")  # Confirm
    assert "已确认：张小明与张妈妈" in teacher.text

    grandma = Chat(flows, "tg-grandma")
    grandma.send("/call")
    grandma.tap("张爸爸（父亲）")
    assert "2026年11月30日 16:30" not in [label for label, _ in grandma.choices]  # the mother's slot is taken
    grandma.tap("2026年11月30日 16:45")
    teacher.send("待办")  # the request waits in /due too, with its own numbers
    assert "张奶奶申请亲情电话：张小明与张爸爸（父亲），2026年11月30日 16:45" in teacher.text
    assert [label for label, _ in teacher.choices][-2:] == ["确认", "拒绝"]
    _drain(uow_factory, clock.now(), wechat, telegram)
    ask2 = wechat.to("wx-teacher")[-1]
    teacher.press(ask2.prompt.choices[1].payload)  # Decline
    assert "已拒绝" in teacher.text
    teacher.press(ask2.prompt.choices[0].payload)  # and a second tap changes nothing
    assert "以第一次答复为准" in teacher.text
    _drain(uow_factory, clock.now(), wechat, telegram)
    assert "无法安排张小明在2026年11月30日 16:45的亲情电话" in _read(telegram.to("tg-grandma")[-1])
    (booked,) = telegram.to("tg-mother")
    assert _read(booked).startswith("亲情电话已预约：张小明与张妈妈（母亲），2026年11月30日 16:30")

    _drain(uow_factory, datetime(2026, 11, 30, 7, 31, tzinfo=UTC), wechat, telegram)  # 15:31: an hour before
    assert "提醒：张小明与张妈妈的亲情电话在2026年11月30日 16:30" in _read(telegram.to("tg-mother")[-1])
    assert "提醒" in _read(wechat.to("wx-teacher")[-1])
    _drain(uow_factory, datetime(2026, 11, 30, 8, 46, tzinfo=UTC), wechat, telegram)  # after the slot
    record = wechat.to("wx-teacher")[-1]
    assert "请记录张小明与张妈妈的亲情电话" in _read(record)
    clock.set(datetime(2026, 11, 30, 8, 50, tzinfo=UTC))
    teacher.send(str(record.prompt.first_number))  # It was held
    assert "通话了多少分钟" in teacher.text
    teacher.send("十几分钟")
    assert "请回复分钟数" in teacher.text
    teacher.send("12分钟")
    teacher.send("孩子很开心，妈妈答应春节回家。")
    assert "亲情电话已记录" in teacher.text
    with uow_factory() as uow:
        call = uow.session.scalars(select(FamilyCall).where(FamilyCall.parent_id == world["mother"])).one()
        assert (call.status, call.held, call.duration_minutes, call.logged_by_id) == (
            "logged", True, 12, world["teacher"])
        assert call.note == "孩子很开心，妈妈答应春节回家。"


def test_a_teacher_books_at_once_and_the_father_reads_it_in_english(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    with uow_factory() as uow:
        uow.session.add(CallRoom(school_id=1, name="视频室", kind="video", slots="tue,thu 18:00-19:00/30"))
        uow.commit()
    teacher = Chat(flows, "wx-teacher", channel=Channel.WECHAT.value)
    teacher.send("/call 李四")
    assert "没有找到名叫李四的孩子" in teacher.text
    teacher.send("/call 张小明")
    teacher.send(teacher.number("张爸爸（父亲）"))
    assert "视频室：请为张小明的亲情电话选择时间" in teacher.text
    teacher.send(teacher.number("2026年12月1日 18:00"))  # Tuesday
    assert "已预约：张小明的亲情电话在2026年12月1日 18:00" in teacher.text
    _drain(uow_factory, clock.now(), wechat, telegram)
    (told,) = wechat.to("wx-father")
    assert _read(told) == "Family call booked: 张小明 with 张爸爸 (father), Dec 1, 2026 18:00, 视频室."


def test_slot_texts() -> None:
    windows = call_slots.parse("tue,thu 16:30-17:30/20; sat 09:00-10:00/30")
    assert len(windows) == 2 and windows[0].weekdays == frozenset({1, 3})
    for bad in ("", "someday 10:00-11:00/10", "mon 11:00-10:00/10", "mon 10:00-11:00/1", "mon 25:00-26:00/10"):
        with pytest.raises(call_slots.SlotError):
            call_slots.parse(bad)
