"""One question at a time per chat on Telegram (issue 6, item 1): an old message's buttons answer only their own
question, while it is open; the question interrupted comes back afterwards."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.store.models import Checkin, IncidentStep
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import FRIDAY_18, button, labels, running_bot, to_chat
from tests.support.school import TG, chain_school


async def test_an_old_checkin_button_answers_nothing_in_an_emergency_and_the_alert_comes_back(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    clock.advance(FRIDAY_18 - clock.now())
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        li, grandpa = TG["li"], TG["grandpa"]
        await bot.tick()
        [checkin] = to_chat(botapi.take_sent(), grandpa)
        assert checkin.text == "张三这周过得怎么样？" and labels(checkin) == ["很好", "一般", "需要帮助"]

        [kind] = await bot.say(li, "/incident 张三", 1)
        [severity] = await bot.press(li, button(kind, "受伤"), 1)
        [describe] = await bot.press(li, button(severity, "紧急"), 1)
        [confirm] = await bot.say(li, "体育课上摔伤了手臂。", 1)
        await bot.press(li, button(confirm, "立即报告"), 1)
        await bot.tick()
        [alert] = to_chat(botapi.take_sent(), grandpa)
        assert alert.text.startswith("突发事件：张三") and labels(alert) == ["确认收到"]

        # The check-in message's button answers nothing while the emergency about 张三 is open (break6 F2):
        # the weekly question waits for the close, and the alert is asked again under the refusal.
        refused, waiting, again = await bot.press(grandpa, button(checkin, "很好"), 3)
        assert refused.text == "这没有记录为张三这周情况的回答：每周问题要等张三的突发事件结束后再问。"
        assert waiting.text == "还在等您回答：" and again.text.startswith("突发事件：张三")
        [acked] = await bot.say(grandpa, "1", 1)
        assert "确认" in acked.text
    with bot.uow() as uow:
        row = uow.session.scalar(select(Checkin).where(Checkin.guardian_id == school.grandpa))
        assert row is not None and row.answer is None
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.person_id == school.grandpa))
        assert step is not None and step.acknowledged_at is not None
