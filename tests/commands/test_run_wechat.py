"""`guanai run` with only WeChat configured: no Telegram token needed, the callback is served."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx

from bot.bootstrap import build
from bot.commands.run import serve
from bot.config import load_settings
from bot.handlers.wechat.security import config_from_settings
from tests.support.fakes import GatedFlows
from tests.support.wechat_double import WECHAT_AES_KEY, WECHAT_APP_ID, WECHAT_TOKEN, sign


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_wechat_only_deployment_serves_the_callback_handshake(database_url: str) -> None:
    port = _free_port()
    settings = load_settings(database_url=database_url, telegram_token="", wechat_app_id=WECHAT_APP_ID,
                             wechat_app_secret="secret", wechat_token=WECHAT_TOKEN,
                             wechat_encoding_aes_key=WECHAT_AES_KEY, http_host="127.0.0.1",
                             http_port=port, wechat_api_url="http://127.0.0.1:9")
    assert config_from_settings(settings, "wechat") is not None
    container = build(settings)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(container, GatedFlows(), stop=stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):  # until uvicorn listens
                try:
                    await client.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            timestamp, nonce = str(int(time.time())), "run-test-nonce"
            answer = await client.get("/wechat/callback", params={
                "signature": sign(WECHAT_TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                "echostr": "hello-from-tencent"})
            assert answer.status_code == 200 and answer.text == "hello-from-tencent"
            assert (await client.get("/wechat/callback", params={
                "signature": "0" * 40, "timestamp": timestamp, "nonce": "other", "echostr": "x"})).status_code == 403
    finally:
        stop.set()
        assert await running == 0
        container.engine.dispose()


async def test_an_unreachable_telegram_does_not_stop_wechat(database_url: str) -> None:
    port = _free_port()
    settings = load_settings(database_url=database_url, telegram_token="123:abc",
                             telegram_api_url="http://127.0.0.1:9/bot", wechat_app_id=WECHAT_APP_ID,
                             wechat_app_secret="secret", wechat_token=WECHAT_TOKEN,
                             wechat_encoding_aes_key=WECHAT_AES_KEY, http_host="127.0.0.1",
                             http_port=port, wechat_api_url="http://127.0.0.1:9")
    container = build(settings)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(container, GatedFlows(), stop=stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            health = None
            for _ in range(400):  # until uvicorn listens (after Telegram's start-up has failed)
                try:
                    health = await client.get("/healthz")
                    break
                except httpx.ConnectError:
                    if running.done():
                        break
                    await asyncio.sleep(0.05)
            assert health is not None and health.status_code == 200
    finally:
        stop.set()
        assert await running == 0
        container.engine.dispose()
