"""Slips of the finger, end to end on Telegram (issue 6 item 3): ``帮主`` with its buttons, ``回复：`` on a reply.

A grandfather types ``帮主`` while this week's check-in waits in his chat: he is asked whether he meant
``帮助``, taps "是", reads the list and the check-in again, and its button still answers it. The class
teacher answers his message with Telegram's own reply, typing ``回复：好的``: he reads ``好的``.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.clock import ManualClock
from bot.store.models import FamilyMessage
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, friday_checkin, labels, running_bot, to_chat
from tests.support.school import TG, chain_school


async def test_a_slip_is_asked_about_with_buttons_and_the_checkin_comes_back(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        grandpa = TG["grandpa"]
        checkin = await friday_checkin(bot, clock, grandpa)

        [asked] = await bot.say(grandpa, "帮主", 1)
        assert asked.text == "您是想发送“帮助”吗？" and labels(asked) == ["是", "否"]
        listed, still, again = await bot.press(grandpa, button(asked, "是"), 3)
        assert listed.text.startswith("我可以帮您：") and "/talk" not in listed.text
        assert still.text == "还在等您回答：" and again.text == "张三这周过得怎么样？"
        stale, shown = await bot.press(grandpa, button(asked, "否"), 2)  # answered: its buttons are old
        assert "之前的问题" in stale.text and shown.text == "张三这周过得怎么样？"
        thanks, _note = await bot.press(grandpa, button(checkin, "很好"), 2)
        assert thanks.text == "谢谢！已记录：张三这周很好。"


async def test_the_reply_word_typed_on_telegrams_reply_is_not_sent(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        grandpa, li = TG["grandpa"], TG["li"]
        await bot.say(grandpa, "孩子发烧两天了", 1)
        await bot.tick()
        [passed] = to_chat(botapi.take_sent(), li)
        botapi.inject_text(li, "回复：好的，我明天去家访", reply_to=passed)
        [sent] = await bot.replies(li, 1)
        assert sent.text == "已发送给张爷爷。"
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert "“好的，我明天去家访”" in answer.text and "回复：" not in answer.text
        with bot.uow() as uow:
            bodies = [m.body for m in uow.session.scalars(select(FamilyMessage).order_by(FamilyMessage.id))]
    assert bodies == ["孩子发烧两天了", "好的，我明天去家访"]
