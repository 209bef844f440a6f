"""Mainland mode (issue 10, item 12): with the setting on, nothing personal goes over Telegram.

End to end: an incident alert and a chat reply reach a Telegram-only person
as a fixed pointer without the child's name, the description, phone numbers
or buttons; a person who also has WeChat gets the message itself there.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from bot.config import Settings
from bot.domain.enums import Channel, Priority
from bot.messages.prompt import Prompt, text
from bot.services.delivery import drain_outbox
from bot.services.outbox import enqueue
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_bot, to_chat
from tests.support.fakes import FakeSender
from tests.support.school import PHONES, TG, add_account, chain_school, tiny_school

NOTIFICATION = ("您有一条来自学校的新消息。为保护孩子的隐私，Telegram上不显示内容："
                "请在学校的微信公众号或学校的网页上查看。")
REPLY = "为保护孩子的隐私，本机器人不在Telegram上显示任何个人信息。请使用学校的微信公众号或学校的网页。"


async def test_nothing_personal_goes_over_telegram_in_mainland_mode(
    botapi: BotApiDouble, database_url: str, clock
) -> None:
    async with running_bot(botapi, database_url, clock, telegram_mainland_mode=True) as bot:
        chain_school(bot.uow, clock.now())
        await bot.tick()
        digests = botapi.take_sent()
        assert digests and {m.text for m in digests} == {NOTIFICATION}

        # A teacher's command is answered with the pointer only: no child's name, no buttons.
        (reply,) = await bot.say(TG["li"], "/incident 张三", 1)
        assert reply.text == REPLY and reply.reply_markup is None

        # The flow still runs underneath (typed numbers answer it); the alert reaches the grandfather as a pointer.
        (r2,) = await bot.say(TG["li"], "1", 1)  # 受伤
        (r3,) = await bot.say(TG["li"], "1", 1)  # 紧急
        (r4,) = await bot.say(TG["li"], "在操场上摔伤了手臂，已送卫生院。", 1)
        await bot.say(TG["li"], "1", 1)  # 立即报告
        await bot.tick()
        sent = botapi.take_sent()
        alerts = to_chat(sent, TG["grandpa"])
        assert [m.text for m in alerts] == [NOTIFICATION] and alerts[0].reply_markup is None
        everything = " ".join(m.text for m in [reply, r2, r3, r4, *sent])
        assert "张三" not in everything and "摔伤" not in everything
        assert not any(re.sub(r"\D", "", p)[-8:] in re.sub(r"\D", "", everything) for p in PHONES.values())


def test_in_mainland_mode_the_outbox_prefers_wechat_even_when_telegram_was_used_last(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        add_account(uow.session, ids.guardian, "o-grandpa", channel=Channel.WECHAT.value,
                    last_seen_at=clock.now() - timedelta(days=3))
        add_account(uow.session, ids.guardian, "8200000000777", last_seen_at=clock.now())  # Telegram, used last
        enqueue(uow.session, key="news", person_id=ids.guardian, prompt=Prompt("{name}", {"name": text("张小明")}),
                priority=Priority.URGENT, now=clock.now())
        uow.commit()
    telegram, wechat = FakeSender(), FakeSender(channel=Channel.WECHAT.value)
    settings = Settings(database_url="sqlite://", telegram_mainland_mode=True)
    asyncio.run(drain_outbox(uow_factory, {"telegram": telegram, "wechat": wechat}, now=clock.now(),
                             settings=settings))
    assert [s.account_id for s in wechat.sent] == ["o-grandpa"] and telegram.sent == []
