"""WeChat in the outbox drain, end to end: the unreachable fallback, the channel a message takes,
and an incident chain that reaches a WeChat guardian and Telegram parents.

Real services (report_incident, run_escalations, drain_outbox, the flow
engine), the real WeChatSender against the WeChat API double and the real
TelegramSender against the Bot API double; the clock is a ManualClock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import IncidentKind, Severity, TaskKind
from bot.flows.runner import FlowRunner, Inbound
from bot.handlers.telegram import TelegramSender, build_application
from bot.handlers.wechat.senders import WeChatSender
from bot.i18n import render
from bot.services import identity, incident_escalation, incidents
from bot.services.delivery import drain_outbox
from bot.store.models import ChatAccount, IncidentStep, OutboxMessage, Person, Task
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows, FakeSender
from tests.support.school import ACCOUNTS, TG, chain_school, small_school
from tests.support.wechat_api_double import WeChatApiDouble
from tests.support.wechat_fixtures import CS, OPENID, add_wechat, drop_telegram, wechat_settings


@pytest.fixture
def settings(wxapi: WeChatApiDouble) -> Settings:
    return wechat_settings(wxapi)


@pytest.fixture
async def senders(botapi: BotApiDouble, wxapi: WeChatApiDouble, settings: Settings, uow_factory,
                  clock: ManualClock) -> AsyncIterator[dict]:
    application = build_application(botapi.token, FakeFlows(), api_url=botapi.api_url, webhook=True)
    await application.initialize()
    async with httpx.AsyncClient() as http:
        try:
            yield {"telegram": TelegramSender(application.bot),
                   "wechat": WeChatSender(settings, uow_factory, clock, http=http)}
        finally:
            await application.shutdown()


def report(uow_factory, reporter: int, child: int, now) -> int:
    with uow_factory() as uow:
        incident_id = incidents.report_incident(uow, reporter_id=reporter, child_id=child,
                                                kind=IncidentKind.INJURY.value, severity=Severity.EMERGENCY.value,
                                                description="课间在操场摔倒，右臂疼痛。", now=now)
        uow.commit()
        return incident_id


async def drain(uow_factory, senders, clock: ManualClock, settings: Settings):
    return await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)


# --- 43004: unreachable, then the same fallback as on Telegram ------------------------------------------


async def test_a_guardian_who_unfollowed_gets_the_alert_on_telegram_instead(
    botapi: BotApiDouble, wxapi: WeChatApiDouble, senders, settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(hours=2))  # WeChat was used last
    wxapi.fail(CS, OPENID, 43004)
    report(uow_factory, ids.li, ids.zhang_a, clock.now())
    stats = await drain(uow_factory, senders, clock, settings)

    # The small school has no officials, so the reporter and admins also hear that step 3 is empty.
    assert (stats.unreachable_accounts, stats.failed) == (1, 0)
    [alert] = [m for m in botapi.sent if str(m.chat_id) == ACCOUNTS["grandpa"]]
    assert alert.text.startswith("突发事件：张三（三年级1班）")
    assert alert.buttons()[0][0][0] == "确认收到"
    with uow_factory() as uow:
        wechat = uow.session.scalar(select(ChatAccount).where(ChatAccount.channel == "wechat"))
        assert wechat.unreachable_at == clock.now() and "43004" in wechat.unreachable_reason


async def test_a_guardian_only_on_wechat_who_unfollowed_becomes_a_phone_task_for_the_class_teacher(
    botapi: BotApiDouble, wxapi: WeChatApiDouble, senders, settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(hours=2))
    wxapi.fail(CS, OPENID, 43004)
    incident_id = report(uow_factory, ids.li, ids.zhang_a, clock.now())
    await drain(uow_factory, senders, clock, settings)  # the alert fails: fallback runs
    await drain(uow_factory, senders, clock, settings)  # the fallback's message to the class teacher

    [to_teacher] = [m for m in botapi.sent if str(m.chat_id) == ACCOUNTS["li"] and "张爷爷" in m.text]
    assert "张三" in to_teacher.text
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task).where(Task.kind == TaskKind.PHONE_CONTACT.value)).all()
        assert (task.assignee_id, task.about_person_id) == (ids.li, ids.grandpa)
        failed = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.grandpa,
                                                                OutboxMessage.failed_at.is_not(None)))
        assert failed is not None and failed.incident_step_id is not None
        step = uow.session.get(IncidentStep, failed.incident_step_id)
        assert step.incident_id == incident_id


# --- which channel a message takes ------------------------------------------------------------------------


async def test_messages_go_to_the_channel_last_used_unless_the_person_chose_one(
    wxapi: WeChatApiDouble, settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(hours=3))
    telegram = FakeSender(channel="telegram")
    async with httpx.AsyncClient() as http:
        senders = {"telegram": telegram, "wechat": WeChatSender(settings, uow_factory, clock, http=http)}

        async def send_checkin(key: str) -> str:
            from bot.domain.enums import Priority
            from bot.services import checkin_messages
            from bot.services.outbox import enqueue
            with uow_factory() as uow:
                enqueue(uow.session, key=key, person_id=ids.grandpa, priority=Priority.URGENT, now=clock.now(),
                        prompt=checkin_messages.question_prompt(ids.checkin, "张三"))
                uow.commit()
            await drain(uow_factory, senders, clock, settings)
            with uow_factory() as uow:
                return uow.session.scalar(select(OutboxMessage.sent_channel).where(OutboxMessage.key == key))

        def writes_on(channel: str, account_id: str) -> None:
            with uow_factory() as uow:
                identity.actor_for(uow, channel=channel, account_id=account_id, now=clock.now())
                uow.commit()

        # WeChat was used last (Telegram only bound 30 days ago): WeChat.
        assert await send_checkin("a") == "wechat"
        clock.advance(timedelta(minutes=10))
        writes_on("telegram", ACCOUNTS["grandpa"])
        clock.advance(timedelta(minutes=10))
        assert await send_checkin("b") == "telegram"
        clock.advance(timedelta(minutes=10))
        writes_on("wechat", OPENID)
        clock.advance(timedelta(minutes=10))
        assert await send_checkin("c") == "wechat"

        # They chose Telegram: it wins even though WeChat was used last.
        with uow_factory() as uow:
            uow.session.get(Person, ids.grandpa).preferred_channel = "telegram"
            uow.commit()
        assert await send_checkin("d") == "telegram"
    assert len(wxapi.delivered(CS)) == 2 and len(telegram.sent) == 2


async def test_outside_the_window_without_a_template_only_that_message_fails(
    wxapi: WeChatApiDouble, settings, uow_factory, clock: ManualClock
) -> None:
    """Outside the 48 h window without a template the message fails alone; the account stays usable."""
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(days=3))
    from bot.domain.enums import Priority
    from bot.messages.prompt import Prompt
    from bot.services.outbox import enqueue

    async with httpx.AsyncClient() as http:
        senders = {"wechat": WeChatSender(settings, uow_factory, clock, http=http)}
        with uow_factory() as uow:
            enqueue(uow.session, key="news-1", person_id=ids.grandpa, priority=Priority.URGENT, now=clock.now(),
                    prompt=Prompt("Thank you. Nothing more is needed."))
            uow.commit()
        stats = await drain(uow_factory, senders, clock, settings)
        assert (stats.sent, stats.unreachable_accounts) == (0, 0)
        with uow_factory() as uow:
            account = uow.session.scalar(select(ChatAccount).where(ChatAccount.channel == "wechat"))
            assert account.unreachable_at is None

        clock.advance(timedelta(hours=1))
        with uow_factory() as uow:
            identity.actor_for(uow, channel="wechat", account_id=OPENID, now=clock.now())
            uow.commit()
        with uow_factory() as uow:
            enqueue(uow.session, key="news-2", person_id=ids.grandpa, priority=Priority.URGENT, now=clock.now(),
                    prompt=Prompt("Thank you. Nothing more is needed."))
            uow.commit()
        stats = await drain(uow_factory, senders, clock, settings)
        assert stats.sent == 1
    assert [b["text"]["content"] for b in wxapi.delivered(CS)] == ["谢谢，不需要再做什么了。"]


# --- one incident chain, two channels --------------------------------------------------------------------


async def test_an_incident_reaches_a_wechat_guardian_and_telegram_parents_in_one_chain(
    botapi: BotApiDouble, wxapi: WeChatApiDouble, senders, settings, uow_factory, clock: ManualClock
) -> None:
    school = chain_school(uow_factory, clock.now() - timedelta(days=30), unbound=("grandpa",))
    add_wechat(uow_factory, school.grandpa, seen=clock.now() - timedelta(hours=5))
    incident_id = report(uow_factory, school.li, school.zhang_san, clock.now())

    # Step 1: the entrusted guardian, on WeChat, with the numbered acknowledge choice.
    await drain(uow_factory, senders, clock, settings)
    [alert] = wxapi.delivered(CS)
    assert alert["touser"] == OPENID
    content = alert["text"]["content"]
    assert content.startswith("突发事件：张三（三年级1班）") and content.endswith("\n1. 确认收到\n（回复数字即可）")
    assert [m.chat_id for m in botapi.sent] == []

    # Nobody acknowledged within 30 minutes: step 2, the parents, on Telegram with the button.
    clock.advance(timedelta(minutes=31))
    with uow_factory() as uow:
        incident_escalation.run_escalations(uow, now=clock.now())
        uow.commit()
    await drain(uow_factory, senders, clock, settings)
    parents = {m.chat_id: m for m in botapi.sent if m.chat_id in (TG["father"], TG["mother"])}
    assert set(parents) == {TG["father"], TG["mother"]}
    assert all(m.buttons() == [[("确认收到", f"ack:{incident_id}")]] for m in parents.values())

    # The grandfather answers "1" on WeChat: the same acknowledgement a Telegram tap makes.
    flows = FlowRunner(uow_factory, clock, settings)
    reply = flows.handle(Inbound(channel="wechat", account_id=OPENID, text="1", update_key="wx-msg-1"))
    assert render(reply.prompts[0], reply.locale, reply.timezone).text == "谢谢：已记录您对张三事件通知的确认。"
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.incident_id == incident_id,
                                                             IncidentStep.person_id == school.grandpa))
        assert step.acknowledged_at == clock.now()
