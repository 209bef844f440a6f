"""Issue 6 trial (fixh) on Telegram: a grandfather's 谢谢 after his teacher's answer, the check-in shown since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.clock import ManualClock
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, labels, running_bot, to_chat
from tests.support.school import TG, chain_school

FRIDAY_18 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 in Asia/Shanghai: the check-in goes out


async def test_thanks_for_an_answer_followed_by_the_check_in_is_thanks_and_the_check_in_is_asked_again(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        grandpa, li = TG["grandpa"], TG["li"]
        clock.set(FRIDAY_18 - timedelta(minutes=30))
        await bot.say(grandpa, "孩子发烧了", 1)
        await bot.tick()
        [passed] = to_chat(botapi.take_sent(), li)
        await bot.press(li, button(passed, "回复"), 1)
        await bot.say(li, "明天我去看看", 1)
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert "“明天我去看看”" in answer.text
        clock.set(FRIDAY_18)
        await bot.tick()
        [question] = to_chat(botapi.take_sent(), grandpa)  # the check-in reaches him after her answer
        clock.set(FRIDAY_18 + timedelta(minutes=1))  # he reads it, and types a minute later

        noted, still, again = await bot.say(grandpa, "谢谢", 3)
        assert noted.text == "谢谢。已记下您看过了李老师的回复。"
        assert still.text == "还在等您回答：" and again.text == question.text
        assert labels(again) == ["很好", "一般", "需要帮助"]
        # Said again: no longer about her answer; thanks at the check-in are words for the teacher, passed on
        # (fix6n: never refused as "not one of the answers"), and the check-in is asked again.
        passed, still, again = await bot.say(grandpa, "谢谢", 3)
        assert passed.text == "谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。"
        assert still.text == "还在等您回答：" and labels(again) == ["很好", "一般", "需要帮助"]
