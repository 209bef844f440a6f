"""A second account never takes over a guardian's alerts (signed WeChat XML, the real WeChat sender).

张爷爷's only account is a WeChat OpenID he last wrote from four days ago — outside WeChat's 48-hour
customer-service window, and there is no template for "did you link it?". Late in the evening someone
redeems a 张爷爷 invite on another OpenID. That account is on probation: it is greeted and gets nothing
else; it cannot unlink his old account with ``我的`` → ``解除绑定`` → ``2`` → ``解除``; his next alert does
not go to it; and since his old account cannot be asked, his class teacher and the principal are asked at
once (the quiet hours do not hold it) to phone him — with his name and phone. The new account counts
only once it is confirmed in a chat: 李老师 answers ``确认绑定`` in her WeChat after phoning him, or 张爷爷
himself, writing ``我的`` on his old phone, is asked again and answers ``是我``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time, timedelta

import httpx

from bot.domain.enums import Priority
from bot.handlers.wechat.senders import WeChatSender
from bot.messages.prompt import Prompt
from bot.services.delivery import drain_outbox
from bot.services.invites import create_invite
from bot.services.outbox import enqueue
from tests.support.school import TG, chain_school
from tests.support.wechat_api_double import WeChatApiDouble
from tests.support.wechat_double import SignedChat, TextRecorder, account_ids
from tests.support.wechat_fixtures import CS, add_wechat, drop_telegram, wechat_settings, wxapi  # noqa: F401

OLD, NEW, LI = "oGrandpaOld", "oSomeoneElse", "oTeacherLi"
WAITING = ("本聊天正在等待确认：请在您原来绑定的账号上回复“是我”，或由学校电话核实后确认。"
           "在此之前，本聊天收不到任何消息，也看不到孩子的信息。")
Say = Callable[[str, str], Awaitable[str]]  # (sender OpenID, typed) → what that chat is answered
Drain = Callable[[], Awaitable[None]]  # one run of the outbox drain, the real WeChat sender


def _texts_to(double: WeChatApiDouble, openid: str) -> list[str]:
    """The customer-service texts the WeChat API double received for ``openid``."""
    return [c.body["text"]["content"] for c in double.calls(CS) if c.body["touser"] == openid]


async def _on_probation_at_night(double: WeChatApiDouble, uow_factory, clock,
                                 check: Callable[[Say, Drain], Awaitable[None]]) -> None:
    """Monday 22:35: 张爷爷's invite is redeemed on NEW and the school is asked; then ``check`` confirms it.

    李老师 uses WeChat only (LI, an hour ago: inside her window); the principal is on Telegram.
    """
    clock.advance(timedelta(hours=13, minutes=30))  # Monday 22:30 school time: the quiet hours
    settings = wechat_settings(double, quiet_start=time(21, 0), quiet_end=time(7, 0))
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    month_ago = clock.now() - timedelta(days=30)
    add_wechat(uow_factory, school.grandpa, openid=OLD, bound=month_ago, seen=clock.now() - timedelta(days=4))
    add_wechat(uow_factory, school.li, openid=LI, bound=month_ago, seen=clock.now() - timedelta(hours=1))
    with uow_factory() as uow:
        code = create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    drop_telegram(uow_factory, school.li)
    chat = SignedChat(uow_factory, clock, settings)

    async def say(sender: str, text: str) -> str:
        """What ``sender`` is answered: every message of the answer, a blank line apart."""
        return "\n\n".join(await chat.says(sender, text))

    telegram = TextRecorder()
    async with chat, httpx.AsyncClient() as http:
        senders = {"wechat": WeChatSender(settings, uow_factory, clock, http=http), "telegram": telegram}

        async def drain() -> None:
            await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)

        clock.advance(timedelta(minutes=5))
        greeting = await say(NEW, f"绑定 {code}")
        assert greeting.startswith("欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。您原来绑定的账号：微信（绑定于")
        assert "本聊天收不到任何消息，也看不到孩子的信息" in greeting

        # The new account cannot remove the old one: every step is "waiting for confirmation".
        for typed in ("我的", "解除绑定", "2", "解除"):
            assert await say(NEW, typed) == WAITING
        assert account_ids(uow_factory, school.grandpa) == [OLD, NEW]

        await drain()
        # His old WeChat cannot be asked (no customer-service message outside 48 hours, no template) ...
        assert _texts_to(double, OLD) == []
        # ... so his class teacher (in her WeChat) and the principal are asked now, at 22:35, to phone him.
        [to_li] = _texts_to(double, LI)
        [to_principal] = telegram.take(str(TG["admin"]))
        for question in (to_li, to_principal):
            assert question.startswith("张爷爷（委托监护人）于2026年11月30日 22:35绑定了一个新的微信账号，"
                                       "但目前无法通过其原账号询问本人。确认之前新账号收不到任何消息。请致电张爷爷（")
            # Confirming gives the new chat the children's alerts: typed words, no number to tap (fix9ac).
            assert question.endswith("为避免误操作，请用文字回答，不能用数字：请输入“确认绑定”或“拒绝”。")
            assert "\n" not in question

        # His next alert does not go to the new account.
        with uow_factory() as uow:
            enqueue(uow.session, key="test:alert", person_id=school.grandpa, prompt=Prompt("ALERT"),
                    priority=Priority.URGENT, now=clock.now())
            uow.commit()
        await drain()
        assert _texts_to(double, NEW) == []

        await check(say, drain)
        # Confirmed in a chat (``check`` saw the new account told): it now counts.
        details = await say(NEW, "我的")
        assert details.splitlines()[:2] == ["您的信息：", "姓名：张爷爷"]


async def test_the_class_teacher_confirms_in_her_wechat_after_phoning_him(wxapi, uow_factory,  # noqa: F811
                                                                          clock) -> None:
    async def li_confirms(say: Say, drain: Drain) -> None:
        # 李老师 phoned him: it was him, on his daughter-in-law's old phone. A number does not answer; the
        # words shown do.
        assert (await say(LI, "1")).startswith("为避免误操作，这个问题不能用数字回答。请输入“确认绑定”或“拒绝”。")
        assert await say(LI, "确认绑定") == "已确认张爷爷的微信账号。"
        await drain()
        assert _texts_to(wxapi, NEW) == ["学校已确认本聊天。发送 /help 查看可以做的事。"]

    await _on_probation_at_night(wxapi, uow_factory, clock, li_confirms)


async def test_he_answers_it_was_me_on_his_old_phone(wxapi, uow_factory, clock) -> None:  # noqa: F811
    async def grandpa_confirms(say: Say, drain: Drain) -> None:
        # Next morning he writes from his old phone: 我的 shows the new account waiting and asks him again.
        clock.advance(timedelta(hours=9))
        mine = await say(OLD, "我的")
        assert "· 微信：绑定于2026年11月30日 22:35，等待您回复“是我”或学校确认" in mine.splitlines()
        asked = mine.split("\n\n")[-1]
        assert "是您本人新绑定的吗？" in asked and asked.endswith("请输入“是我”或“不是我”。")
        assert await say(OLD, "是我") == "谢谢。新的微信账号已确认，现在可以使用了。"
        await drain()
        assert _texts_to(wxapi, NEW) == ["本聊天已确认。发送 /help 查看可以做什么。"]
        # 李老师's question, still in her chat, is answered already.
        assert await say(LI, "确认绑定") == "这个账号已经确认、拒绝或解除过了。"

    await _on_probation_at_night(wxapi, uow_factory, clock, grandpa_confirms)
