"""Meetings after the trial by new users: 好的 to an invitation, a changed answer, a moved or cancelled meeting,
an attendance count that cannot exceed the number invited.

The grandmothers chat on WeChat without buttons (numbered replies); one of
them has her weekly check-in waiting when the invitation arrives.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.counts import parse_count
from bot.domain.enums import Channel, Priority, RelationKind, Role
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.scheduler.jobs import tick
from bot.services import checkin_messages
from bot.services.outbox import enqueue
from bot.store.models import Checkin, Meeting, MeetingInvite
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")
GRANDMAS = ("wx-zhang", "wx-li", "wx-wang")


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        principal = b.person("刘校长", Role.SCHOOL_LEADER)
        helper = b.person("赵老师", Role.HELPER_TEACHER)
        klass = b.klass("三(1)班", teacher=teacher)
        people = {"teacher": teacher}
        for i, (account, name, child) in enumerate(zip(GRANDMAS, ("张奶奶", "李奶奶", "王奶奶"),
                                                       ("张小明", "李小红", "王小华"), strict=True)):
            grandma = b.person(name, Role.GUARDIAN)
            kid = b.child(child, f"S00{i}", klass)
            b.relate(kid, RelationKind.ENTRUSTED_GUARDIAN, grandma)
            b.relate(kid, RelationKind.HELPER_TEACHER, helper)
            b.account(grandma, account, channel=Channel.WECHAT.value)
            people[account] = grandma
            people[child] = kid
        b.account(teacher, "tg-teacher")
        b.account(principal, "tg-principal")
        b.account(helper, "tg-helper", channel=Channel.TELEGRAM.value)
        uow.commit()
    return people


def _tick(uow_factory, clock, at, wechat, telegram):
    clock.set(at)
    return asyncio.run(tick(uow_factory, clock, SETTINGS, {"wechat": wechat, "telegram": telegram}))


def _checkin_waiting(uow_factory, now, guardian: int, child: int) -> None:
    """This week's check-in about 张小明 for 张奶奶's chat (delivered by the next tick, behind what is on screen)."""
    with uow_factory() as uow:
        row = Checkin(child_id=child, guardian_id=guardian, period="2026-W49", sent_at=now,
                      reminder_due_at=now + timedelta(hours=48))
        uow.session.add(row)
        uow.session.flush()
        enqueue(uow.session, key=f"checkin:{child}:{guardian}:2026-W49", person_id=guardian,
                prompt=checkin_messages.question_prompt(row.id, "张小明"), priority=Priority.BULK, now=now)
        uow.commit()


def test_families_answer_as_they_speak_change_their_answer_and_the_teacher_moves_the_meeting(
        uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)  # Monday 30 November 2026
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    clock.set(datetime(2026, 11, 30, 1, tzinfo=UTC))
    teacher = Chat(flows, "tg-teacher")
    teacher.send("家长会")
    teacher.tap("监护人会议")
    teacher.send("12月10日 15:00")
    teacher.send("三(1)班教室")
    teacher.tap("发送邀请")
    assert "已向 3 人发送邀请" in teacher.text
    _tick(uow_factory, clock, datetime(2026, 11, 30, 2, tzinfo=UTC), wechat, telegram)
    _checkin_waiting(uow_factory, clock.now(), world["wx-zhang"], world["张小明"])  # arrives after the invitation
    _tick(uow_factory, clock, datetime(2026, 11, 30, 2, 1, tzinfo=UTC), wechat, telegram)

    zhang = Chat(flows, "wx-zhang", channel=Channel.WECHAT.value)
    zhang.send("好的")  # the invitation is on screen; her check-in waits behind it
    assert "谢谢：2026年12月10日 15:00在三(1)班教室的监护人会议见。" in zhang.text
    assert "还在等您回答" in zhang.text and "张小明" in zhang.text  # the check-in is asked again
    zhang.send("1")  # the check-in's 很好
    zhang.send("跳过")
    li, wang = (Chat(flows, a, channel=Channel.WECHAT.value) for a in ("wx-li", "wx-wang"))
    assert "监护人会议见" in li.send("收到")[0].text
    assert "监护人会议见" in wang.send("行")[0].text

    li.send("开会")  # 李奶奶 cannot come after all: she asks for her invitation again
    assert "您的回复：参加。您能参加吗？" in li.text and "1. " not in li.text  # numbers are the renderer's
    li.send("2")
    assert "谢谢您告知" in li.text

    teacher.send("开会")  # the teacher's count follows the changed answer
    teacher.tap("改时间或取消我召集的会议")
    assert "共邀请 3 人；2 人参加，1 人不能参加，0 人尚未回复" in teacher.text
    teacher.tap("改时间")
    teacher.send("12月11日 15:00")
    assert "把监护人会议从2026年12月10日 15:00改到2026年12月11日 15:00吗" in teacher.text
    teacher.tap("确认改时间")
    assert "已改时间。已邀请的 3 人会收到新时间" in teacher.text
    _tick(uow_factory, clock, datetime(2026, 11, 30, 3, tzinfo=UTC), wechat, telegram)
    moved = render(wechat.to("wx-zhang")[-1].prompt, "zh_Hans").text
    assert moved.startswith("变更：青山村小学三(1)班监护人会议由2026年12月10日 15:00改到2026年12月11日 15:00")
    zhang.send("好的")
    assert "2026年12月11日 15:00在三(1)班教室的监护人会议见" in zhang.text

    seen = len(wechat.to("wx-zhang"))
    _tick(uow_factory, clock, datetime(2026, 12, 9, 9, 1, tzinfo=UTC), wechat, telegram)  # the old eve: nothing
    assert len(wechat.to("wx-zhang")) == seen
    _tick(uow_factory, clock, datetime(2026, 12, 10, 9, 1, tzinfo=UTC), wechat, telegram)  # the new eve
    assert "提醒：青山村小学三(1)班监护人会议在明天 2026年12月11日 15:00" in render(
        wechat.to("wx-zhang")[-1].prompt, "zh_Hans").text

    _tick(uow_factory, clock, datetime(2026, 12, 11, 9, 5, tzinfo=UTC), wechat, telegram)  # two hours after
    ask = [s for s in telegram.to("tg-teacher") if s.prompt.kind == "task"][-1]
    assert "请记录2026年12月11日 15:00的监护人会议的到会情况" in render(ask.prompt, "zh_Hans").text
    teacher.send("99")  # typed at the notice itself: more than were invited
    assert "共邀请 3 人，到会人数最多为 3 人" in teacher.text
    assert "请记录2026年12月11日 15:00的监护人会议的到会情况" in teacher.text  # asked again
    teacher.send("两个")
    assert "已记录：到会 2 人（共邀请 3 人）" in teacher.text
    teacher.send("/due")
    assert "到会情况" not in teacher.text
    with uow_factory() as uow:
        meeting = uow.session.scalars(select(Meeting)).one()
        assert meeting.attended == 2
        replies = dict(uow.session.execute(select(MeetingInvite.person_id, MeetingInvite.reply)).all())
        assert replies[world["wx-zhang"]] == "yes" and replies[world["wx-li"]] is None  # asked again after the move


def test_the_principal_cancels_a_forum_and_everyone_invited_is_told(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    clock.set(datetime(2026, 11, 30, 1, tzinfo=UTC))
    principal = Chat(flows, "tg-principal")
    principal.send("座谈会")
    principal.tap("座谈会")
    principal.send("2026-12-12 9:30")
    principal.send("学校会议室")
    principal.tap("发送邀请")
    _tick(uow_factory, clock, datetime(2026, 11, 30, 2, tzinfo=UTC), wechat, telegram)
    (invitation,) = [s for s in telegram.to("tg-helper") if s.prompt.message_id.startswith("Invitation")]

    principal.send("/meeting")
    principal.tap("改时间或取消我召集的会议")
    principal.tap("取消会议")
    assert "取消后无法恢复" in principal.text
    principal.send("1")  # never a bare number for what cannot be undone
    assert "确认取消会议" in principal.text and "会议已取消" not in principal.text
    principal.send("确认取消会议")
    assert "会议已取消。已通知受邀的 4 人。" in principal.text

    _tick(uow_factory, clock, datetime(2026, 11, 30, 3, tzinfo=UTC), wechat, telegram)
    told = render(telegram.to("tg-helper")[-1].prompt, "zh_Hans").text
    assert told.startswith("通知：青山村小学原定2026年12月12日 09:30在学校会议室的座谈会取消了。刘校长向您致歉。")
    helper = Chat(flows, "tg-helper")
    helper.press(invitation.prompt.choices[0].payload)  # the old invitation's "Yes": no longer valid
    assert "这个按钮已经失效了" in helper.text
    _tick(uow_factory, clock, datetime(2026, 12, 11, 9, 1, tzinfo=UTC), wechat, telegram)
    _tick(uow_factory, clock, datetime(2026, 12, 12, 5, 0, tzinfo=UTC), wechat, telegram)
    assert not [s for s in telegram.to("tg-helper") if s.prompt.message_id.startswith("Reminder")]
    assert not [s for s in telegram.to("tg-principal") if s.prompt.kind == "task"]  # no attendance to record


def test_typed_counts() -> None:
    for typed, want in (("5", 5), ("５", 5), ("5人", 5), ("五个", 5), ("十二个人", 12), ("两位", 2), ("0", 0),
                        ("二十三名", 23)):
        assert parse_count(typed) == want, typed
    for bad in ("很多", "5-6", "", "个", "五五", "3.5"):
        assert parse_count(bad) is None, bad
