"""Sending on WeChat and WeCom: the 48 h window, templates, error codes and the shared access token.

Every call goes to the local API double (tests/wechat_api_double.py) on
127.0.0.1, token requests included, so the tests also show that the API base
URL setting reaches them. Runs on SQLite and, with GUANAI_TEST_POSTGRES_URL,
on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.handlers.wechat.menu import create_menu
from bot.handlers.wechat.render import split_text
from bot.handlers.wechat.senders import WeChatSender, WeComSender, send_text
from bot.handlers.wechat.templates import template_data, template_kind
from bot.messages.prompt import Choice, Prompt, PromptKind, text
from bot.services import checkin_messages, incident_messages
from bot.services.pacing import WECHAT, WECOM, Limits, Pacer
from bot.services.ports import (
    PermanentSendError,
    TransientSendError,
    WaitForPersonError,
)
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ApiToken, ChatAccount
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_crypto import raw_dump
from tests.support.school import small_school
from tests.support.wechat_api_double import (
    AGENT_ID,
    APP_ID,
    APP_SECRET,
    CORP_ID,
    CORP_SECRET,
    WeChatApiDouble,
)
from tests.support.wechat_fixtures import wechat_settings

CS = "/cgi-bin/message/custom/send"
TEMPLATE = "/cgi-bin/message/template/send"
APP = "/cgi-bin/message/send"
OPENID = "o-grandpa-openid"
CHECKIN_PROMPT = checkin_messages.question_prompt(7, "张三")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def wx_settings(double: WeChatApiDouble, **kw: object) -> Settings:
    wecom: dict[str, object] = dict(wecom_corp_id=CORP_ID, wecom_secret=CORP_SECRET, wecom_agent_id=AGENT_ID,
                                    wecom_api_url=double.url)
    return wechat_settings(double, **{**wecom, **kw})


def add_account(uow_factory, person_id: int, channel: str, account_id: str, *, bound: datetime,
                seen: datetime | None) -> None:
    with uow_factory() as uow:
        uow.session.add(ChatAccount(person_id=person_id, channel=channel, account_id=account_id, bound_at=bound,
                                    last_seen_at=seen))
        uow.commit()


def seen_ago(uow_factory, clock: ManualClock, delta: timedelta, openid: str = OPENID) -> None:
    """A WeChat account (of the small school's guardian) whose last message was ``delta`` ago."""
    ids = small_school(uow_factory, clock.now() - timedelta(days=10))
    add_account(uow_factory, ids.grandpa, "wechat", openid, bound=clock.now() - timedelta(days=10),
                seen=clock.now() - delta)


# --- the 48-hour window ------------------------------------------------------------------------------


async def test_inside_48_hours_a_customer_service_message_carries_the_numbered_choices(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=47))
    sender = WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http)
    await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    [body] = wxapi.delivered(CS)
    assert body["touser"] == OPENID and body["msgtype"] == "text"
    assert body["text"]["content"] == "张三这周过得怎么样？\n1. 很好  2. 一般  3. 需要帮助\n（回复数字即可）"
    assert wxapi.calls(TEMPLATE) == []


async def test_outside_48_hours_the_checkin_template_goes_out(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=49))
    settings = wx_settings(wxapi, wechat_template_checkin="TPL-CHECKIN", wechat_template_incident="TPL-INCIDENT")
    await WeChatSender(settings, uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert wxapi.calls(CS) == []
    [body] = wxapi.delivered(TEMPLATE)
    assert (body["touser"], body["template_id"]) == (OPENID, "TPL-CHECKIN")
    data = {k: v["value"] for k, v in body["data"].items()}
    assert data == {
        "first": "张三这周过得怎么样？",
        "keyword1": "张三",
        "keyword2": "2026年11月30日 09:00",  # the clock's now, school time
        "keyword3": "张三这周过得怎么样？",
        "remark": "1. 很好 2. 一般 3. 需要帮助 （回复数字即可）",
    }


async def test_outside_48_hours_without_a_template_the_message_waits_for_the_person(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(days=3))
    sender = WeChatSender(wx_settings(wxapi, wechat_template_incident="TPL-INCIDENT"), uow_factory, clock, http=http)
    with pytest.raises(WaitForPersonError, match="48-hour window"):
        await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert wxapi.calls(CS) == [] and wxapi.calls(TEMPLATE) == []


async def test_45047_the_persons_quota_used_up_takes_the_template_or_waits_for_the_person(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    wxapi.fail(CS, OPENID, 45047)  # five customer-service messages since grandpa last wrote
    settings = wx_settings(wxapi, wechat_template_checkin="TPL-CHECKIN")
    await WeChatSender(settings, uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert [b["template_id"] for b in wxapi.delivered(TEMPLATE)] == ["TPL-CHECKIN"]

    wxapi.fail(CS, OPENID, 45047)
    with pytest.raises(WaitForPersonError):  # no template for a check-in here: not retried every minute
        await WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http).send(
            OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")


async def test_45015_falls_back_to_the_template_once(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    wxapi.fail(CS, OPENID, 45015)
    settings = wx_settings(wxapi, wechat_template_checkin="TPL-CHECKIN")
    await WeChatSender(settings, uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.calls(CS)) == 1
    assert [b["template_id"] for b in wxapi.delivered(TEMPLATE)] == ["TPL-CHECKIN"]

    # Refused on both ways: permanent, and no third attempt.
    wxapi.fail(CS, OPENID, 45015)
    wxapi.fail(TEMPLATE, OPENID, 45015)
    with pytest.raises(PermanentSendError):
        await WeChatSender(settings, uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans",
                                                                          "Asia/Shanghai")
    assert (len(wxapi.calls(CS)), len(wxapi.calls(TEMPLATE))) == (2, 2)


@pytest.mark.parametrize(("errcode", "error"), [
    (43004, PermanentSendError), (40003, PermanentSendError),
    (45047, WaitForPersonError), (45009, TransientSendError), (50001, TransientSendError),
])
async def test_error_codes_map_to_what_the_outbox_does(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient, errcode: int, error: type
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    wxapi.fail(CS, OPENID, errcode)
    with pytest.raises(error) as caught:
        await WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http).send(
            OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    if errcode == 45009:
        assert caught.value.retry_after >= 60


async def test_a_dead_api_server_is_transient(uow_factory, clock: ManualClock, http: httpx.AsyncClient) -> None:
    double = WeChatApiDouble().start()
    settings = wx_settings(double)
    double.close()
    seen_ago(uow_factory, clock, timedelta(hours=1))
    with pytest.raises(TransientSendError):
        await WeChatSender(settings, uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans",
                                                                          "Asia/Shanghai")


def test_templates_follow_the_kind_the_services_give_their_prompts() -> None:
    summary = incident_messages.IncidentSummary(1, "张三", "三年级1班", "injury", "minor", "open", "x", "李老师",
                                                datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    incident_reminder = incident_messages.reminder_prompt(summary, due_by=summary.reported_at, number=1,
                                                          sent_ago=timedelta(minutes=10))
    checkin_reminder = checkin_messages.reminder_prompt(7, "张三")
    assert (incident_reminder.kind, checkin_reminder.kind) == (
        PromptKind.INCIDENT_REMINDER, PromptKind.CHECKIN_REMINDER)
    assert template_kind(incident_reminder) == ("reminder", "incident")
    assert template_kind(checkin_reminder) == ("reminder", "checkin")
    alert = incident_messages.alert_prompt(summary, due_by=summary.reported_at, now=summary.reported_at, family=True)
    assert template_kind(alert) == ("incident",)
    missed = incident_messages.missed_prompt(summary, name="张爷爷", role="entrusted_guardian", step_no=1,
                                             due_by=summary.reported_at, phone=None)
    assert template_kind(missed) == ("incident",)
    assert template_kind(CHECKIN_PROMPT) == ("checkin",)
    assert template_kind(Prompt("Good morning!")) == ()
    # The kind is kept in the outbox: a reminder stays a reminder whatever its text says.
    assert template_kind(Prompt.from_dict(incident_reminder.to_dict())) == ("reminder", "incident")
    assert template_kind(Prompt(incident_reminder.message_id, choices=incident_reminder.choices)) == ()


def test_long_texts_are_split_at_2048_bytes_on_line_ends() -> None:
    long = "\n".join(["张三摔倒了" * 20] * 10)  # 300 bytes a line
    parts = split_text(long)
    assert all(len(p.encode()) <= 2048 for p in parts) and "\n".join(parts) == long
    assert split_text("x" * 5000) == ["x" * 2048, "x" * 2048, "x" * 904]


# --- the shared access token ------------------------------------------------------------------------


async def test_the_token_request_goes_to_the_configured_base_url_and_is_stored(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient, database_url: str
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    await WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans",
                                                                                "Asia/Shanghai")
    [token_request] = wxapi.token_requests()
    assert token_request.query == {"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}
    with uow_factory() as uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.name == f"wechat:{APP_ID}"))
        assert (row.token, row.expires_at) == ("tok-1", clock.now() + timedelta(seconds=7200))
    assert wxapi.delivered(CS)[0]["touser"] == OPENID
    dump = raw_dump(database_url)  # the token is a secret: encrypted at rest, not in a stolen dump
    assert "tok-1" not in dump and f"wechat:{APP_ID}" in dump


async def test_two_workers_share_one_token_and_refresh_it_only_when_it_expires(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    settings = wx_settings(wxapi)
    first, second = (WeChatSender(settings, uow_factory, clock, http=http) for _ in range(2))
    await asyncio.gather(*(s.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai") for s in (first, second)))
    await second.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.token_requests()) == 1 and len(wxapi.delivered(CS)) == 3

    clock.advance(timedelta(seconds=7200 - 299))  # inside the 5-minute margin before expiry
    await first.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    await second.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.token_requests()) == 2 and len(wxapi.delivered(CS)) == 5


def test_two_processes_racing_for_a_token_fetch_it_once(
    wxapi: WeChatApiDouble, database_url: str, uow_factory, clock: ManualClock
) -> None:
    """Two workers with their own engine and event loop (as two processes): the row lock makes one fetch."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one worker process (bot.services.delivery); the row lock is PostgreSQL's")
    seen_ago(uow_factory, clock, timedelta(hours=1))
    wxapi.token_delay = 0.2  # hold the first fetch open so the second worker arrives meanwhile
    settings = wx_settings(wxapi)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        engine = make_engine(database_url)
        try:
            sender = WeChatSender(settings, UnitOfWorkFactory(make_session_factory(engine)), clock)
            barrier.wait()

            async def go() -> None:
                try:
                    await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
                finally:
                    await sender.aclose()

            asyncio.run(go())
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    def race() -> None:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []

    race()  # no token row yet
    assert len(wxapi.token_requests()) == 1 and len(wxapi.delivered(CS)) == 2
    clock.advance(timedelta(hours=2))  # the stored token has expired
    race()
    assert len(wxapi.token_requests()) == 2 and len(wxapi.delivered(CS)) == 4


async def test_a_refused_token_is_refreshed_once_and_the_call_retried(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    sender = WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http)
    await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    wxapi.expire_tokens()  # e.g. someone fetched a token elsewhere: WeChat answers 42001/40001
    await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.token_requests()) == 2
    assert [r.ok for r in wxapi.calls(CS)] == [True, False, True]
    with uow_factory() as uow:
        assert uow.session.scalar(select(ApiToken.token)) == "tok-2"

    # Refused again right after the refresh: no loop of refreshes, a transient error.
    wxapi.fail(CS, OPENID, 40001)
    wxapi.expire_tokens()
    with pytest.raises(TransientSendError):
        await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.token_requests()) == 3


async def test_a_wrong_app_secret_is_transient_and_stores_no_token(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    seen_ago(uow_factory, clock, timedelta(hours=1))
    sender = WeChatSender(wx_settings(wxapi, wechat_app_secret="wrong"), uow_factory, clock, http=http)
    with pytest.raises(TransientSendError):
        await sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert wxapi.calls(CS) == []
    with uow_factory() as uow:
        assert uow.session.scalar(select(ApiToken.token)) is None


# --- WeCom --------------------------------------------------------------------------------------------


async def test_wecom_app_message_to_a_teacher(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    sender = WeComSender(wx_settings(wxapi), uow_factory, clock, http=http)
    prompt = Prompt("Incident about {child}", {"child": text("张三")}, choices=(Choice("Acknowledge", "ack:42"),))
    await sender.send("LiLaoShi", prompt, "zh_Hans", "Asia/Shanghai")
    [token_request] = wxapi.token_requests("/cgi-bin/gettoken")
    assert token_request.query == {"corpid": CORP_ID, "corpsecret": CORP_SECRET}
    [body] = wxapi.delivered(APP)
    assert (body["touser"], body["msgtype"], body["agentid"]) == ("LiLaoShi", "text", int(AGENT_ID))
    assert body["text"]["content"] == "Incident about 张三\n1. 确认收到\n（回复数字即可）"
    with uow_factory() as uow:
        assert uow.session.scalar(select(ApiToken.name)) == f"wecom:{CORP_ID}:{AGENT_ID}"


@pytest.mark.parametrize("errcode", [81013, 60111])
async def test_wecom_user_not_found_is_permanent(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient, errcode: int
) -> None:
    wxapi.fail(APP, "Gone", errcode)
    with pytest.raises(PermanentSendError):
        await WeComSender(wx_settings(wxapi), uow_factory, clock, http=http).send(
            "Gone", CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")


async def test_wecom_token_refused_is_refreshed_once(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    sender = WeComSender(wx_settings(wxapi), uow_factory, clock, http=http)
    await sender.send("LiLaoShi", CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    wxapi.expire_tokens()
    await sender.send("LiLaoShi", CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai")
    assert len(wxapi.token_requests("/cgi-bin/gettoken")) == 2 and len(wxapi.delivered(APP)) == 2


# --- late replies and the menu ------------------------------------------------------------------------


async def test_send_text_is_a_customer_service_message_or_an_app_message(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    settings = wx_settings(wxapi)
    await send_text(settings, uow_factory, channel="wechat", account_id=OPENID, text="已记录。", clock=clock, http=http)
    await send_text(settings, uow_factory, channel="wechat", account_id=OPENID, text="谢谢！", clock=clock, http=http)
    await send_text(settings, uow_factory, channel="wecom", account_id="LiLaoShi", text="谈心记录已保存。",
                    clock=clock, http=http)
    assert [b["text"]["content"] for b in wxapi.delivered(CS)] == ["已记录。", "谢谢！"]
    assert [b["text"]["content"] for b in wxapi.delivered(APP)] == ["谈心记录已保存。"]
    assert len(wxapi.token_requests("/cgi-bin/token")) == 1  # the second reply used the stored token
    wxapi.fail(CS, OPENID, 43004)
    with pytest.raises(PermanentSendError):
        await send_text(settings, uow_factory, channel="wechat", account_id=OPENID, text="x", clock=clock, http=http)


async def test_the_custom_menu_is_created_on_both_apps(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    assert await create_menu(wx_settings(wxapi, wechat_menu=True), uow_factory, clock=clock, http=http) == [
        "wechat", "wecom"]
    wechat, wecom = wxapi.calls("/cgi-bin/menu/create")
    assert wecom.query["agentid"] == AGENT_ID
    buttons = wechat.body["button"]
    assert [(b.get("name"), b.get("key")) for b in buttons] == [("每周联系", "checkin"), ("报告", "incident"),
                                                               ("更多", None)]
    assert [(b["name"], b["key"]) for b in buttons[2]["sub_button"]] == [("谈心", "talk"), ("帮助", "help")]


# --- wiring -------------------------------------------------------------------------------------------


async def test_guanai_run_sends_on_wechat_and_wecom_when_configured_and_creates_the_menu(
    wxapi: WeChatApiDouble, database_url: str
) -> None:
    from bot import bootstrap
    from bot.commands.run import serve
    from bot.config import load_settings
    from tests.commands.test_run import FakeScheduler
    from tests.support.botapi_double import BotApiDouble
    from tests.support.fakes import FakeFlows

    botapi = BotApiDouble().start()
    try:
        settings = wx_settings(wxapi, wechat_menu=True, database_url=database_url)
        container = bootstrap.build(load_settings(**{
            **settings.model_dump(), "telegram_token": botapi.token, "telegram_api_url": botapi.api_url}))
        schedulers: list[FakeScheduler] = []

        stop = asyncio.Event()
        started = asyncio.Event()

        def make_scheduler(container, senders):
            schedulers.append(FakeScheduler(container, senders))
            started.set()
            return schedulers[-1]

        running = asyncio.create_task(serve(container, FakeFlows(), make_scheduler=make_scheduler, stop=stop))
        await asyncio.wait_for(started.wait(), 10)
        [scheduler] = schedulers
        assert sorted(scheduler.senders) == ["telegram", "wechat", "wecom"]
        assert isinstance(scheduler.senders["wechat"], WeChatSender)
        assert isinstance(scheduler.senders["wecom"], WeComSender)
        assert len(wxapi.calls("/cgi-bin/menu/create")) == 2
        stop.set()
        assert await running == 0
        container.engine.dispose()
    finally:
        botapi.close()


def test_newer_category_templates_get_their_own_fields_and_20_characters() -> None:
    data = template_data(CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai", datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
                         {"child": "thing1", "time": "time2", "reply": "thing3"}, 20)
    assert set(data) == {"thing1", "time2", "thing3"}
    assert data["thing1"]["value"] == "张三"
    assert all(len(v["value"]) <= 20 for v in data.values())
    assert data["thing3"]["value"].startswith("1. 很好")


def test_template_fields_setting_is_read_from_the_environment(monkeypatch) -> None:
    from bot.config import load_settings

    monkeypatch.setenv("GUANAI_WECHAT_TEMPLATE_FIELDS", '{"child": "thing1", "reply": "thing2"}')
    assert load_settings().wechat_template_fields == {"child": "thing1", "reply": "thing2"}


# --- pacing --------------------------------------------------------------------------------------------


def test_wechat_and_wecom_are_paced_at_their_documented_limits() -> None:
    # WeCom drops, silently, more than 30 a minute or 1,000 an hour to one member: 3.6 s apart keeps both.
    assert WECOM.per_chat_seconds * 1000 >= 3600 and 60 / WECOM.per_chat_seconds <= 30
    assert WECHAT.per_chat_seconds >= 1.0 and 0 < WECHAT.overall_per_second <= 30


async def test_a_grandfathers_messages_wait_their_turn_and_others_do_not_wait(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=10))
    for person, openid in ((ids.grandpa, OPENID), (ids.admin, "o-neighbour")):  # inside the 48 h window
        add_account(uow_factory, person, "wechat", openid, bound=clock.now() - timedelta(days=1),
                    seen=clock.now() - timedelta(hours=1))
    pacer = Pacer(Limits(overall_per_second=50, per_chat_seconds=0.3, per_group_seconds=0))
    sender = WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http, pacer=pacer)
    # The check-in, a reminder and a late reply to one grandfather at once, and one to his neighbour.
    await asyncio.gather(
        sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai"),
        sender.send(OPENID, CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai"),
        send_text(wx_settings(wxapi), uow_factory, channel="wechat", account_id=OPENID, text="已记录。", clock=clock,
                  http=http, pacers={"wechat": pacer}),
        sender.send("o-neighbour", CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai"),
    )
    grandpa = [r.at for r in wxapi.requests if r.path == CS and r.ok and r.body and r.body["touser"] == OPENID]
    neighbour = [r.at for r in wxapi.requests if r.path == CS and r.ok and r.body and r.body["touser"] != OPENID]
    assert len(grandpa) == 3 and len(neighbour) == 1
    assert all(b - a >= 0.3 for a, b in zip(grandpa, grandpa[1:], strict=False))  # one at a time, 0.3 s apart
    assert neighbour[0] < grandpa[1]  # the neighbour did not wait behind the grandfather's turn


async def test_a_wecom_teachers_alerts_are_spaced(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient
) -> None:
    pacer = Pacer(Limits(overall_per_second=50, per_chat_seconds=0.2, per_group_seconds=0))
    sender = WeComSender(wx_settings(wxapi), uow_factory, clock, http=http, pacer=pacer)
    await asyncio.gather(*(sender.send("LiLaoShi", CHECKIN_PROMPT, "zh_Hans", "Asia/Shanghai") for _ in range(3)))
    arrived = [r.at for r in wxapi.requests if r.path == APP and r.ok]
    assert len(arrived) == 3 and all(b - a >= 0.2 for a, b in zip(arrived, arrived[1:], strict=False))


async def test_the_last_seen_time_is_read_off_the_event_loop(
    wxapi: WeChatApiDouble, uow_factory, clock: ManualClock, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow database must not stall every chat's replies while a sender looks up the 48-hour window.
    from bot.services import profile

    threads: list[int] = []
    read = profile.last_seen_at

    def spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return read(*args, **kwargs)

    monkeypatch.setattr(profile, "last_seen_at", spy)
    seen_ago(uow_factory, clock, timedelta(hours=1))
    await WeChatSender(wx_settings(wxapi), uow_factory, clock, http=http).send(OPENID, CHECKIN_PROMPT, "zh_Hans",
                                                                                "Asia/Shanghai")
    assert threads and threading.get_ident() not in threads
    assert len(wxapi.delivered(CS)) == 1
