"""`guanai run`: no token, polling and webhook lifecycles end to end, clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bot import bootstrap
from bot.cli import main
from bot.commands.run import serve
from bot.config import load_settings
from bot.handlers.telegram import TelegramSender
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows

TEACHER = 8_123_456_789_012


class FakeScheduler:
    """Records what `serve` does with the scheduler (the real one comes from bot.scheduler)."""

    def __init__(self, container: Any, senders: dict[str, Any]) -> None:
        self.container, self.senders = container, senders
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def shutdown(self, wait: bool = True) -> None:
        self.stopped = True


def test_without_a_channel_run_serves_the_dashboard_and_points_at_the_demo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    served: list[bool] = []

    async def fake_serve(container: Any, flows: Any, **kwargs: Any) -> int:
        served.append(kwargs["with_web"])
        return 0

    monkeypatch.setattr("bot.commands.run.serve", fake_serve)
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setenv("GUANAI_TELEGRAM_TOKEN", "")
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    assert main(["run"]) == 0
    err = capsys.readouterr().err
    assert "GUANAI_TELEGRAM_TOKEN" in err and "guanai demo" in err and "没有配置任何渠道" in err
    assert "http://127.0.0.1:8080/web/" in err and served == [True]

    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "en")
    assert main(["run"]) == 0
    assert capsys.readouterr().err.startswith("No channel is configured")


@pytest.fixture
def containers(botapi: BotApiDouble, database_url: str) -> Iterator[Callable[..., bootstrap.Container]]:
    """Builds containers on the test database with the double's token; their engines are disposed afterwards."""
    built: list[bootstrap.Container] = []

    def build(**settings: Any) -> bootstrap.Container:
        built.append(bootstrap.build(load_settings(
            telegram_token=botapi.token, telegram_api_url=botapi.api_url, database_url=database_url, **settings)))
        return built[-1]

    yield build
    for container in built:
        container.engine.dispose()


async def test_polling_end_to_end_then_a_clean_stop(
    botapi: BotApiDouble, fake_flows: FakeFlows, database_url: str, containers: Callable[..., bootstrap.Container]
) -> None:
    schedulers: list[FakeScheduler] = []

    def make_scheduler(container: Any, senders: dict[str, Any]) -> FakeScheduler:
        schedulers.append(FakeScheduler(container, senders))
        return schedulers[-1]

    stop = asyncio.Event()
    running = asyncio.create_task(
        serve(containers(), fake_flows, make_scheduler=make_scheduler, stop=stop)
    )
    botapi.inject_text(TEACHER, "/help")
    [reply] = await botapi.next_sent(1)
    assert reply.chat_id == TEACHER and reply.text == "You said: /help"
    [scheduler] = schedulers
    assert scheduler.started and isinstance(scheduler.senders["telegram"], TelegramSender)

    stop.set()
    assert await running == 0
    assert scheduler.stopped
    assert botapi.calls_of("setWebhook") == []


async def test_sigterm_stops_the_bot_cleanly(
    botapi: BotApiDouble, fake_flows: FakeFlows, containers: Callable[..., bootstrap.Container]
) -> None:
    running = asyncio.create_task(serve(containers(), fake_flows))
    await asyncio.to_thread(botapi.wait_call, "getUpdates")  # polling has started, handlers are installed
    os.kill(os.getpid(), signal.SIGTERM)
    assert await running == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_serves_the_web_app_and_handles_posted_updates(
    botapi: BotApiDouble, fake_flows: FakeFlows, database_url: str, containers: Callable[..., bootstrap.Container]
) -> None:
    port = _free_port()
    container = containers(
        telegram_webhook_url="https://guanai.example.org/telegram/webhook",
        http_host="127.0.0.1",
        http_port=port,
    )  # no GUANAI_TELEGRAM_WEBHOOK_SECRET: a random one is made for this process
    stop = asyncio.Event()
    running = asyncio.create_task(serve(container, fake_flows, stop=stop))
    try:
        await asyncio.to_thread(botapi.wait_call, "setWebhook")
        secret = botapi.webhook_secret
        assert secret and len(secret) >= 32
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            health = None
            for _ in range(200):  # wait until uvicorn listens
                try:
                    health = await client.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            assert health is not None and health.status_code == 200
            update = botapi.text_update(TEACHER, "/me")
            response = await client.post(
                "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
            assert response.status_code == 200
        [reply] = await botapi.next_sent(1)
        assert reply.text == "You said: /me"
        assert botapi.calls_of("getUpdates") == []
    finally:
        stop.set()
        assert await running == 0


async def test_a_taken_port_ends_webhook_mode_with_exit_code_1(
    botapi: BotApiDouble, fake_flows: FakeFlows, database_url: str, containers: Callable[..., bootstrap.Container]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        container = containers(
            telegram_webhook_url="https://guanai.example.org/telegram/webhook",
            telegram_webhook_secret="fixed-secret",
            http_port=taken.getsockname()[1],
        )
        assert await serve(container, fake_flows) == 1


def test_guanai_run_end_to_end_until_sigterm(
    botapi: BotApiDouble, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    flows = FakeFlows()
    schedulers: list[FakeScheduler] = []
    monkeypatch.setattr(bootstrap, "make_flows", lambda container: flows)
    monkeypatch.setattr(
        bootstrap, "make_scheduler", lambda c, s: schedulers.append(FakeScheduler(c, s)) or schedulers[-1]
    )
    monkeypatch.setenv("GUANAI_TELEGRAM_TOKEN", botapi.token)
    monkeypatch.setenv("GUANAI_TELEGRAM_API_URL", botapi.api_url)
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.delenv("GUANAI_TELEGRAM_WEBHOOK_URL", raising=False)
    seen: list[str] = []

    def user() -> None:
        try:
            botapi.wait_call("getUpdates")
            botapi.inject_text(TEACHER, "/help")
            seen.extend(m.text or "" for m in botapi.wait_sent(1))
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    helper = threading.Thread(target=user)
    helper.start()
    code = main(["run"])  # blocks in this (main) thread until SIGTERM
    helper.join()
    assert code == 0
    assert seen == ["You said: /help"]
    assert schedulers[0].started and schedulers[0].stopped
    assert (tmp_path / "run.db").is_file()  # the database was prepared (migrations applied)
