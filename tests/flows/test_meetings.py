"""Meetings (issue 8 item 7): a class teacher calls a parent-school session; the family replies; attendance.

The grandmother chats without buttons (numbered replies) and her weekly
check-in is waiting when she answers the invitation.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Channel, RelationKind, Role
from bot.domain.meetings import parse_when
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.scheduler.jobs import tick
from bot.store.models import Meeting, MeetingInvite
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        helper = b.person("李老师", Role.HELPER_TEACHER)
        guardian = b.person("张奶奶", Role.GUARDIAN)
        mother = b.person("张妈妈", Role.PARENT, locale="en")
        admin = b.person("刘校长", Role.SCHOOL_LEADER)
        klass = b.klass("三(1)班", teacher=teacher)
        child = b.child("张小明", "S001", klass)
        for kind, who in ((RelationKind.ENTRUSTED_GUARDIAN, guardian), (RelationKind.MOTHER, mother),
                          (RelationKind.HELPER_TEACHER, helper)):
            b.relate(child, kind, who)
        b.account(teacher, "tg-teacher")
        b.account(guardian, "wx-grandma", channel=Channel.WECHAT.value)
        b.account(mother, "tg-mother")
        b.account(helper, "tg-helper")
        b.account(admin, "tg-admin")
        uow.commit()
    return {"teacher": teacher, "guardian": guardian, "mother": mother, "helper": helper}


def _tick(uow_factory, clock, at, wechat, telegram):
    clock.set(at)
    return asyncio.run(tick(uow_factory, clock, SETTINGS, {"wechat": wechat, "telegram": telegram}))


def test_a_parent_school_session_from_invitation_to_attendance(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)  # Monday 30 November 2026, 09:00 in Shanghai
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    teacher = Chat(flows, "tg-teacher")
    teacher.send("开会")
    teacher.tap("家长学校")
    teacher.send("下周四下午")
    assert "请给出未来六个月内的日期和时间" in teacher.text
    teacher.send("12月10日 下午3点")
    teacher.send("三(1)班教室")
    assert "家长学校，2026年12月10日 15:00，地点：三(1)班教室：将邀请 2 人。" in teacher.text  # grandmother, mother
    teacher.tap("发送邀请")
    assert "已向 2 人发送邀请" in teacher.text
    assert teacher.choices == []

    _tick(uow_factory, clock, datetime(2026, 11, 30, 2, tzinfo=UTC), wechat, telegram)
    (invited,) = wechat.to("wx-grandma")
    assert render(invited.prompt, "zh_Hans").text.startswith("邀请：青山村小学三(1)班家长学校，2026年12月10日 15:00")
    (to_mother,) = telegram.to("tg-mother")
    assert render(to_mother.prompt, "en").text == (
        "Invitation: 青山村小学三(1)班 parent school, Dec 10, 2026 15:00, at 三(1)班教室. Will you come?")
    Chat(flows, "tg-mother").press(to_mother.prompt.choices[1].payload)  # I cannot come

    _tick(uow_factory, clock, datetime(2026, 12, 4, 10, 1, tzinfo=UTC), wechat, telegram)  # Friday's check-in
    checkin = wechat.to("wx-grandma")[-1]
    # The invitation waited days unanswered: the check-in is the question on screen, numbered from 1.
    assert checkin.prompt.kind == "checkin" and checkin.prompt.first_number == 1
    grandma = Chat(flows, "wx-grandma", channel=Channel.WECHAT.value)
    grandma.send("1")  # the check-in's "很好", not the invitation
    assert "谢谢" in grandma.text and "张小明" in grandma.text
    grandma.send("跳过")  # no note: the invitation is asked again
    assert "还在等您回答" in grandma.text and "邀请" in grandma.text
    grandma.send("1")  # the invitation's "参加"
    assert "谢谢：2026年12月10日 15:00在三(1)班教室的家长学校见。" in grandma.text

    _tick(uow_factory, clock, datetime(2026, 12, 9, 9, 1, tzinfo=UTC), wechat, telegram)  # 17:01 the day before
    assert "提醒：青山村小学三(1)班家长学校在明天" in render(wechat.to("wx-grandma")[-1].prompt, "zh_Hans").text
    assert len(telegram.to("tg-mother")) == 1  # she said she cannot come: no reminder
    _tick(uow_factory, clock, datetime(2026, 12, 10, 9, 5, tzinfo=UTC), wechat, telegram)  # two hours after
    ask = [s for s in telegram.to("tg-teacher") if s.prompt.kind == "task"][-1]
    assert "请记录2026年12月10日 15:00的家长学校的到会情况" in render(ask.prompt, "zh_Hans").text
    Chat(flows, "tg-helper").press(ask.prompt.choices[0].payload)  # not the organiser
    teacher.send("/due")
    assert "请记录2026年12月10日 15:00的家长学校的到会情况" in teacher.text
    teacher.press(ask.prompt.choices[0].payload)
    assert "共邀请 2 人，1 人回复参加" in teacher.text and "张奶奶（参加）" in teacher.text
    assert "张妈妈（不能参加）" in teacher.text
    teacher.send("很多")
    assert "请回复到会人数" in teacher.text
    teacher.send("3人")  # more than were invited: asked again, politely
    assert "共邀请 2 人，到会人数最多为 2 人" in teacher.text and "有多少人到会" in teacher.text
    teacher.send("一个")
    assert "已记录：到会 1 人（共邀请 2 人）" in teacher.text
    teacher.send("/due")
    assert "到会情况" not in teacher.text
    with uow_factory() as uow:
        meeting = uow.session.scalars(select(Meeting)).one()
        assert (meeting.kind, meeting.attended, meeting.organiser_id) == ("parent_school", 1, world["teacher"])
        replies = dict(uow.session.execute(select(MeetingInvite.person_id, MeetingInvite.reply)).all())
        assert replies == {world["guardian"]: "yes", world["mother"]: "no"}


def test_a_school_forum_called_by_the_principal_and_who_may_call_one(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    assert "Meetings are called by class teachers" in Chat(flows, "tg-mother").send("/meeting")[0].text
    principal = Chat(flows, "tg-admin")
    principal.send("座谈会")
    principal.tap("座谈会")
    principal.send("2026-12-12 9:30")
    principal.send("学校会议室")
    assert "将邀请 2 人" in principal.text  # the helper teacher and the guardian (座谈会: not the parents away)
    principal.tap("取消")
    assert "已取消" in principal.text


def test_typed_dates_and_times() -> None:
    now = datetime(2026, 11, 30, 1, tzinfo=UTC)
    for typed, want in (("12月10日 15:00", "2026-12-10 15:00"), ("12/10 下午3点半", "2026-12-10 15:30"),
                        ("2026-12-10 9点", "2026-12-10 09:00"), ("1月5日 晚上7点", "2027-01-05 19:00")):
        assert parse_when(typed, now, "Asia/Shanghai").strftime("%Y-%m-%d %H:%M") == want
    for bad in ("12月10日", "12月10日 25:00", "11月30日 8:00", "2027-11-01 9:00", "明天"):
        assert parse_when(bad, now, "Asia/Shanghai") is None
