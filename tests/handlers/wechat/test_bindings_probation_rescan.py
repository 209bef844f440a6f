"""A stranger who bound a guardian's leaked code scans the QR again: the greeting still names the accounts (breakB).

The first scan's greeting names the grandfather's old WeChat, on which he
must confirm; the second scan used to say "您原来绑定的账号：。" naming
nobody.
"""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.services.invites import create_invite
from tests.support.school import add_account, chain_school
from tests.support.wechat_double import SignedChat, event_xml

SETTINGS = Settings(database_url="sqlite://")
OLD, NEW = "oGrandpaOld", "oStranger"
NAMED = "您原来绑定的账号：微信（绑定于2026年11月23日 09:00）。"


async def test_a_second_scan_of_the_code_names_the_account_that_must_confirm(uow_factory, clock) -> None:
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    with uow_factory() as uow:
        add_account(uow.session, school.grandpa, OLD, channel="wechat", bound_at=clock.now() - timedelta(days=7),
                    last_seen_at=clock.now() - timedelta(days=1))
        code = create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    chat = SignedChat(uow_factory, clock, SETTINGS)

    async def scan(event: str, key: str) -> str:
        q, body = chat.tencent.push(event_xml(NEW, event, key, create_time=int(clock.now().timestamp())))
        answer = await chat.client.post("/wechat/callback", params=q, content=body)
        return chat.tencent.open(answer.text).get("Content")

    async with chat:
        clock.advance(timedelta(minutes=5))
        first = await scan("subscribe", f"qrscene_{code}")
        await chat.say(NEW, "我的")
        again = await scan("SCAN", code)
    assert NAMED in first
    assert NAMED in again and "账号：。" not in again
    assert "本聊天收不到任何消息" in again
