"""Unlinking one's own old WeChat phone when WeChat no longer lets the school write to it (signed WeChat XML).

张爷爷 has two WeChat accounts: the one he uses now, and an old phone that last wrote five days ago —
outside WeChat's 48-hour customer-service window. From the phone he uses he sends ``我的`` →
``解除绑定`` → the old phone → ``解除``. Whoever holds the old phone must hear that it no longer gets
his messages: with a notice template configured (``GUANAI_WECHAT_TEMPLATE_ACCOUNT``) it goes as a template
message; without one nothing can reach it, so nothing is left waiting for ever and 张爷爷 himself is told
that the old phone could not be told. His class teacher and the principal hear of it either way.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority
from bot.handlers.wechat.senders import WeChatSender
from bot.messages.prompt import Prompt
from bot.services.delivery import drain_outbox
from bot.services.outbox import enqueue
from bot.store.models import OutboxMessage
from tests.support.school import TG, chain_school
from tests.support.wechat_api_double import WeChatApiDouble
from tests.support.wechat_double import SignedChat, TextRecorder, account_ids
from tests.support.wechat_fixtures import CS, add_wechat, wechat_settings, wxapi  # noqa: F401

OLD, NOW = "oGrandpaOldPhone", "oGrandpaPhone"
TEMPLATE = "/cgi-bin/message/template/send"
UNLINKED = "本聊天已不再绑定张爷爷的身份（在其另一个账号上解除）。如需重新绑定，请向学校索取新的邀请码。"
SCHOOL_TOLD = "张爷爷（委托监护人）于2026年11月30日 09:00从其另一个账号解除了微信账号（绑定于2026年10月1日 09:00）。"


async def _unlink_the_old_phone(double: WeChatApiDouble, uow_factory, clock, settings: Settings,
                                telegram: TextRecorder) -> list[str]:
    """张爷爷 unlinks his old phone from the one he uses; returns what he sees at each step, then drains."""
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    add_wechat(uow_factory, school.grandpa, openid=OLD, bound=clock.now() - timedelta(days=60),
               seen=clock.now() - timedelta(days=5))
    add_wechat(uow_factory, school.grandpa, openid=NOW, bound=clock.now() - timedelta(days=3),
               seen=clock.now() - timedelta(hours=1))
    chat = SignedChat(uow_factory, clock, settings)

    async def say(text: str) -> str:
        return await chat.say(NOW, text)

    seen = []
    async with chat, httpx.AsyncClient() as http:
        # A message to him goes to the phone he uses, inside its window; the old phone hears nothing.
        with uow_factory() as uow:
            enqueue(uow.session, key="test:question", person_id=school.grandpa, now=clock.now(),
                    prompt=Prompt("学校通知：周五下午三点放学。"), priority=Priority.BULK)
            uow.commit()
        senders = {"wechat": WeChatSender(settings, uow_factory, clock, http=http), "telegram": telegram}
        await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
        assert [c.body["touser"] for c in double.calls(CS)] == [NOW]
        for typed in ("我的", "解除绑定"):
            seen.append(await say(typed))
        which = seen[-1].splitlines()[1]
        assert which == "1. 微信（本聊天）  2. 微信（绑定于2026年10月1日）  3. 取消"
        seen.append(await say("2"))
        seen.append(await say("解除"))
        assert account_ids(uow_factory, school.grandpa) == [NOW]
        await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    return seen


async def test_the_old_phone_gets_a_template_message_when_one_is_configured(wxapi, uow_factory,  # noqa: F811
                                                                             clock) -> None:
    settings = wechat_settings(wxapi, wechat_template_account="TPL-ACCOUNT")
    telegram = TextRecorder()
    *_, confirm, done = await _unlink_the_old_phone(wxapi, uow_factory, clock, settings, telegram)
    assert confirm.splitlines()[0] == ("确定解除2026年10月1日 09:00绑定的微信账号吗？"
                                       "解除后该账号将不再收到您的任何消息。")
    assert done == "已解除：微信账号（绑定于2026年10月1日 09:00）。"
    # Outside its window the old phone gets no customer-service message, but the template carries the notice.
    assert [c.body["touser"] for c in wxapi.calls(CS)] == [NOW]
    [sent] = wxapi.delivered(TEMPLATE)
    assert sent["touser"] == OLD and sent["template_id"] == "TPL-ACCOUNT"
    assert sent["data"]["first"]["value"] == UNLINKED
    for staff in (str(TG["li"]), str(TG["admin"])):
        [told] = telegram.take(staff)
        assert told.startswith(SCHOOL_TOLD)


async def test_without_a_template_he_is_told_the_old_phone_could_not_be_told(wxapi, uow_factory,  # noqa: F811
                                                                             clock) -> None:
    settings = wechat_settings(wxapi)
    telegram = TextRecorder()
    *_, done = await _unlink_the_old_phone(wxapi, uow_factory, clock, settings, telegram)
    assert done.splitlines() == [
        "已解除：微信账号（绑定于2026年10月1日 09:00）。",
        "未能通知该微信账号：微信只允许学校在对方最后一次发消息后的48小时内给它发消息，而学校没有设置通知模板。"
        "如果那部手机现在由别人使用，请您亲自告诉对方。",
    ]
    assert wxapi.calls(TEMPLATE) == []
    assert [c.body["touser"] for c in wxapi.calls(CS)] == [NOW]
    with uow_factory() as uow:  # nothing parked for a chat that is no longer anyone's
        assert uow.session.scalars(select(OutboxMessage).where(OutboxMessage.to_account == OLD)).all() == []
    for staff in (str(TG["li"]), str(TG["admin"])):
        [told] = telegram.take(staff)
        assert told.startswith(SCHOOL_TOLD)
