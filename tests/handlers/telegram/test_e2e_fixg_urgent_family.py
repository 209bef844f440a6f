"""The mother's words at night while the grandfather's 【紧急】 message about 张三 is open (fixg, issue 6).

Over the Telegram Bot API double: her ``孩子怎么了？`` went as an ordinary message held until 07:00, because only the
writer's own urgent message was followed. It now reaches the class teacher at once, as that message's follow-up.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.clock import ManualClock
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_school, to_chat
from tests.support.school import TG

FRIDAY_23_10 = datetime(2026, 12, 4, 15, 10, tzinfo=UTC)  # inside the quiet hours (21:00–07:00) in Asia/Shanghai


async def test_the_mothers_words_follow_the_grandfathers_urgent_message_at_once(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        grandpa, mother, li = TG["grandpa"], TG["mother"], TG["li"]
        clock.set(FRIDAY_23_10)
        await bot.say(grandpa, "孩子发高烧抽筋了", 1)
        await bot.tick()
        [urgent] = to_chat(botapi.take_sent(), li)
        assert (urgent.text or "").startswith("【紧急】")
        [told] = await bot.say(mother, "孩子怎么了？", 1)
        assert "已作为张爷爷所发紧急消息的补充马上转给李老师（班主任）" in (told.text or "")
        await bot.tick()
        [follow_up] = to_chat(botapi.take_sent(), li)
        assert (follow_up.text or "").startswith("【紧急·补充】") and "“孩子怎么了？”" in (follow_up.text or "")
