"""Test side of the WeChat / WeCom callbacks: what Tencent's servers would post, and the app under test."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx
import xmltodict
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.utils import WeChatSigner

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.handlers.wechat.inbound import WeChatCallback
from bot.handlers.wechat.render import render_text
from bot.handlers.wechat.security import CallbackConfig
from bot.store.models import ChatAccount
from bot.web.app import create_app
from tests.support.fakes import GatedFlows

WECHAT_APP_ID = "wx0000000000000001"
WECHAT_TOKEN = "oa-token"
WECHAT_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 chars
WECOM_CORP_ID = "ww0000000000000002"
WECOM_TOKEN = "wecom-token"
WECOM_AES_KEY = "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba"

_nonces = itertools.count(100000)
_msg_ids = itertools.count(500001)


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


class Tencent:
    """Signs (and in safe mode encrypts) pushes for one callback URL, and opens the answers."""

    def __init__(self, config: CallbackConfig, clock: Any) -> None:
        self.config = config
        self.clock = clock
        self.crypto = None
        if config.encoding_aes_key:
            cls = WeComCrypto if config.channel == "wecom" else WeChatCrypto
            self.crypto = cls(config.token, config.encoding_aes_key, config.receive_id)

    def timestamp(self) -> str:
        return str(int(self.clock.now().timestamp()))

    def push(self, xml: str, *, nonce: str | None = None, timestamp: str | None = None) -> tuple[dict, bytes]:
        """Query parameters and body of one push of ``xml`` (fresh nonce unless given)."""
        nonce = nonce or str(next(_nonces))
        timestamp = timestamp or self.timestamp()
        if self.crypto is None:
            return {"signature": sign(self.config.token, timestamp, nonce), "timestamp": timestamp,
                    "nonce": nonce, "openid": "x"}, xml.encode()
        outer = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, timestamp))["xml"]
        body = f"<xml><ToUserName><![CDATA[{self.config.receive_id}]]></ToUserName>" \
               f"<Encrypt><![CDATA[{outer['Encrypt']}]]></Encrypt></xml>"
        query = {"msg_signature": outer["MsgSignature"], "timestamp": timestamp, "nonce": nonce}
        if self.config.channel == "wechat":
            query.update(signature=sign(self.config.token, timestamp, nonce), encrypt_type="aes")
        return query, body.encode()

    def open(self, answer: str) -> dict:
        """The passive reply's fields (decrypted and signature-checked in safe mode)."""
        if self.crypto is None:
            return xmltodict.parse(answer)["xml"]
        outer = xmltodict.parse(answer)["xml"]
        plain = self.crypto.decrypt_message(answer, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return xmltodict.parse(plain)["xml"]


def text_xml(sender: str, content: str, msg_id: int, *, to: str = "gh_school", create_time: int = 1700000000,
             agent: bool = False) -> str:
    agent_id = "<AgentID>1000002</AgentID>" if agent else ""
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>{agent_id}</xml>")


def event_xml(sender: str, event: str, key: str | None = None, *, create_time: int = 1700000000) -> str:
    event_key = f"<EventKey><![CDATA[{key}]]></EventKey>" if key is not None else ""
    return (f"<xml><ToUserName><![CDATA[gh_school]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event>{event_key}</xml>")


@dataclass
class SentText:
    channel: str
    account_id: str
    text: str


@dataclass
class SendRecorder:
    """Records late replies (the ``send_text`` contract of ``bot.handlers.wechat.inbound.WeChatCallback``)."""

    sent: list[SentText] = field(default_factory=list)

    async def __call__(self, *, channel: str, account_id: str, text: str) -> None:
        self.sent.append(SentText(channel, account_id, text))


class TextRecorder:
    """A drain sender for one channel: what each account receives, rendered as WeChat text without buttons."""

    has_buttons = False

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, account_id: str, prompt: Any, locale: str, timezone: str) -> None:
        self.sent.append((account_id, render_text(prompt, locale, timezone)))

    def take(self, account_id: str) -> list[str]:
        """What ``account_id`` received since the last take, oldest first (and forget it)."""
        mine = [text for who, text in self.sent if who == account_id]
        self.sent = [(who, text) for who, text in self.sent if who != account_id]
        return mine


def account_ids(uow_factory: Any, person_id: int) -> list[str]:
    """The person's linked chat account ids, oldest binding first."""
    with uow_factory() as uow:
        return list(uow.session.scalars(select(ChatAccount.account_id).where(ChatAccount.person_id == person_id)
                                        .order_by(ChatAccount.id)))


def configs() -> dict[str, CallbackConfig]:
    return {
        "wechat": CallbackConfig("wechat", WECHAT_TOKEN, WECHAT_AES_KEY, WECHAT_APP_ID),
        "wecom": CallbackConfig("wecom", WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID),
    }


def make_worker(configs: dict[str, CallbackConfig], flows: Any, uow_factory: Any, clock: Any,
                recorder: SendRecorder, *, reply_timeout: float = 30.0,
                renew_every: float | None = None) -> tuple[httpx.AsyncClient, dict]:
    """One app instance (a "worker"): the real Starlette app with the callbacks, and an HTTP client for it.

    ``reply_timeout`` is generous by default: the conversations assert the passive (XML) reply, and on a
    loaded 2-core CI machine a reply once took over the production 4 s and came back ``success`` instead
    (a correct answer, sent later as a customer-service message, but not what those tests look at). The
    tests of that late path pass their own short timeout. ``renew_every``: seconds between renewals of a
    claim being handled (real time; the production 3 s when None).
    """
    settings = Settings(database_url="sqlite://")
    renew = {} if renew_every is None else {"renew_every": renew_every}
    callbacks = {ch: WeChatCallback(cfg, flows, uow_factory, clock, settings, reply_timeout=reply_timeout,
                                    send_text=recorder, **renew) for ch, cfg in configs.items()}
    from sqlalchemy import create_engine

    app = create_app(create_engine("sqlite://"), wechat_callbacks=callbacks)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://guanai.test")
    return client, callbacks


@dataclass
class Worker:
    """One worker's Official Account endpoint, its flows, its late replies and the Tencent that signs for it."""

    engine: GatedFlows
    recorder: SendRecorder
    client: httpx.AsyncClient
    callback: WeChatCallback
    tencent: Tencent

    async def push(self, xml: str) -> httpx.Response:
        """Tencent pushes ``xml`` (signed, encrypted, with a fresh nonce) to this worker."""
        return await self.post(*self.tencent.push(xml))

    async def post(self, query: dict, body: bytes) -> httpx.Response:
        """Tencent posts a signed request (``Tencent.push``) to this worker, e.g. a byte-identical retry."""
        return await self.client.post(f"/{self.callback.channel}/callback", params=query, content=body)

    async def kill(self) -> None:
        """The process is killed mid-message: nothing more of it runs (no reply, no renewal, no release)."""
        tasks = list(self.callback._background)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def wechat_worker(uow_factory: Any, clock: Any, *, reply_timeout: float, held: bool = True,
                  renew_every: float | None = None, channel: str = "wechat") -> Worker:
    """A worker of the signed, encrypted Official Account (or ``wecom``) callback; with ``held``, its flows wait.

    ``held`` closes ``engine.gate``: the message is taken and its handling stays in progress until the test
    sets the gate (a slow attempt).
    """
    cfg = configs()[channel]
    engine, recorder = GatedFlows(), SendRecorder()
    client, callbacks = make_worker({channel: cfg}, engine, uow_factory, clock, recorder,
                                    reply_timeout=reply_timeout, renew_every=renew_every)
    if held:
        engine.gate.clear()
    return Worker(engine, recorder, client, callbacks[channel], Tencent(cfg, clock))


class SignedChat:
    """Tencent's side of the Official Account in front of the real flows: people type, the worker answers.

    Each :meth:`say` is a text message signed and encrypted as Tencent pushes it, sent at the clock's time;
    use ``async with chat:`` around the conversation (the worker's HTTP client).
    """

    def __init__(self, uow_factory: Any, clock: Any, settings: Settings) -> None:
        cfg = configs()["wechat"]
        self.late = SendRecorder()
        self.client, callbacks = make_worker({"wechat": cfg}, FlowRunner(uow_factory, clock, settings), uow_factory,
                                             clock, self.late)
        self.callback: WeChatCallback = callbacks["wechat"]
        self.tencent = Tencent(cfg, clock)
        self.clock = clock

    async def __aenter__(self) -> SignedChat:
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.__aexit__(*exc)

    async def say(self, sender: str, text: str) -> str:
        """``sender`` (an OpenID) types ``text``; returns the passive reply's text, addressed to ``sender``."""
        xml = text_xml(sender, text, next(_msg_ids), create_time=int(self.clock.now().timestamp()))
        query, body = self.tencent.push(xml)
        answer = await self.client.post("/wechat/callback", params=query, content=body)
        assert answer.status_code == 200
        reply = self.tencent.open(answer.text)
        assert reply["ToUserName"] == sender
        return reply["Content"]

    async def says(self, sender: str, text: str) -> list[str]:
        """Like :meth:`say`, then the further messages of the same answer (sent late, by API), in order."""
        first = await self.say(sender, text)
        await self.callback.wait_idle()
        more = [m.text for m in self.late.sent if m.account_id == sender]
        self.late.sent = [m for m in self.late.sent if m.account_id != sender]
        return [first, *more]
