"""The contact chain catching up after the scheduler was down (fix6ae), over signed WeChat / WeCom XML.

王老师 reports at 09:00; the grandfather is alerted at once; then no tick runs
for three hours (a server outage, a clock jump). The first tick at 12:00 must
still send every step at once, but each person reads ONE alert with a deadline
still ahead, no reminders for times that never happened, and 王老师 reads one
summary of who was not reached instead of a notice per person.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.i18n import render
from bot.services.incident_timeline import timeline_prompt
from bot.store.models import IncidentEvent, IncidentStep
from tests.handlers.wechat.test_e2e_incidents import School, _incident, _school


async def _report(school: School) -> None:
    wang = school.writer("wang")
    async with school.client:
        await wang("报告 杨秀云")
        await wang("1")  # injury
        await wang("1")  # emergency
        await wang("放学路上摔伤了膝盖")
        assert (await wang("1")).startswith("已报告。")
    await school.tick()


async def test_after_an_outage_each_person_gets_one_alert_with_a_deadline_ahead(uow_factory, clock) -> None:
    school = _school(uow_factory, clock)
    await _report(school)
    assert "请于2026年11月30日 09:30前确认收到。" in school.received("zhangqiang")[0]
    clock.advance(timedelta(hours=3))  # nothing ticked from 09:00 to 12:00
    await school.tick()
    for key in ("father", "mother", "bureau", "town"):
        [alert] = school.received(key)  # the alert alone: no reminders for 09:40, 09:50 …
        assert "请于2026年11月30日 12:10前确认收到。" in alert, alert
        assert "提醒" not in alert
    # The grandfather's deadline passed long ago: 王老师 hears of him at once, alone.
    [grandfather] = school.received("wang")[-1:]
    assert grandfather.startswith("未能按时联系到：张强（委托监护人，第1步）")
    assert "09:30前未确认" in grandfather
    told_before = len(school.received("wang"))

    clock.advance(timedelta(minutes=5))
    await school.tick()
    assert len(school.received("wang")) == told_before  # 12:05: the late alerts' deadline is still ahead
    clock.advance(timedelta(minutes=5))
    await school.tick()
    [summary] = school.received("wang")[told_before:]  # one message, not four
    assert summary.startswith("未能按时联系到：以下人员在各自的期限前未确认关于杨秀云（一年级（1）班）的突发事件"), \
        summary
    for who in ("杨杨（父亲，第2步）", "谢冬梅（母亲，第2步）", "孙科长（教育主管部门，第3步）",
                "周书记（镇党委政府，第3步）"):
        assert who in summary, who
    assert summary.count("期限2026年11月30日 12:10：") == 4
    # Nobody reached: the school's admins still get their one summary of the whole chain.
    assert any("联系链上无人确认收到" in text for text in school.received("admin")), school.received("admin")

    # The timeline keeps when each step was due and when it was actually sent.
    with uow_factory() as uow:
        iid = _incident(uow_factory).id
        father = uow.session.scalars(select(IncidentStep).where(IncidentStep.incident_id == iid,
                                                                IncidentStep.step_no == 2)).first()
        assert father.send_by.isoformat().startswith("2026-11-30T01:30")  # 09:30 at the school
        assert father.due_by.isoformat().startswith("2026-11-30T02:00")  # 10:00
        assert father.sent_at.isoformat().startswith("2026-11-30T04:00")  # 12:00
        sent = uow.session.scalars(select(IncidentEvent).where(
            IncidentEvent.incident_id == iid, IncidentEvent.kind == "sent",
            IncidentEvent.person_id == father.person_id)).one()
        assert sent.detail["send_by"].startswith("2026-11-30T01:30")
        assert sent.detail["answer_by"].startswith("2026-11-30T04:10")
        # What the school shows its superiors: due by 10:00 as planned, sent at 12:00 as it happened.
        shown = render(timeline_prompt(uow, iid), "zh_Hans").text
    assert ("杨杨（父亲）— 须于2026年11月30日 10:00前联系到；发送：2026年11月30日 12:00；确认：已超时未确认"
            in shown), shown


async def test_a_late_tick_numbers_its_reminder_as_the_first_sent(uow_factory, clock) -> None:
    school = _school(uow_factory, clock)
    await _report(school)
    clock.advance(timedelta(minutes=25))  # the ticks at 09:10 and 09:20 never ran
    await school.tick()
    alert, reminder = school.received("zhangqiang")
    assert reminder.startswith("第1次提醒（首次通知已发出25分钟）"), reminder
    clock.advance(timedelta(minutes=5))
    await school.tick()
    [missed] = school.received("wang")[-1:]
    assert missed.startswith("未能按时联系到：张强（委托监护人，第1步）")
