"""WeChat and WeCom end to end on the real flow runner and services: bind by QR, check-in by "1", /talk on WeCom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.handlers.wechat.render import render_text
from bot.services import checkins, invites
from bot.services.delivery import drain_outbox
from bot.store.models import ChatAccount, Checkin, TalkRecord
from tests.support.school import small_school
from tests.support.wechat_double import (
    SendRecorder,
    Tencent,
    configs,
    event_xml,
    make_worker,
    text_xml,
)
from tests.support.wechat_fixtures import drop_telegram

SETTINGS = Settings(database_url="sqlite://")
NEXT_FRIDAY_1800 = datetime(2026, 12, 11, 10, 0, tzinfo=UTC)  # Friday 18:00 Asia/Shanghai, a week later


class WeChatOutbox:
    """The outbox's sender for WeChat in this test: records what the drain delivers (no buttons on WeChat)."""

    channel = "wechat"
    has_buttons = False

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, account_id, prompt, locale, timezone) -> None:
        self.sent.append((account_id, render_text(prompt, locale, timezone)))


@pytest.fixture
def school(uow_factory, clock):
    return small_school(uow_factory, clock.now())


def _invite(uow_factory, person_id: int, now: datetime) -> str:
    with uow_factory() as uow:
        issued = invites.create_invite(uow, query=f"#{person_id}", now=now, ttl=timedelta(hours=72))
        uow.commit()
        return issued.code


async def test_a_guardian_binds_by_scanning_an_invite_qr_and_answers_the_checkin_with_1(
        uow_factory, clock, school):
    cfg = configs()["wechat"]
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    client, _ = make_worker({"wechat": cfg}, flows, uow_factory, clock, SendRecorder())
    tencent = Tencent(cfg, clock)
    drop_telegram(uow_factory, school.grandpa)  # WeChat is his first account (a second one waits: binding_probation)
    code = _invite(uow_factory, school.grandpa, clock.now())

    async with client:
        query, body = tencent.push(event_xml("oGrandpa", "subscribe", f"qrscene_{code}"))
        greeting = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
        assert "欢迎您，张爷爷" in greeting["Content"] and greeting["ToUserName"] == "oGrandpa"
        with uow_factory() as uow:
            account = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == "oGrandpa"))
            assert (account.channel, account.person_id) == ("wechat", school.grandpa)

        # A week later the check-in is planned and the outbox delivers it to WeChat with numbered answers.
        clock.advance(NEXT_FRIDAY_1800 - clock.now())
        with uow_factory() as uow:
            assert checkins.plan_checkins(uow, now=clock.now(), settings=SETTINGS) == 1
            uow.commit()
        outbox = WeChatOutbox()
        await drain_outbox(uow_factory, {"wechat": outbox}, now=clock.now(), settings=SETTINGS)
        [(account_id, question)] = [s for s in outbox.sent if s[0] == "oGrandpa"]
        assert "1. 很好  2. 一般  3. 需要帮助" in question and "（回复数字即可）" in question

        clock.advance(timedelta(minutes=10))
        query, body = tencent.push(text_xml("oGrandpa", "1", 90001, create_time=int(clock.now().timestamp())))
        answer = tencent.open((await client.post("/wechat/callback", params=query, content=body)).text)
    assert answer["Content"]
    with uow_factory() as uow:
        checkin = uow.session.scalar(
            select(Checkin).where(Checkin.guardian_id == school.grandpa).order_by(Checkin.id.desc()))
        assert checkin.answer == "good" and checkin.id != school.checkin


async def test_a_teacher_binds_on_wecom_and_logs_a_talk_with_numbered_replies(uow_factory, clock, school):
    cfg = configs()["wecom"]
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    client, _ = make_worker({"wecom": cfg}, flows, uow_factory, clock, SendRecorder())
    tencent = Tencent(cfg, clock)
    drop_telegram(uow_factory, school.li)  # WeCom is her first account (a second one waits: binding_probation)
    code = _invite(uow_factory, school.li, clock.now())
    said = iter(range(50001, 50100))

    async with client:
        async def say(text: str) -> str:
            query, body = tencent.push(text_xml("LiLaoShi", text, next(said), agent=True))
            answer = await client.post("/wecom/callback", params=query, content=body)
            assert answer.status_code == 200
            return tencent.open(answer.text)["Content"]

        assert "欢迎您，李老师" in await say(f"绑定 {code}")
        card = await say("/talk 张三")
        assert "与张三谈心。孩子的情绪怎么样？" in card and "1. 好  2. 一般  3. 较差" in card
        for reply in ("1", "２", "1", "2", "聊了学习 📚", "1"):  # follow-up: 1. 不需要跟进
            await say(reply)
        assert "已保存" in await say("1")
    with uow_factory() as uow:
        [record] = uow.session.scalars(select(TalkRecord)).all()
        assert (record.child_id, record.author_id) == (school.zhang_a, school.li)
        assert (record.mood, record.study, record.note, record.follow_up) == ("good", "fair", "聊了学习 📚", False)
