"""Incidents end to end on Telegram: safeguarding, quiet hours, a principal's /due (issues 6 and 10).

The real python-telegram-bot polls the local Bot API double; time moves by the
manual clock and each test awaits the scheduler tick itself. (Closing with an
outcome is in ``test_e2e.py``, ``test_a_closed_incident_sends_nothing_more``.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.domain.enums import Channel, Role
from bot.store.models import ChatAccount, Incident, Person, PersonRole
from tests.support.all_clear_world import report_missing_on_telegram
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import E2EBot, button, labels, running_bot, running_school, to_chat
from tests.support.school import TG, ChainSchool, chain_school

POLICE = 8_400_000_000_001  # the town police station's contact (派出所)
ABUSE = "张三说爷爷喝酒后用皮带打他，背上有多道红印。"


def _with_safeguarding(bot: E2EBot, school: ChainSchool) -> int:
    """陈老师 is also the school's safeguarding lead; the police station has a contact with a Telegram account."""
    with bot.uow() as uow:
        s = uow.session
        s.add(PersonRole(person_id=school.chen, role=Role.SAFEGUARDING_LEAD.value))
        police = Person(school_id=school.school_id, name="吴警官", phone="+8613700000009", natural_key="e2e:police")
        police.roles = [PersonRole(role=Role.POLICE.value)]
        s.add(police)
        s.flush()
        s.add(ChatAccount(person_id=police.id, channel=Channel.TELEGRAM.value, account_id=str(POLICE),
                          bound_at=datetime(2026, 11, 1, tzinfo=UTC)))
        uow.commit()
        return police.id


async def test_a_suspected_abuse_report_never_reaches_the_accused_guardian(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        _with_safeguarding(bot, school)
        await bot.tick()
        botapi.take_sent()
        li, chen, admin = TG["li"], TG["chen"], TG["admin"]
        family = (TG["grandpa"], TG["father"], TG["mother"])
        reported_at = clock.now()

        [kind] = await bot.say(li, "/incident 张三", 1)
        [describe] = await bot.press(li, button(kind, "疑似虐待或忽视（成人所为）"), 1)
        assert describe.text == "请简要描述张三的情况（地点、时间、已采取的措施）。"  # no severity: always urgent
        [confirm] = await bot.say(li, ABUSE, 1)
        lines = confirm.text.splitlines()
        assert lines[0] == "确认报告关于张三的突发事件吗？"
        assert "第1步通知：陈老师（儿童保护负责人）" in lines and "第2步通知：吴警官（派出所）" in lines
        assert "不会通知孩子的家人。" in lines
        [reported] = await bot.press(li, button(confirm, "立即报告"), 1)
        assert reported.text.startswith("已报告给学校领导和儿童保护联系人。系统不会通知孩子的家人")

        await bot.tick()
        sent = botapi.take_sent()
        [alert] = to_chat(sent, chen)
        assert alert.text.startswith("儿童保护报告（疑似虐待或忽视）：张三（三年级1班）。\n" + ABUSE)
        assert "家人尚未被告知" in alert.text and button(alert, "确认收到").startswith("ack:")
        assert {m.chat_id for m in sent} == {chen}

        # Three hours pass, nobody acknowledges: reminders, the police, missed notices — never the family.
        for minutes in range(10, 181, 10):
            clock.set(reported_at + timedelta(minutes=minutes))
            await bot.tick()
            sent = botapi.take_sent()
            assert not [m for m in sent if m.chat_id in family], (minutes, sent)
            assert not [m for m in sent if m.chat_id == admin and ABUSE in (m.text or "")]
            if minutes == 30:
                [police_alert] = to_chat(sent, POLICE)
                assert ABUSE in police_alert.text and "请于2026年11月30日 11:00前确认收到" in police_alert.text

        # The accused guardian's chat can neither see nor acknowledge it.
        with bot.uow() as uow:
            incident_id = uow.session.scalar(select(Incident.id))
        [refused] = await bot.press(TG["grandpa"], f"ack:{incident_id}", 1)
        assert refused.text == "这个按钮已经失效了。"  # what an id that does not exist reads (fix9t)
        [hidden] = await bot.press(TG["grandpa"], f"inc:{incident_id}", 1)
        assert ABUSE not in hidden.text and "张三" not in hidden.text


async def test_a_minor_incident_at_night_reaches_the_family_in_the_morning(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        night = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)  # Monday 22:30 in Asia/Shanghai
        clock.set(night)
        await bot.tick()
        botapi.take_sent()
        li, grandpa = TG["li"], TG["grandpa"]

        [kind] = await bot.say(li, "/incident 张三", 1)
        [severity] = await bot.press(li, button(kind, "其他"), 1)
        [describe] = await bot.press(li, button(severity, "一般"), 1)
        [confirm] = await bot.say(li, "晚自习时和同学吵架，已调解，情绪稳定。", 1)
        assert "现在是休息时间：将于2026年12月1日 07:00通知家人。" in confirm.text.splitlines()
        [reported] = await bot.press(li, button(confirm, "立即报告"), 1)
        assert reported.text == ("已报告。现在是休息时间：这起一般事件将于2026年12月1日 07:00通知家人；"
                                 "有人确认后会通知您。")

        for at in (night + timedelta(minutes=1), datetime(2026, 11, 30, 22, 59, tzinfo=UTC)):
            clock.set(at)
            await bot.tick()
            assert to_chat(botapi.take_sent(), grandpa) == [], at
        clock.set(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))  # Tuesday 07:00
        await bot.tick()
        [alert] = to_chat(botapi.take_sent(), grandpa)
        assert alert.text.startswith("突发事件：张三（三年级1班），其他事件，一般。")
        assert "您需要做的：不紧急：老师会告诉您详细情况。" in alert.text
        assert alert.text.endswith("请于2026年12月1日 07:30前确认收到。")
        [thanks] = await bot.press(grandpa, button(alert, "确认收到"), 1)
        assert thanks.text == "谢谢：已记录您对张三事件通知的确认。"


async def test_a_principals_due_lists_the_schools_talks_and_the_open_emergency(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        admin = TG["admin"]

        describe = await report_missing_on_telegram(bot)  # missing: always an emergency, not asked
        assert describe.text.startswith("请简要描述张三的情况")
        clock.advance(timedelta(minutes=5))

        incidents, talks = await bot.say(admin, "/due", 2)
        assert incidents.text.splitlines()[0] == "未结束的突发事件（1）："
        assert "• 张三（三年级1班）：走失，紧急，报告于2026年11月30日 09:00——尚无人确认" in incidents.text
        assert labels(incidents) == ["查看：张三，2026年11月30日 09:00"]
        # 张三's weekly talk with 陈老师 is due: the school started using the bot this morning, Monday 30
        # November, so this week is owed, November (one day left) is not, and nothing is overdue (issue 9).
        assert talks.text.splitlines() == [
            "全校待完成的谈心：1，其中逾期0",
            "• 陈老师：1，其中逾期0",
        ]
        [view] = await bot.press(admin, button(incidents, "查看：张三，2026年11月30日 09:00"), 1)
        assert view.text.startswith("突发事件 1：张三（三年级1班），走失，紧急")
        assert "张爷爷" in view.text and labels(view) == ["结束事件", "排除某人"]
