"""Inbound WeChat Official Account and WeCom callbacks: verify, decrypt, parse, de-duplicate, answer.

One :class:`WeChatCallback` serves one callback URL (``/wechat/callback`` for
the Official Account, ``/wecom/callback`` for the WeCom self-built app). The
web layer (``bot.web.wechat``) hands it the query string and body and sends
back the :class:`CallbackAnswer`.

Security (issue 3, item 1):

* Signatures: see :mod:`bot.handlers.wechat.security` (constant-time compare).
* Plain mode: ``signature`` over token, timestamp, nonce. Safe mode (an
  EncodingAESKey is configured; the Official Account then sends
  ``encrypt_type=aes``, WeCom always): ``msg_signature`` over token,
  timestamp, nonce and the ``Encrypt`` element; the body is AES-256-CBC
  decrypted with wechatpy's ``PrpCrypto`` and its receiver id (app id / corp
  id) must match. With a key configured, plain requests are refused.
* A timestamp more than :data:`MAX_SKEW` (5 minutes) off the injected clock,
  a nonce seen before on another request (``bot.services.callbacks.check_nonce``)
  or a wrong signature → HTTP 403 and nothing is handled; a body that cannot
  be decrypted or parsed → 400. Nothing here raises to the web layer.

Five-second rule (issue 3 item 2, issue 6 item 6): WeChat waits 5 s for an
answer, drops the connection and pushes the very same request again (three
times). The message's key — account, sender OpenID and MsgId, or for events
sender, CreateTime, Event and EventKey — is claimed in its own committed
transaction before the flows run, so two people whose messages carry the same
MsgId are two messages. A byte-identical copy of a request is not a replay:
it goes to the claim like any retry. A retry that finds the message done gets
the reply stored for that same sender (it changes nothing); one that finds
it still being handled gets ``success`` and marks the claim ``reply_later``:
the first attempt's passive reply would go to a connection WeChat has
dropped, so that attempt sends its reply through ``send_text`` instead
(``bot.handlers.wechat.senders.send_text``: a customer-service message /
WeCom app message). The flows run in a thread; when they answer within
``reply_timeout`` (4 s) and no retry came, the answer is a passive reply (XML,
encrypted in safe mode); otherwise ``success`` and the reply goes by API.
Exactly one of the two happens (one guarded UPDATE decides).

Nothing lost (fix6j): a claim left unfinished by an attempt that died is
taken over by a retry after ``bot.services.callbacks.CLAIM_LEASE``; a live
attempt renews it meanwhile (:mod:`bot.handlers.wechat.claim_keeper`), so a
slow one is never taken over and its message never handled twice; when the
flows fail around the database, the claim is released (a retry handles the
message again) and the person is told, in their language, that it was not
handled and to send it again — as a passive reply (WeChat wants ``success``
or a valid reply within 5 s, or shows "该公众号暂时无法提供服务"; a 5xx would
show that too and would not be retried sooner) or, when the connection was
given up, by API.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import xmltodict
from wechatpy import parse_message as parse_wechat_message
from wechatpy.crypto import PrpCrypto as WeChatPrpCrypto
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise import parse_message as parse_wecom_message
from wechatpy.enterprise.crypto import PrpCrypto as WeComPrpCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.enterprise.replies import create_reply as create_wecom_reply
from wechatpy.replies import create_reply as create_wechat_reply

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.enums import Channel
from bot.flows.runner import Flows, Inbound
from bot.handlers.wechat.claim_keeper import ClaimKeeper
from bot.handlers.wechat.incoming import Incoming, to_incoming
from bot.handlers.wechat.render import reply_texts
from bot.handlers.wechat.security import CallbackConfig, signature_ok
from bot.messages.prompt import N_, Prompt
from bot.services import callbacks
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)

MAX_SKEW = 300
"""Seconds a request's timestamp may differ from our clock (issue 3: 5 minutes)."""

MAX_BODY = 64 * 1024
"""Largest callback body accepted, in bytes (WeChat text messages are far smaller)."""

REPLY_TIMEOUT = 4.0
"""Seconds the flows get for a passive reply; WeChat gives up (and retries) after 5."""

SUCCESS = "success"
"""The answer WeChat takes as "received, no passive reply" (an empty body works too)."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids; a person can type some (WeChat passes them on), and expat refuses them."""

NOT_HANDLED = N_("Sorry, your message could not be handled just now. Please send it again in a moment.")
"""What the person is told when handling their message failed (the database erred): never silence."""

SendText = Callable[..., Awaitable[None]]
"""``async send_text(*, channel, account_id, text)``: a late reply, sent as a customer-service message
(WeChat) or an app message (WeCom); ``bot.bootstrap`` binds ``bot.handlers.wechat.senders.send_text``."""


@dataclass(frozen=True)
class CallbackAnswer:
    """What the web layer sends back: HTTP status, body text and media type."""

    status: int
    body: str
    media_type: str = "text/plain"


class Rejected(Exception):
    """A callback request is refused with ``status`` (403 forged/stale/replayed, 400 malformed)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class WeChatCallback:
    """The callback endpoint of one Official Account or WeCom app.

    Args:
        config: token, EncodingAESKey, receiver id.
        flows: the flow runner (``handle(Inbound) -> Reply``, synchronous).
        uow_factory: units of work (claims, nonces, unfollow).
        clock: UTC clock (timestamps are checked against it).
        settings: the default locale and zone.
        reply_timeout: seconds the flows get before the answer is
            ``success`` and the reply goes out later (:data:`REPLY_TIMEOUT`).
        send_text: sends a late reply (:data:`SendText`).
        fetch_media: saves a received image or voice message to the media
            store (``bot.handlers.wechat.media.fetch_media``); None ignores them.
        renew_every: seconds between renewals of a claim being handled (``callbacks.CLAIM_RENEW``).
    """

    def __init__(self, config: CallbackConfig, flows: Flows, uow_factory: UowFactory, clock: Clock,
                 settings: Settings, *, send_text: SendText, reply_timeout: float = REPLY_TIMEOUT,
                 fetch_media: Callable[..., Awaitable[tuple[tuple[str, str], ...]]] | None = None,
                 renew_every: float = callbacks.CLAIM_RENEW.total_seconds()) -> None:
        self.config = config
        self.flows = flows
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self.reply_timeout = reply_timeout
        self._send_text = send_text
        self._fetch_media = fetch_media
        self._background: set[asyncio.Task[Any]] = set()
        self._running: set[str] = set()  # dedupe keys this worker is handling: never taken over by a retry
        self._keeper = ClaimKeeper(uow_factory, clock, config.channel, renew_every)
        self.crypto: Any = None
        if config.safe_mode:
            cls = WeComCrypto if config.channel == Channel.WECOM.value else WeChatCrypto
            self.crypto = cls(config.token, config.encoding_aes_key, config.receive_id)

    @property
    def channel(self) -> str:
        """``wechat`` or ``wecom``."""
        return self.config.channel

    # -- checks -------------------------------------------------------------------------------

    def _check_time(self, timestamp: str | None) -> None:
        try:
            sent = int(timestamp or "")
        except ValueError:
            raise Rejected(403, "timestamp missing") from None
        if abs(self.clock.now().timestamp() - sent) > MAX_SKEW:
            raise Rejected(403, "stale timestamp")

    async def _check_nonce(self, query: Mapping[str, str], body: bytes = b"", *, copies: bool = False) -> None:
        """Refuse a replayed nonce; with ``copies``, a byte-identical copy of a request passes (WeChat's retry)."""
        signed = "\n".join(query.get(k, "") for k in ("timestamp", "signature", "msg_signature", "encrypt_type"))
        request_hash = hashlib.sha256(signed.encode("utf-8") + b"\n" + body).hexdigest()
        status = await asyncio.to_thread(callbacks.check_nonce, self.uow_factory, channel=self.channel,
                                         nonce=query.get("nonce", ""), request_hash=request_hash,
                                         now=self.clock.now())
        if status is callbacks.NonceStatus.REPLAY or (status is callbacks.NonceStatus.COPY and not copies):
            raise Rejected(403, "replayed nonce")

    def _decrypt(self, encrypted: str) -> str:
        cls = WeComPrpCrypto if self.channel == Channel.WECOM.value else WeChatPrpCrypto
        try:
            return cls(self.crypto.key).decrypt(encrypted, self.config.receive_id)
        except Exception as exc:  # bad base64, padding, length or receiver id: all mean "not ours"
            raise Rejected(400, f"cannot decrypt: {type(exc).__name__}") from None

    # -- GET: URL verification ----------------------------------------------------------------

    async def verify(self, query: Mapping[str, str]) -> CallbackAnswer:
        """Answer the URL verification handshake (GET).

        Official Account (plain and safe mode alike): ``signature`` over token,
        timestamp, nonce → the ``echostr`` as given. WeCom: ``msg_signature``
        over token, timestamp, nonce, echostr → the decrypted echostr. Refusals: 403 / 400 with an empty body.
        """
        try:
            return await self._verify(query)
        except Rejected as exc:
            log.warning("%s callback verification refused: %s", self.channel, exc.reason)
            return CallbackAnswer(exc.status, "")

    async def _verify(self, query: Mapping[str, str]) -> CallbackAnswer:
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        echostr = query.get("echostr", "")
        if self.channel == Channel.WECOM.value:
            ok = signature_ok(query.get("msg_signature"), self.config.token, timestamp, nonce, echostr)
        else:
            ok = signature_ok(query.get("signature"), self.config.token, timestamp, nonce)
        if not ok:
            raise Rejected(403, "bad signature")
        self._check_time(timestamp)
        await self._check_nonce(query)
        if self.channel == Channel.WECOM.value:
            return CallbackAnswer(200, self._decrypt(echostr))
        return CallbackAnswer(200, echostr)

    # -- POST: messages -----------------------------------------------------------------------

    async def receive(self, query: Mapping[str, str], body: bytes) -> CallbackAnswer:
        """Handle one pushed message or event (POST) and answer within 5 seconds.

        Returns:
            200 with a passive reply (XML; encrypted in safe mode) or
            ``success``; 403 for a forged, stale or replayed request; 400 for a
            body that cannot be decrypted or parsed.
        """
        try:
            return await self._receive(query, body)
        except Rejected as exc:
            log.warning("%s callback refused: %s", self.channel, exc.reason)
            return CallbackAnswer(exc.status, "")
        except Exception:  # never crash the web app: WeChat would retry, and the person hears nothing
            log.exception("%s callback failed", self.channel)
            return CallbackAnswer(200, SUCCESS)

    def _open(self, query: Mapping[str, str], body: bytes) -> str:
        """Check the signature and timestamp and return the plain message XML (decrypted in safe mode)."""
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if len(body) > MAX_BODY:
            raise Rejected(413, "body too large")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Rejected(400, "body is not UTF-8") from None
        if self.crypto is None:
            if not signature_ok(query.get("signature"), self.config.token, timestamp, nonce):
                raise Rejected(403, "bad signature")
            self._check_time(timestamp)
            return text
        if self.channel == Channel.WECHAT.value and query.get("encrypt_type", "").lower() != "aes":
            raise Rejected(403, "plain request in safe mode")
        try:
            outer = xmltodict.parse(text)["xml"]
            encrypted = outer["Encrypt"]
        except Exception:  # not XML, or no Encrypt element: nothing signed to check
            raise Rejected(400, "no Encrypt element") from None
        if not isinstance(encrypted, str) or not signature_ok(
                query.get("msg_signature"), self.config.token, timestamp, nonce, encrypted):
            raise Rejected(403, "bad signature")
        self._check_time(timestamp)
        return self._decrypt(encrypted)

    async def _receive(self, query: Mapping[str, str], body: bytes) -> CallbackAnswer:
        plain = self._open(query, body)  # signature, then timestamp, then decryption
        await self._check_nonce(query, body, copies=True)
        try:
            parse = parse_wecom_message if self.channel == Channel.WECOM.value else parse_wechat_message
            message = parse(_NOT_XML.sub("", plain))
        except Exception:
            raise Rejected(400, "cannot parse the message") from None
        if message is None:
            raise Rejected(400, "empty message")
        incoming = to_incoming(message)
        if incoming is None:
            return CallbackAnswer(200, SUCCESS)
        claim = await asyncio.to_thread(callbacks.claim, self.uow_factory, channel=self.channel,
                                        key=incoming.dedupe_key, now=self.clock.now(),
                                        take_over=incoming.dedupe_key not in self._running)
        if claim.status != callbacks.ClaimStatus.NEW:
            log.info("%s message %s already claimed (%s)", self.channel, incoming.dedupe_key, claim.status)
            texts = (claim.reply or {}).get("texts") if claim.status == callbacks.ClaimStatus.DONE else None
            return self._passive(message, query, texts[0]) if texts else CallbackAnswer(200, SUCCESS)
        self._running.add(incoming.dedupe_key)
        task = asyncio.create_task(self._run(incoming))
        self._keep(task)
        done, _ = await asyncio.wait({task}, timeout=self.reply_timeout)
        if not done:
            deferred = await asyncio.to_thread(callbacks.defer, self.uow_factory, channel=self.channel,
                                               key=incoming.dedupe_key)
            if deferred:
                log.info("%s message %s: no answer within %.1f s, replying later", self.channel,
                         incoming.dedupe_key, self.reply_timeout)
                return CallbackAnswer(200, SUCCESS)
            await task  # it finished meanwhile, passively: only the last statements were left
        texts, passive = task.result()
        if not passive:  # a retry came first: the reply went (or goes) out by API
            return CallbackAnswer(200, SUCCESS)
        if len(texts) > 1:
            self._keep(asyncio.create_task(self._send_all(incoming.account_id, texts[1:])))
        return self._passive(message, query, texts[0]) if texts else CallbackAnswer(200, SUCCESS)

    async def _run(self, incoming: Incoming) -> tuple[list[str], bool]:
        """Handle the message; ``(texts, passive)``: when not passive, the texts were sent by API here."""
        keeper = self._keeper.keep(incoming.dedupe_key)  # renews the claim's lease until this attempt ends
        self._keep(keeper)
        try:
            try:
                media: tuple[tuple[str, str], ...] = ()
                if incoming.media_id and self._fetch_media is not None:
                    media = await self._fetch_media(channel=self.channel, media_id=incoming.media_id,
                                                    kind=incoming.media_kind, fmt=incoming.media_format)
                texts = await asyncio.to_thread(self._handle, incoming, media)
            except Exception:  # the flows answer their own errors; this is the database failing around them
                log.exception("%s message %s could not be handled", self.channel, incoming.dedupe_key)
                return await self._failed(incoming)
            passive = await asyncio.to_thread(callbacks.finish, self.uow_factory, channel=self.channel,
                                              key=incoming.dedupe_key, reply={"texts": texts}, now=self.clock.now())
            if not passive:
                await self._send_all(incoming.account_id, texts)
            return texts, passive
        finally:
            keeper.cancel()
            self._running.discard(incoming.dedupe_key)

    async def _failed(self, incoming: Incoming) -> tuple[list[str], bool]:
        """Handling failed: release the claim (a retry handles the message again) and say so, never silence.

        The claim is released, not finished: finishing it with no reply made every retry answer ``success``
        for a message nobody handled. The person is asked to send it again, in their language (the school's
        or the default when the database cannot say).
        """
        try:
            passive = await asyncio.to_thread(callbacks.release, self.uow_factory, channel=self.channel,
                                              key=incoming.dedupe_key)
        except Exception:  # the database is down: the claim stays; its lease lets a later retry take it over
            log.exception("%s message %s: claim could not be released", self.channel, incoming.dedupe_key)
            passive = True
        try:
            locale = await asyncio.to_thread(callbacks.account_locale, self.uow_factory, channel=self.channel,
                                             account_id=incoming.account_id)
        except Exception:
            locale = None
        texts = reply_texts([Prompt(NOT_HANDLED)], locale or self.settings.default_locale, self.settings.timezone)
        if not passive:
            await self._send_all(incoming.account_id, texts)
        return texts, passive

    def _handle(self, incoming: Incoming, media: tuple[tuple[str, str], ...] = ()) -> list[str]:
        """Run the flows (in a worker thread) and render their reply as text messages."""
        now = self.clock.now()
        if incoming.unfollow:
            callbacks.mark_unfollowed(self.uow_factory, channel=self.channel, account_id=incoming.account_id, now=now)
            return []
        callbacks.mark_reachable(self.uow_factory, channel=self.channel, account_id=incoming.account_id)
        if incoming.prompt is not None:
            return reply_texts([incoming.prompt], self.settings.default_locale, self.settings.timezone)
        reply = self.flows.handle(Inbound(channel=self.channel, account_id=incoming.account_id,
                                           text=incoming.text, update_key=None, language_code=None, media=media))
        return reply_texts(reply.prompts, reply.locale, reply.timezone)

    async def _send_all(self, account_id: str, texts: list[str]) -> None:
        for text in texts:
            try:
                await self._send_text(channel=self.channel, account_id=account_id, text=text)
            except Exception:
                log.exception("%s: late reply to a callback message could not be sent", self.channel)
                return

    def _keep(self, task: asyncio.Task) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def wait_idle(self) -> None:
        """Wait until every background task (late flow runs, late replies) has finished (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _passive(self, message: Any, query: Mapping[str, str], text: str) -> CallbackAnswer:
        """A passive text reply to ``message``: XML, encrypted (and signed) in safe mode."""
        create = create_wecom_reply if self.channel == Channel.WECOM.value else create_wechat_reply
        xml = create(text, message=message, render=True)
        if self.crypto is not None:
            timestamp = str(int(self.clock.now().timestamp()))
            xml = self.crypto.encrypt_message(xml, query.get("nonce", ""), timestamp)
        return CallbackAnswer(200, xml, "application/xml")
