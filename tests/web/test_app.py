"""The ASGI app: health check and the Telegram webhook (through the real PTB Application)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.handlers.telegram import build_application, telegram_running, update_receiver
from bot.store.db import make_engine
from bot.web.app import SECRET_HEADER, create_app
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows

SECRET = "s3cret-Token_for-tests"
WEBHOOK_URL = "https://guanai.example.org/telegram/webhook"
TEACHER = 8_123_456_789_012


def _client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://guanai.test")


async def test_healthz_answers_200_when_the_database_answers(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with _client(create_app(engine)) as client:
            response = await client.get("/healthz")
    finally:
        engine.dispose()
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    async with _client(create_app(engine)) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.fixture
async def webhook_app(botapi: BotApiDouble, fake_flows: FakeFlows, tmp_path: Path) -> AsyncIterator[object]:
    application = build_application(botapi.token, fake_flows, api_url=botapi.api_url, webhook=True)
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    async with telegram_running(application, webhook_url=WEBHOOK_URL, webhook_secret=SECRET):
        yield create_app(engine, telegram_update=update_receiver(application), webhook_secret=SECRET)
    engine.dispose()


async def test_starting_in_webhook_mode_registers_the_url_with_the_secret(
    botapi: BotApiDouble, webhook_app: object
) -> None:
    assert botapi.webhook_url == WEBHOOK_URL
    assert botapi.webhook_secret == SECRET
    assert botapi.calls_of("getUpdates") == []


async def test_the_webhook_refuses_a_wrong_or_missing_secret(
    botapi: BotApiDouble, fake_flows: FakeFlows, webhook_app: object
) -> None:
    update = botapi.text_update(TEACHER, "/help")
    async with _client(webhook_app) as client:
        wrong = await client.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET + "x"})
        missing = await client.post("/telegram/webhook", json=update)
        non_ascii = await client.post("/telegram/webhook", json=update, headers={SECRET_HEADER: "密钥".encode()})
    assert [wrong.status_code, missing.status_code, non_ascii.status_code] == [403, 403, 403]
    assert fake_flows.inbounds == []


async def test_the_webhook_with_the_right_secret_feeds_the_update_to_the_engine(
    botapi: BotApiDouble, fake_flows: FakeFlows, webhook_app: object
) -> None:
    update = botapi.text_update(TEACHER, "谈心 张三")
    async with _client(webhook_app) as client:
        response = await client.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    [inbound] = await fake_flows.next_inbounds(1)
    assert (inbound.account_id, inbound.text, inbound.update_key) == (
        str(TEACHER),
        "谈心 张三",
        str(update["update_id"]),
    )
    [reply] = await botapi.next_sent(1)
    assert reply.chat_id == TEACHER and reply.text == "You said: 谈心 张三"


@pytest.mark.parametrize(
    "body",
    [b"this is not json", b"\xff\xfe garbage", b"[1, 2, 3]", b'{"hello": "world"}', b'{"update_id": "x"}'],
)
async def test_the_webhook_answers_400_to_a_body_that_is_not_an_update(
    body: bytes, fake_flows: FakeFlows, webhook_app: object
) -> None:
    async with _client(webhook_app) as client:
        response = await client.post(
            "/telegram/webhook", content=body, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        )
        health = await client.get("/healthz")
    assert response.status_code == 400
    assert health.status_code == 200  # still serving
    assert fake_flows.inbounds == []


async def test_without_a_configured_secret_the_webhook_refuses_everything(tmp_path: Path) -> None:
    async def receive(data: dict) -> None:  # pragma: no cover — must not be reached
        raise AssertionError("update accepted without a secret")

    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    async with _client(create_app(engine, telegram_update=receive, webhook_secret="")) as client:
        response = await client.post("/telegram/webhook", json={"update_id": 1}, headers={SECRET_HEADER: ""})
    assert response.status_code == 403
