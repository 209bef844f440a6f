"""A QR scanned or /help sent halfway through a talk on WeChat: the talk's question is shown again (fix6ae).

李老师 is recording a talk with 张三 on the Official Account and scans the
grandfather's invite QR (to pass it on); the SCAN event is ``/start <code>``.
Her next ``1`` must answer a question she can see, so the mood question comes
back under the answer, named, as after ``/due``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.services import invites
from bot.store.models import ChatAccount
from tests.support.school import small_school
from tests.support.wechat_double import SendRecorder, Tencent, configs, event_xml, make_worker, text_xml
from tests.support.wechat_fixtures import drop_telegram

SETTINGS = Settings(database_url="sqlite://")
MOOD = "与张三谈心。孩子的情绪怎么样？"


async def test_a_qr_scan_and_help_mid_talk_show_the_talks_question_again(uow_factory, clock) -> None:
    school = small_school(uow_factory, clock.now())
    cfg = configs()["wechat"]
    client, _ = make_worker({"wechat": cfg}, FlowRunner(uow_factory, clock, SETTINGS), uow_factory, clock,
                            SendRecorder())
    tencent = Tencent(cfg, clock)
    drop_telegram(uow_factory, school.li)
    with uow_factory() as uow:
        li_code = invites.create_invite(uow, query=f"#{school.li}", now=clock.now(), ttl=timedelta(hours=72)).code
        grandpa_code = invites.create_invite(uow, query=f"#{school.grandpa}", now=clock.now(),
                                             ttl=timedelta(hours=72)).code
        uow.commit()
    said = iter(range(61001, 61100))

    async with client:
        async def push(xml: str) -> str:
            query, body = tencent.push(xml)
            answer = await client.post("/wechat/callback", params=query, content=body)
            assert answer.status_code == 200
            return tencent.open(answer.text)["Content"]

        async def say(text: str) -> str:
            return await push(text_xml("oLi", text, next(said), create_time=int(clock.now().timestamp())))

        assert "欢迎您，李老师" in await say(f"绑定 {li_code}")
        assert MOOD in await say("/talk 张三")

        scanned = await push(event_xml("oLi", "SCAN", grandpa_code, create_time=int(clock.now().timestamp())))
        assert scanned.startswith("这个聊天已经绑定了李老师。邀请码没有被使用"), scanned  # kept for the grandfather
        again = scanned.split("继续记录与张三的谈心：")[1].strip()
        assert again == f"{MOOD}\n1. 好  2. 一般  3. 较差\n（回复数字即可）"

        helped = await say("/help")
        assert "继续记录与张三的谈心：" in helped and helped.index(MOOD) > helped.index("继续记录"), helped
        assert "张三的学习情况怎么样？" in await say("1")  # the mood it showed, answered

        started = await say("/start")
        assert "继续记录与张三的谈心：" in started and "张三的学习情况怎么样？" in started, started
    with uow_factory() as uow:
        owners = uow.session.scalars(select(ChatAccount.person_id).where(ChatAccount.account_id == "oLi")).all()
        assert owners == [school.li]
