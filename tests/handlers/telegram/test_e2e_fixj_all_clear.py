"""On Telegram: the reporting teacher closes the incident from the family's all clear (fixj, issue 6 item 3).

The grandfather confirms the alert about the missing 张三, then writes ``张三没事了``. The class teacher who
reported it reads it as an all clear, with "结束事件" beside "回复"; the button asks only the confirmation,
the outcome ("found") chosen by the all clear (fix6a: two taps), and once closed the chain sends nothing more.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.clock import ManualClock
from tests.support.all_clear_world import alert_confirmed_on_telegram, all_clear_on_telegram
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, labels, running_school, to_chat
from tests.support.school import TG


async def test_the_teacher_closes_from_the_all_clear_with_its_button(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        li, grandpa = TG["li"], TG["grandpa"]
        await alert_confirmed_on_telegram(bot, botapi)
        clock.advance(timedelta(minutes=3))
        all_clear = await all_clear_on_telegram(bot, botapi)
        assert all_clear.text.startswith("张爷爷说张三没事了。")
        assert labels(all_clear) == ["回复", "结束事件"]

        # Two taps (fix6a): the all clear chose the outcome; one confirmation names the child and the report time.
        [sure] = await bot.press(li, button(all_clear, "结束事件"), 1)
        assert sure.text.startswith("确认结束关于张三（三年级1班）的突发事件（走失，报告于2026年11月30日 09:00）吗？\n"
                                    "结果：孩子已找到")
        assert labels(sure) == ["确认结束", "添加说明", "其他结果", "暂不结束"]
        [closed] = await bot.press(li, button(sure, "确认结束"), 1)
        assert closed.text.startswith("事件已结束。")
        await bot.tick()
        told = to_chat(botapi.take_sent(), grandpa)
        assert any("结果：孩子已找到" in (m.text or "") for m in told)

        for _ in range(12):  # three hours: no reminders, no "not reached" notices
            clock.advance(timedelta(minutes=15))
            await bot.tick()
            assert not [m for m in botapi.take_sent() if "提醒" in (m.text or "") or "未能" in (m.text or "")]


async def test_another_outcome_from_the_all_clear_asks_the_usual_questions(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        li = TG["li"]
        await alert_confirmed_on_telegram(bot, botapi)
        all_clear = await all_clear_on_telegram(bot, botapi)
        [sure] = await bot.press(li, button(all_clear, "结束事件"), 1)
        [outcome] = await bot.press(li, button(sure, "其他结果"), 1)
        assert outcome.text.startswith("结束关于张三（三年级1班）的突发事件（走失，报告于2026年11月30日 09:00）之前")
        [note] = await bot.press(li, button(outcome, "已送诊所或医院"), 1)
        [sure] = await bot.press(li, button(note, "跳过"), 1)
        assert "结果：已送诊所或医院" in sure.text
