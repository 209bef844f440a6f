"""Delivery end to end on Telegram with the outbox sender running as in ``guanai run`` (issue 7).

No scheduler tick is awaited here: what people see arrives because the
sender was woken by the commit that wrote it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.clock import ManualClock
from tests.handlers.telegram.test_e2e import report_incident
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, running_bot
from tests.support.school import TG, chain_school


async def test_an_alert_reaches_the_guardian_and_then_the_parents_without_waiting_for_a_tick(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock, workers=True) as bot:
        chain_school(bot.uow, clock.now())
        li, grandpa, father, mother = TG["li"], TG["grandpa"], TG["father"], TG["mother"]
        incident_id, _ = await report_incident(bot, li, "课间在操场摔倒，右臂疼痛，已送镇卫生院。")

        [alert] = await botapi.next_sent(1, within=10.0)  # no tick runs here: any arrival is the sender's
        assert alert.chat_id == grandpa and alert.text.startswith("突发事件：张三（三年级1班），受伤，紧急。")

        [thanks] = await bot.press(grandpa, button(alert, "确认收到"), 1)
        assert thanks.text == "谢谢：已记录您对张三事件通知的确认。"
        told = await botapi.next_sent(3, within=10.0)  # both parents and the reporter, no tick
        assert sorted(m.chat_id for m in told) == sorted([father, mother, li])
        assert all(button(m, "确认收到") == f"ack:{incident_id}" for m in told if m.chat_id != li)


async def test_the_parents_are_alerted_when_step_two_falls_due_though_the_guardians_chat_is_stalled(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock, workers=True, send_deadline_seconds=1.0) as bot:
        chain_school(bot.uow, clock.now())
        li, grandpa, father, mother = TG["li"], TG["grandpa"], TG["father"], TG["mother"]
        botapi.trickle_chat(grandpa, 2.0)  # every answer for the guardian's chat hangs
        reported_at = clock.now()
        await report_incident(bot, li, "课间在操场摔倒，右臂疼痛，已送镇卫生院。")
        await _until(lambda: any(m.chat_id == grandpa for m in botapi.sent))

        clock.set(reported_at + timedelta(minutes=29, seconds=59))
        bot.wake()
        await asyncio.sleep(0.5)
        assert not [m for m in botapi.sent if m.chat_id in (father, mother)]  # never early

        clock.set(reported_at + timedelta(minutes=30))
        bot.wake()  # a real clock needs no nudge: the escalator sleeps until the step's next_action_at
        await _until(lambda: {father, mother} <= {m.chat_id for m in botapi.sent})
        alerts = [m for m in botapi.sent if m.chat_id in (father, mother)]
        assert all(m.text.startswith("突发事件：张三（三年级1班），受伤，紧急。") for m in alerts)


async def _until(condition, within: float = 5.0) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 — the double's state changes in its own threads
            await asyncio.sleep(0.02)
