"""Delivery end to end on Telegram with the outbox sender running as in ``guanai run`` (issue 7).

No scheduler tick is awaited here: what people see arrives because the
sender was woken by the commit that wrote it.
"""

from __future__ import annotations

from bot.domain.clock import ManualClock
from tests.handlers.telegram.test_e2e import report_incident
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, running_bot
from tests.support.school import TG, chain_school


async def test_an_alert_reaches_the_guardian_and_then_the_parents_without_waiting_for_a_tick(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock, outbox_sender=True) as bot:
        chain_school(bot.uow, clock.now())
        li, grandpa, father, mother = TG["li"], TG["grandpa"], TG["father"], TG["mother"]
        incident_id, _ = await report_incident(bot, li, "课间在操场摔倒，右臂疼痛，已送镇卫生院。")

        [alert] = await botapi.next_sent(1, within=3.0)
        assert alert.chat_id == grandpa and alert.text.startswith("突发事件：张三（三年级1班），受伤，紧急。")

        [thanks] = await bot.press(grandpa, button(alert, "确认收到"), 1)
        assert thanks.text == "谢谢，已记录您的确认。"
        told = await botapi.next_sent(3, within=3.0)  # both parents and the reporter, at once
        assert sorted(m.chat_id for m in told) == sorted([father, mother, li])
        assert all(button(m, "确认收到") == f"ack:{incident_id}" for m in told if m.chat_id != li)
