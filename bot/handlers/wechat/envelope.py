"""The signed envelope of a WeChat Official Account / WeCom callback: check, open, parse, seal (issue 3, item 1).

Split from :mod:`bot.handlers.wechat.inbound`, which claims, runs and answers the message inside; this
module decides whether a request is ours at all and turns its body into a wechatpy message, and a reply
text back into what WeChat accepts.

* Signatures: see :mod:`bot.handlers.wechat.security` (constant-time compare).
* Plain mode: ``signature`` over token, timestamp, nonce. Safe mode (an
  EncodingAESKey is configured; the Official Account then sends
  ``encrypt_type=aes``, WeCom always): ``msg_signature`` over token,
  timestamp, nonce and the ``Encrypt`` element; the body is AES-256-CBC
  decrypted with wechatpy's ``PrpCrypto`` and its receiver id (app id / corp
  id) must match. With a key configured, plain requests are refused.
* A timestamp more than :data:`MAX_SKEW` (5 minutes) off the injected clock,
  a nonce seen before on another request (``bot.services.callbacks.check_nonce``)
  or a wrong signature → :class:`Rejected` 403; a body that cannot be
  decrypted or parsed → 400; one over :data:`MAX_BODY` → 413.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Mapping
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

from bot.domain.clock import Clock
from bot.domain.enums import Channel
from bot.handlers.wechat.security import CallbackConfig, signature_ok
from bot.services import callbacks
from bot.services.ports import UowFactory

MAX_SKEW = 300
"""Seconds a request's timestamp may differ from our clock (issue 3: 5 minutes)."""

MAX_BODY = 64 * 1024
"""Largest callback body accepted, in bytes (WeChat text messages are far smaller)."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids; a person can type some (WeChat passes them on), and expat refuses them."""


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


class Envelope:
    """Checks and opens the requests of one callback URL, and seals its passive replies.

    Args:
        config: token, EncodingAESKey, receiver id.
        uow_factory: units of work (the nonces seen).
        clock: UTC clock (timestamps are checked against it).
    """

    def __init__(self, config: CallbackConfig, uow_factory: UowFactory, clock: Clock) -> None:
        self.config = config
        self.uow_factory = uow_factory
        self.clock = clock
        self.crypto: Any = None
        if config.safe_mode:
            cls = WeComCrypto if config.channel == Channel.WECOM.value else WeChatCrypto
            self.crypto = cls(config.token, config.encoding_aes_key, config.receive_id)

    @property
    def channel(self) -> str:
        """``wechat`` or ``wecom``."""
        return self.config.channel

    def _check_time(self, timestamp: str | None) -> None:
        try:
            sent = int(timestamp or "")
        except ValueError:
            raise Rejected(403, "timestamp missing") from None
        if abs(self.clock.now().timestamp() - sent) > MAX_SKEW:
            raise Rejected(403, "stale timestamp")

    async def check_nonce(self, query: Mapping[str, str], body: bytes = b"", *, copies: bool = False) -> None:
        """Refuse a replayed nonce; with ``copies``, a byte-identical copy of a request passes (WeChat's retry).

        Raises:
            Rejected: 403 for a nonce seen before (on another request, or at all without ``copies``).
        """
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

    async def verify(self, query: Mapping[str, str]) -> CallbackAnswer:
        """The answer to the URL verification handshake (GET).

        Official Account (plain and safe mode alike): ``signature`` over token,
        timestamp, nonce → the ``echostr`` as given. WeCom: ``msg_signature``
        over token, timestamp, nonce, echostr → the decrypted echostr.

        Raises:
            Rejected: 403 for a bad signature, stale timestamp or replayed nonce; 400 for an echostr that
                does not decrypt.
        """
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        echostr = query.get("echostr", "")
        if self.channel == Channel.WECOM.value:
            ok = signature_ok(query.get("msg_signature"), self.config.token, timestamp, nonce, echostr)
        else:
            ok = signature_ok(query.get("signature"), self.config.token, timestamp, nonce)
        if not ok:
            raise Rejected(403, "bad signature")
        self._check_time(timestamp)
        await self.check_nonce(query)
        if self.channel == Channel.WECOM.value:
            return CallbackAnswer(200, self._decrypt(echostr))
        return CallbackAnswer(200, echostr)

    def open(self, query: Mapping[str, str], body: bytes) -> str:
        """Check the signature and timestamp and return the plain message XML (decrypted in safe mode).

        Raises:
            Rejected: 413 for a body over :data:`MAX_BODY`, 400 for one that is not UTF-8 or has no
                ``Encrypt`` element (safe mode), 403 for a bad signature, a stale timestamp or a plain
                request in safe mode.
        """
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

    def parse(self, plain: str) -> Any:
        """The wechatpy message of the plain XML (characters XML forbids dropped).

        Raises:
            Rejected: 400 when it cannot be parsed or is empty.
        """
        try:
            parse = parse_wecom_message if self.channel == Channel.WECOM.value else parse_wechat_message
            message = parse(_NOT_XML.sub("", plain))
        except Exception:
            raise Rejected(400, "cannot parse the message") from None
        if message is None:
            raise Rejected(400, "empty message")
        return message

    def passive(self, message: Any, query: Mapping[str, str], text: str) -> CallbackAnswer:
        """A passive text reply to ``message``: XML, encrypted (and signed) in safe mode."""
        create = create_wecom_reply if self.channel == Channel.WECOM.value else create_wechat_reply
        xml = create(text, message=message, render=True)
        if self.crypto is not None:
            timestamp = str(int(self.clock.now().timestamp()))
            xml = self.crypto.encrypt_message(xml, query.get("nonce", ""), timestamp)
        return CallbackAnswer(200, xml, "application/xml")
