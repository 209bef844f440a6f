"""A second account never takes over a guardian's alerts (signed WeChat XML, the real WeChat sender).

张爷爷's only account is a WeChat OpenID he last wrote from four days ago — outside WeChat's 48-hour
customer-service window, and there is no template for "did you link it?". Late in the evening someone
redeems a 张爷爷 invite on another OpenID. That account is on probation: it is greeted and gets nothing
else; it cannot unlink his old account with ``我的`` → ``解除绑定`` → ``2`` → ``解除``; his next alert does
not go to it; and since his old account cannot be asked, his class teacher and the principal are asked at
once (the quiet hours do not hold it) to phone him — with his name and phone. 李老师 confirms after
phoning, and only then does the new account count.
"""

from __future__ import annotations

from datetime import time, timedelta
from itertools import count

import httpx
from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority
from bot.flows.runner import FlowRunner
from bot.handlers.wechat.senders import WeChatSender
from bot.messages.prompt import Prompt
from bot.services import bindings, identity
from bot.services.delivery import drain_outbox
from bot.services.invites import create_invite
from bot.services.outbox import enqueue
from bot.store.models import ChatAccount
from tests.support.school import TG, add_account, chain_school
from tests.support.wechat_double import (
    SendRecorder,
    Tencent,
    TextRecorder,
    account_ids,
    configs,
    make_worker,
    text_xml,
)
from tests.support.wechat_fixtures import CS, wechat_settings, wxapi  # noqa: F401

OLD, NEW = "oGrandpaOld", "oSomeoneElse"
_msg_ids = count(93001)
WAITING = ("本聊天正在等待确认：请在您原来绑定的账号上回复“是我”，或由学校电话核实后确认。"
           "在此之前，本聊天收不到任何消息，也看不到孩子的信息。")




async def test_an_invite_redeemed_at_night_on_another_phone_takes_nothing_over(wxapi, uow_factory,  # noqa: F811
                                                                                clock) -> None:
    clock.advance(timedelta(hours=13, minutes=30))  # Monday 22:30 school time: the quiet hours
    settings = wechat_settings(wxapi, quiet_start=time(21, 0), quiet_end=time(7, 0))
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    with uow_factory() as uow:
        add_account(uow.session, school.grandpa, OLD, channel="wechat", bound_at=clock.now() - timedelta(days=30),
                    last_seen_at=clock.now() - timedelta(days=4))
        code = create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    cfg = configs()["wechat"]
    client, _ = make_worker({"wechat": cfg}, FlowRunner(uow_factory, clock, Settings(database_url="sqlite://")),
                            uow_factory, clock, SendRecorder())
    tencent = Tencent(cfg, clock)

    async def say(sender: str, text: str) -> str:
        query, body = tencent.push(text_xml(sender, text, next(_msg_ids), create_time=int(clock.now().timestamp())))
        answer = await client.post("/wechat/callback", params=query, content=body)
        assert answer.status_code == 200
        return tencent.open(answer.text)["Content"]

    telegram = TextRecorder()
    async with client, httpx.AsyncClient() as http:
        senders = {"wechat": WeChatSender(settings, uow_factory, clock, http=http), "telegram": telegram}
        clock.advance(timedelta(minutes=5))
        greeting = await say(NEW, f"绑定 {code}")
        assert greeting.startswith("欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。您原来绑定的账号：微信（绑定于")
        assert "本聊天收不到任何消息，也看不到孩子的信息" in greeting

        # The new account cannot remove the old one: every step is "waiting for confirmation".
        for typed in ("我的", "解除绑定", "2", "解除"):
            assert await say(NEW, typed) == WAITING
        assert account_ids(uow_factory, school.grandpa) == [OLD, NEW]

        await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
        # His old WeChat cannot be asked (no customer-service message outside 48 hours, no template) ...
        assert [c.body for c in wxapi.calls(CS)] == []
        # ... so his class teacher and the principal are asked now, at 22:35, to phone him.
        for staff in (str(TG["li"]), str(TG["admin"])):
            [question] = telegram.take(staff)
            assert question.startswith("张爷爷（委托监护人）于2026年11月30日 22:35绑定了一个新的微信账号，"
                                       "但目前无法通过其原账号询问本人。确认之前新账号收不到任何消息。请致电张爷爷（")
            assert question.splitlines()[1] == "1. 确认  2. 拒绝"

        # His next alert does not go to the new account.
        with uow_factory() as uow:
            enqueue(uow.session, key="test:alert", person_id=school.grandpa, prompt=Prompt("ALERT"),
                    priority=Priority.URGENT, now=clock.now())
            uow.commit()
        await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
        assert [c.body["touser"] for c in wxapi.calls(CS)] == []

        # 李老师 phoned him: it was him, on his daughter-in-law's old phone. She confirms.
        with uow_factory() as uow:
            new = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == NEW))
            li = identity.actor_of(uow, school.li)
            result = bindings.decide(uow, binding_id=new.id, epoch=int(new.bound_at.timestamp()), confirm=True,
                                     admin=li, now=clock.now())
            uow.commit()
        assert result.decision is bindings.Decision.CONFIRMED
        details = await say(NEW, "我的")
        assert details.splitlines()[:2] == ["您的信息：", "姓名：张爷爷"]
