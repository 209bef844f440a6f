"""A grandfather's emergency words at night reach the class teacher at once, on Telegram (issue 6).

The Friday check-in waits in his chat: his ``孩子发高烧抽筋了`` does not answer
it ("needs help" is not picked), he is told to call 120 and given the school's
and the class teacher's numbers, and the check-in is asked again. The class
teacher receives the words, marked urgent, inside the quiet hours; an ordinary
message written a minute later waits for the morning.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.store.models import Checkin, FamilyMessage
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, friday_checkin, labels, running_school, to_chat
from tests.support.school import TG

FRIDAY_23_10 = datetime(2026, 12, 4, 15, 10, tzinfo=UTC)  # inside the quiet hours (21:00–07:00)
FIT = "孩子发高烧抽筋了"


async def test_emergency_words_at_night_reach_the_class_teacher_now_and_the_checkin_comes_back(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        grandpa, li = TG["grandpa"], TG["li"]
        question = await friday_checkin(bot, clock, grandpa)
        assert "张三这周过得怎么样？" in (question.text or "")

        clock.set(FRIDAY_23_10)
        # The check-in is not asked again under the 120 advice; he is told it will come back (fix6h).
        answer, held = await bot.say(grandpa, FIT, 2)
        assert held.text == "等您方便时再说：张三这周的情况。您下次发消息时，我会再问一次并附上选项，不着急。"
        assert (answer.text or "").startswith("如果有人生病或受伤，请马上拨打120叫救护车。")
        assert "您关于张三的留言已作为紧急消息马上转给李老师（班主任）" in (answer.text or "")
        assert "李老师" in (answer.text or "") and "138 0000 0001" in (answer.text or "")  # the class teacher's phone
        # His next words follow the open 【紧急】 message at once, at night too (fixa), and bring the check-in back.
        _told, waiting, again = await bot.say(grandpa, "孩子这周作业没写完", 3)
        assert waiting.text == "还在等您回答："
        assert again.text == question.text and labels(again) == labels(question)
        await bot.tick()
        urgent, follow_up = to_chat(botapi.take_sent(), li)
        assert (follow_up.text or "").startswith("【紧急·补充】") and "“孩子这周作业没写完”" in (follow_up.text or "")
        assert (urgent.text or "").startswith("【紧急】")
        assert "张爷爷（张三的委托监护人，三年级1班）留言：" in (urgent.text or "")
        assert f"“{FIT}”" in (urgent.text or "") and "报告 张三" in (urgent.text or "")
        assert labels(urgent) == ["回复"]

        # The check-in was not answered by the emergency: "1" answers it now.
        [recorded, *_] = await bot.say(grandpa, "1", 2)
        assert recorded.text == "谢谢！已记录：张三这周很好。"
        with bot.uow() as uow:
            answers = list(uow.session.scalars(select(Checkin.answer).where(Checkin.answer.is_not(None))))
            kept = list(uow.session.scalars(select(FamilyMessage.body).order_by(FamilyMessage.id)))
        assert answers == ["good"] and kept == [FIT, "孩子这周作业没写完"]

        # The teacher answers the urgent message from the chat, as any family message.
        [ask] = await bot.press(li, button(urgent, "回复"), 1)
        assert "张爷爷" in (ask.text or "")
