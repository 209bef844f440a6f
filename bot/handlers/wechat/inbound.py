"""Inbound WeChat Official Account and WeCom callbacks: claim, run the flows, answer.

One :class:`WeChatCallback` serves one callback URL (``/wechat/callback`` for
the Official Account, ``/wecom/callback`` for the WeCom self-built app). The
web layer (``bot.web.wechat``) hands it the query string and body and sends
back the :class:`CallbackAnswer`. Whether a request is ours — signature,
timestamp, nonce, decryption — and the passive reply's XML are
:mod:`bot.handlers.wechat.envelope` (issue 3, item 1): a forged, stale or
replayed request → HTTP 403 and nothing is handled; a body that cannot be
decrypted or parsed → 400. Nothing here raises to the web layer.

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
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.config import Settings
from bot.domain.clock import Clock
from bot.flows.runner import Flows, Inbound
from bot.handlers.wechat.claim_keeper import ClaimKeeper
from bot.handlers.wechat.envelope import CallbackAnswer, Envelope, Rejected
from bot.handlers.wechat.incoming import Incoming, to_incoming
from bot.handlers.wechat.render import reply_texts
from bot.handlers.wechat.security import CallbackConfig
from bot.messages.prompt import N_, Prompt
from bot.services import callbacks
from bot.services.ports import UowFactory

__all__ = ["REPLY_TIMEOUT", "SUCCESS", "CallbackAnswer", "SendText", "WeChatCallback"]

log = logging.getLogger(__name__)

REPLY_TIMEOUT = 4.0
"""Seconds the flows get for a passive reply; WeChat gives up (and retries) after 5."""

SUCCESS = "success"
"""The answer WeChat takes as "received, no passive reply" (an empty body works too)."""

NOT_HANDLED = N_("Sorry, your message could not be handled just now. Please send it again in a moment.")
"""What the person is told when handling their message failed (the database erred): never silence."""

SendText = Callable[..., Awaitable[None]]
"""``async send_text(*, channel, account_id, text)``: a late reply, sent as a customer-service message
(WeChat) or an app message (WeCom); ``bot.bootstrap`` binds ``bot.handlers.wechat.senders.send_text``."""


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
        self.envelope = Envelope(config, uow_factory, clock)

    @property
    def channel(self) -> str:
        """``wechat`` or ``wecom``."""
        return self.config.channel

    # -- GET: URL verification ----------------------------------------------------------------

    async def verify(self, query: Mapping[str, str]) -> CallbackAnswer:
        """Answer the URL verification handshake (GET).

        Official Account (plain and safe mode alike): ``signature`` over token,
        timestamp, nonce → the ``echostr`` as given. WeCom: ``msg_signature``
        over token, timestamp, nonce, echostr → the decrypted echostr. Refusals: 403 / 400 with an empty body.
        """
        try:
            return await self.envelope.verify(query)
        except Rejected as exc:
            log.warning("%s callback verification refused: %s", self.channel, exc.reason)
            return CallbackAnswer(exc.status, "")

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

    async def _receive(self, query: Mapping[str, str], body: bytes) -> CallbackAnswer:
        plain = self.envelope.open(query, body)  # signature, then timestamp, then decryption
        await self.envelope.check_nonce(query, body, copies=True)
        message = self.envelope.parse(plain)
        incoming = to_incoming(message)
        if incoming is None:
            return CallbackAnswer(200, SUCCESS)
        claim = await asyncio.to_thread(callbacks.claim, self.uow_factory, channel=self.channel,
                                        key=incoming.dedupe_key, now=self.clock.now(),
                                        take_over=incoming.dedupe_key not in self._running)
        if claim.status != callbacks.ClaimStatus.NEW:
            log.info("%s message %s already claimed (%s)", self.channel, incoming.dedupe_key, claim.status)
            texts = (claim.reply or {}).get("texts") if claim.status == callbacks.ClaimStatus.DONE else None
            return self.envelope.passive(message, query, texts[0]) if texts else CallbackAnswer(200, SUCCESS)
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
        return self.envelope.passive(message, query, texts[0]) if texts else CallbackAnswer(200, SUCCESS)

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
