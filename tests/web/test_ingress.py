"""Ingress as an attacker would try it: oversized bodies on every route, WeChat plain mode (issue 10, item 7)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import bootstrap
from bot.config import Settings
from bot.handlers.wechat.inbound import CallbackAnswer
from bot.handlers.wechat.security import config_from_settings
from bot.store.db import make_engine
from bot.web.app import SECRET_HEADER, create_app
from bot.web.limits import MAX_BODY

SECRET = "s3cret-Token_for-tests"
CHUNK = 16 * 1024


class RecordingCallback:
    """A WeChat callback that only records what reached it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def verify(self, query: dict[str, str]) -> CallbackAnswer:  # pragma: no cover - not used here
        return CallbackAnswer(200, "")

    async def receive(self, query: dict[str, str], body: bytes) -> CallbackAnswer:
        self.bodies.append(body)
        return CallbackAnswer(200, "success")


class Counter:
    """A request body that streams ``total`` bytes without a length, counting what was pulled from it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunk = b"<" * CHUNK
        while self.pulled < self.total:
            self.pulled += len(chunk)
            yield chunk


@pytest.fixture
def app_parts(tmp_path: Path) -> Iterator[tuple[Any, RecordingCallback, list[dict]]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    callback = RecordingCallback()
    updates: list[dict] = []

    async def telegram_update(data: dict) -> None:
        updates.append(data)

    app = create_app(engine, telegram_update=telegram_update, webhook_secret=SECRET,
                     wechat_callbacks={"wechat": callback})
    yield app, callback, updates
    engine.dispose()


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://guanai.test")


@pytest.mark.parametrize("path", ["/wechat/callback", "/telegram/webhook", "/healthz", "/nowhere"])
async def test_a_declared_length_over_64_kib_is_refused_before_any_byte_is_read(path, app_parts) -> None:
    app, callback, updates = app_parts
    body = Counter(512 * 1024 * 1024)
    async with _client(app) as client:
        answer = await client.post(path, content=body, headers={
            "Content-Length": str(512 * 1024 * 1024), SECRET_HEADER: SECRET})
    assert answer.status_code == 413
    assert body.pulled <= CHUNK  # httpx may pull the first chunk before the app answers
    assert callback.bodies == [] and updates == []


@pytest.mark.parametrize("path", ["/wechat/callback", "/telegram/webhook"])
async def test_a_512_mib_streamed_body_is_cut_off_at_64_kib(path, app_parts) -> None:
    app, callback, updates = app_parts
    body = Counter(512 * 1024 * 1024)
    async with _client(app) as client:
        answer = await client.post(path, content=body, headers={SECRET_HEADER: SECRET})
        health = await client.get("/healthz")
    assert answer.status_code == 413 and answer.json() == {"error": "body too large"}
    assert body.pulled <= MAX_BODY + CHUNK  # the rest of the 512 MiB was never read
    assert callback.bodies == [] and updates == []
    assert health.status_code == 200


async def test_bodies_up_to_the_cap_still_arrive(app_parts) -> None:
    app, callback, updates = app_parts
    xml = b"<xml>" + b"a" * (MAX_BODY - 11) + b"</xml>"
    async with _client(app) as client:
        wechat = await client.post("/wechat/callback", content=xml)
        telegram = await client.post("/telegram/webhook", json={"update_id": 7}, headers={SECRET_HEADER: SECRET})
        bad_length = await client.post("/telegram/webhook", content=b"{}", headers={
            "Content-Length": "abc", SECRET_HEADER: SECRET})
    assert wechat.status_code == 200 and callback.bodies == [xml]
    assert telegram.status_code == 200 and updates == [{"update_id": 7}]
    assert bad_length.status_code == 400


def _wechat(**kw: object) -> Settings:
    return Settings(database_url="sqlite://", wechat_app_id="wx0000000000000001", wechat_token="tok",  # type: ignore[arg-type]
                    **kw)


def test_plain_mode_is_refused_unless_allowed_and_warned_about_either_way() -> None:
    refused = _wechat()
    assert config_from_settings(refused, "wechat") is None
    assert not bootstrap.wechat_configured(refused)
    assert "NOT served" in (bootstrap.wechat_mode_warning(refused) or "")

    allowed = _wechat(wechat_allow_plain=True)
    config = config_from_settings(allowed, "wechat")
    assert config is not None and not config.safe_mode
    assert "does not cover the message body" in (bootstrap.wechat_mode_warning(allowed) or "")

    safe = _wechat(wechat_encoding_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
    config = config_from_settings(safe, "wechat")
    assert config is not None and config.safe_mode
    assert bootstrap.wechat_mode_warning(safe) is None


def test_guanai_run_says_why_a_plain_mode_account_is_not_served(monkeypatch, capsys, tmp_path) -> None:
    import argparse

    from bot.commands import run

    served: list[bool] = []

    async def serve(*args, **kwargs) -> int:  # the dashboard alone would serve: record it and stop at once
        served.append(True)
        return 0

    monkeypatch.setattr(run, "serve", serve)
    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'guanai.db'}")
    monkeypatch.setenv("GUANAI_WECHAT_APP_ID", "wx0000000000000001")
    monkeypatch.setenv("GUANAI_WECHAT_TOKEN", "tok")
    monkeypatch.delenv("GUANAI_TELEGRAM_TOKEN", raising=False)
    assert run.cmd_run(argparse.Namespace()) == 2  # a refused plain-mode account is not served, dashboard or not
    assert served == []
    assert "GUANAI_WECHAT_ALLOW_PLAIN" in capsys.readouterr().err
