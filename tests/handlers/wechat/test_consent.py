"""Consent over signed WeChat XML (issue 10, item 1): the notice in the passive reply, a numbered answer.

A grandfather binds on the school's Official Account with ``绑定 CODE``; the
reply carries the welcome, the privacy notice and the question with numbered
answers; he replies ``1`` (同意) and the answer is recorded with channel
``wechat``. Later he sends ``隐私``, picks 撤回同意 by its number and must
type the words to confirm: a bare number withdraws nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.privacy import NOTICE_VERSION
from bot.services.invites import create_invite
from bot.store.models import Consent
from tests.support.school import chain_school
from tests.support.wechat_double import SignedChat

SETTINGS = Settings(database_url="sqlite://")
GRANDPA = "oGrandpaConsent"


async def test_a_grandfather_agrees_by_number_on_wechat_and_withdraws_only_by_the_words(uow_factory, clock):
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",), consent=False)
    with uow_factory() as uow:
        code = create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    chat = SignedChat(uow_factory, clock, SETTINGS)

    async def say(text: str) -> str:
        clock.advance(timedelta(seconds=30))
        return await chat.say(GRANDPA, text)

    def decisions() -> list[tuple[str, str, str]]:
        with uow_factory() as uow:
            rows = uow.session.scalars(select(Consent).where(Consent.child_id == school.zhang_san)
                                       .order_by(Consent.id)).all()
            return [(r.decision, r.channel, r.notice_version) for r in rows]

    async with chat:
        reply = await say(f"绑定 {code}")
        assert reply.startswith("欢迎您，张爷爷！")
        assert f"隐私告知（版本{NOTICE_VERSION}）" in reply
        assert "您是否同意学校保存和使用张三的上述记录？" in reply
        assert "1. 同意" in reply and "2. 不同意" in reply
        assert decisions() == []

        thanks = await say("1")
        assert thanks.startswith("谢谢。已记录您对张三的同意")
        assert decisions() == [("granted", "wechat", NOTICE_VERSION)]

        menu = await say("隐私")
        assert "· 张三：已同意" in menu and "1. 撤回同意" in menu
        confirm = await say("1")
        assert confirm.startswith("确定撤回对张三的同意吗？")
        refused = await say("1")
        assert "撤回同意" in refused and decisions() == [("granted", "wechat", NOTICE_VERSION)]
        done = await say("撤回同意")
        assert done.startswith("您对张三的同意已撤回。")
        assert [d[0] for d in decisions()] == ["granted", "withdrawn"]
