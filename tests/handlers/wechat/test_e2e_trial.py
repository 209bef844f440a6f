"""Defects a trial by new users found in issue 6's conversations, typed as they typed them (signed WeChat XML).

Each test has another question waiting in the same chat where it matters: a
number answers only the question most recently shown, and what waits is asked
again with its context named.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store.models import Incident, IncidentStep, School, TalkRecord
from tests.handlers.wechat.test_e2e_agenda import _report
from tests.handlers.wechat.test_e2e_incidents import _school


def _incidents(uow_factory) -> list[Incident]:
    with uow_factory() as uow:
        rows = list(uow.session.scalars(select(Incident).order_by(Incident.id)))
        uow.session.expunge_all()
        return rows


async def test_due_in_the_middle_of_a_talk_keeps_the_talks_numbers_and_asks_it_again(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")  # an open incident: /due lists it with a "查看" choice
        await wang("谈心 杨婷")
        study = await wang("1")
        assert "杨婷的学习情况怎么样？" in study
        due = await wang("待办")
        assert "未结束的突发事件（1）" in due and "杨秀云" in due
        assert "查看：" not in due  # the list is information here: its choices do not take the numbers
        assert "继续记录与杨婷的谈心：" in due
        assert due.rstrip().splitlines()[-2] == "1. 好  2. 一般  3. 较差"
        life = await wang("1")  # answers the talk's study question, not "show the incident"
        assert "杨婷的生活情况" in life and "查看" not in life
        assert "要放弃吗？" in await wang("取消")  # answers given: asked first (fix6al, issue 6 item 1)
        assert (await wang("1")).startswith("已取消与杨婷的谈心记录，没有保存任何内容。")
        assert await wang("取消") == "现在没有进行中的操作，无需取消。"
        shown = await wang("待办")  # nothing waits now: the list's own choices are numbered
        assert "1. 查看：杨秀云" in shown
    assert _incidents(uow_factory)[0].status == "open"
    with uow_factory() as uow:
        assert uow.session.scalars(select(TalkRecord)).all() == []


async def _to_leave_out_reason(wang, child: str) -> str:
    await wang(f"报告 {child}")
    await wang("1")  # injury
    await wang("1")  # emergency
    await wang("晚自习后在宿舍楼梯摔倒，头部出血。")
    who = await wang("2")  # leave someone out
    assert "杨秀云的这起突发事件不通知谁？" in who and "1. 张强（委托监护人）" in who
    return await wang("1")  # the grandfather


async def test_an_emergency_with_the_guardian_left_out_is_sent_now_even_in_the_quiet_hours(uow_factory, clock):
    school = _school(uow_factory, clock)
    clock.advance(timedelta(hours=13, minutes=30))  # 22:30 school time: the quiet hours
    wang = school.writer("wang")
    async with school.client:
        reason = await _to_leave_out_reason(wang, "杨秀云")
        assert reason.startswith("为什么不通知张强？")
        confirm = await wang("外公住院了，联系不上。")
        assert "不通知：张强（委托监护人）——外公住院了，联系不上。" in confirm and "休息时间" not in confirm
        reported = await wang("1")
        assert reported.startswith("已报告。已开始按联系链通知相关人员")
        assert "休息时间" not in reported and "一般" not in reported
        await school.tick()
        for parent in ("father", "mother"):  # step 1 has nobody left: the parents are alerted at once
            [alert] = school.received(parent)
            assert alert.startswith("突发事件：杨秀云") and "紧急" in alert
        assert school.received("zhangqiang") == []


async def test_a_bare_1_is_no_reason_for_leaving_the_grandfather_out(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _to_leave_out_reason(wang, "杨秀云")
        again = await wang("1")  # the number of the list just answered, typed once more
        assert again.startswith("单独一个数字不能回答这个问题，请写几句话。")
        assert again.rstrip().endswith("为什么不通知张强？请写几句话，会记录在事件中。")
        again = await wang("1。")  # a list's mark after the number is the number (conv6m d): still no reason
        assert again.startswith("单独一个数字不能回答这个问题，请写几句话。")
        confirm = await wang("外公住院了")
        assert "不通知：张强（委托监护人）——外公住院了" in confirm and "—— 1" not in confirm
        asked = await wang("取消")  # answers given: "要放弃吗？" first, as a talk asks (fix6ao)
        assert asked.startswith("您还没有完成杨秀云的事件报告，目前还没有保存。要放弃吗？"), asked
        assert await wang("1") == "已取消关于杨秀云的突发事件报告，没有保存也没有发送任何内容。"
    assert _incidents(uow_factory) == []


async def test_leaving_someone_out_after_the_report_needs_words_too(uow_factory, clock):
    school = _school(uow_factory, clock)
    wang = school.writer("wang")
    async with school.client:
        await _report(wang, "杨秀云")
        due = await wang("待办")
        assert "1. 查看：杨秀云" in due
        view = await wang("1")
        number = view.split("排除某人")[0].split()[-1].rstrip(".")
        who = await wang(number)
        assert "关于杨秀云的突发事件，此后不再通知谁？" in who and "1. 张强（委托监护人）" in who
        reason = await wang("1")
        assert reason.startswith("为什么不再通知张强？")
        refused = await wang("1")
        assert refused.startswith("单独一个数字不能回答这个问题，请写几句话。")
        refused = await wang("好")
        assert refused.startswith("请用几句话写明原因，以便学校日后了解为什么没有通知张强。")
        # 张强 was left out at the pick (fix9t): cancelling the reason keeps him left out, and says so.
        assert await wang("取消") == "未记录原因。张强仍不再收到关于杨秀云的突发事件的任何消息。"
    with uow_factory() as uow:
        steps = uow.session.scalars(select(IncidentStep).where(IncidentStep.excluded_at.is_not(None))).all()
        assert len(steps) == 1


async def test_every_alert_and_the_emergency_answer_give_a_number_at_the_school_when_the_roster_has_none(
        uow_factory, clock):
    school = _school(uow_factory, clock)
    with uow_factory() as uow:  # the sample roster's school sheet has no 学校电话
        uow.session.get(School, school.world.school).phone = None
        uow.commit()
    office, reporter = "学校联系人刘主任：150 0013 4841", "联系报告人王老师：138 0013 0739"  # 刘主任 (admin), 王老师
    wang, grandpa = school.writer("wang"), school.writer("zhangqiang")
    async with school.client:
        await _report(wang, "杨秀云")
        await school.tick()
        clock.advance(timedelta(minutes=10))
        await school.tick()
        alert, reminder = school.received("zhangqiang")
        assert reminder.startswith("第1次提醒（首次通知已发出10分钟）：")  # which reminder, and since when (conv6m f)
        for text in (alert, reminder):
            assert office in text and reporter in text
        clock.advance(timedelta(minutes=21))
        await school.tick()  # not acknowledged: the parents, then the officials
        for key in ("father", "mother"):
            assert office in school.received(key)[0] and reporter in school.received(key)[0]
        numbers = await grandpa("紧急情况")
        assert office in numbers and "杨秀云的班主任王老师：138 0013 0739" in numbers
        # A command asks for something and acknowledges nothing: the alert is asked again after the numbers.
        assert numbers.index("杨秀云的班主任王老师") < numbers.index("还在等您回答：")
        clock.advance(timedelta(minutes=60))
        await school.tick()
        for key in ("bureau", "town"):
            assert office in school.received(key)[0] and reporter in school.received(key)[0]
