"""The way out to WeChat (Official Account) and WeCom (self-built app): the outbox's senders and late replies.

Both implement :class:`bot.services.ports.Sender`; the composition root
(``bot.bootstrap``) makes them when their settings are present.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

import httpx

from bot.config import Settings
from bot.domain.clock import Clock
from bot.handlers.wechat.api import (
    OUT_OF_QUOTA,
    OUT_OF_WINDOW,
    WECHAT,
    WECOM,
    ApiError,
    TokenError,
    send_app_text,
    send_customer_text,
    send_error,
    wechat_api,
    wecom_api,
)
from bot.handlers.wechat.media import send_media
from bot.handlers.wechat.render import render_text
from bot.handlers.wechat.templates import template_data, template_kind
from bot.messages.prompt import Prompt
from bot.services import profile
from bot.services.api_tokens import TokenStore
from bot.services.pacing import Pacer
from bot.services.ports import MediaStore, PermanentSendError, UowFactory, WaitForPersonError

log = logging.getLogger(__name__)

WAIT_FOR_PERSON = frozenset({OUT_OF_WINDOW, OUT_OF_QUOTA})
"""Customer-service answers that only the person's next message changes: a template may still go."""

SERVICE_WINDOW = timedelta(hours=48)
"""WeChat lets an account send customer-service messages for 48 hours after the person's last message to it
(客服消息接口: "用户发送消息…48小时内"); later, only template messages."""


class WeChatSender:
    """Sends prompts to WeChat users of the Official Account (implements ``bot.services.ports.Sender``).

    Inside the 48-hour window after the person's last message (the account's
    last-seen time, which every inbound message updates) a customer-service
    text message (``POST /cgi-bin/message/custom/send``) carries the whole
    prompt with numbered choices. Outside it, or when WeChat answers 45015
    (window closed) or 45047 (the person's customer-service quota is used up),
    one template message (``POST /cgi-bin/message/template/send``) with the
    template configured for the prompt's kind (:func:`template_kind`, data
    :func:`template_data`); the person's reply "1" reopens the window and
    answers the question (the drain records the choices). No template for the
    kind → :class:`WaitForPersonError`: the message can go once the person
    writes again (the outbox parks a non-urgent row until then).

    Args:
        settings: ``wechat_*`` settings.
        uow_factory: the shared database (token store, last-seen times).
        clock: UTC clock.
        http: an ``httpx.AsyncClient`` to use (tests: the API double); default: own client.
        media: the media store: a prompt's photos (a letter, a reply) go first as
            image messages, inside the window only (a template carries text).
        pacer: WeChat's pacer (``bot.services.pacing.WECHAT``), shared with the late replies;
            every call to the person (media, text, template) waits for its turn.

    Attributes:
        channel: ``"wechat"``; has_buttons: False (choices are numbered replies).
    """

    channel = WECHAT
    has_buttons = False

    def __init__(self, settings: Settings, uow_factory: UowFactory, clock: Clock,
                 *, http: httpx.AsyncClient | None = None, media: MediaStore | None = None,
                 pacer: Pacer | None = None) -> None:
        self.settings = settings
        self.uow_factory = uow_factory
        self.clock = clock
        self.media = media
        self.api = wechat_api(settings, TokenStore(uow_factory, clock), http, pacer)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.api.aclose()

    def _template_id(self, prompt: Prompt) -> str | None:
        for kind in template_kind(prompt):
            template_id: str = getattr(self.settings, f"wechat_template_{kind}", "")
            if template_id:
                return template_id
        return None

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` to the OpenID ``account_id``.

        The last-seen time is read in a worker thread: the event loop carries every chat's replies.

        Raises:
            TransientSendError: network error, rate limit (``retry_after`` 60 s,
                45009 daily quota 1 h), token trouble, an unknown errcode.
            PermanentSendError: not following (43004), invalid OpenID (40003).
            WaitForPersonError: outside the window (or 45047) with no template for
                this kind of message: it can go once the person writes (the account stays reachable).
        """
        last_seen = await profile.last_seen_at_off_loop(self.uow_factory, channel=WECHAT, account_id=account_id)
        if last_seen is not None and self.clock.now() - last_seen < SERVICE_WINDOW:
            try:
                if prompt.media and self.media is not None:
                    await send_media(self.api, self.media, prompt.media, lambda kind, media_id: self.api.call(
                        "/cgi-bin/message/custom/send",
                        {"touser": account_id, "msgtype": kind, kind: {"media_id": media_id}}))
                await send_customer_text(self.api, account_id, render_text(prompt, locale, timezone))
                return
            except ApiError as exc:
                if exc.errcode not in WAIT_FOR_PERSON:
                    raise send_error(WECHAT, exc) from exc
                log.info("wechat: no customer-service message to an account now (%s); trying a template", exc.errcode)
            except (TokenError, httpx.HTTPError) as exc:
                raise send_error(WECHAT, exc) from exc
        template_id = self._template_id(prompt)
        if template_id is None:
            # This message cannot go now, but the account is fine: a check-in or alert with a
            # template still can, and this one can once the person writes.
            raise WaitForPersonError("wechat: outside the 48-hour window and no template for this message")
        body = {"touser": account_id, "template_id": template_id,
                "data": template_data(prompt, locale, timezone, self.clock.now(),
                                      self.settings.wechat_template_fields or None,
                                      self.settings.wechat_template_value_chars)}
        try:
            await self.api.call("/cgi-bin/message/template/send", body)
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            if isinstance(exc, ApiError) and exc.errcode == OUT_OF_WINDOW:
                raise PermanentSendError(f"wechat: template refused {exc.errcode}") from exc
            raise send_error(WECHAT, exc) from exc


class WeComSender:
    """Sends prompts to staff as WeCom app messages (``POST /cgi-bin/message/send``, text).

    Args:
        settings: ``wecom_*`` settings.
        uow_factory: the shared database (token store).
        clock: UTC clock.
        http: an ``httpx.AsyncClient`` to use; default: own client.
        pacer: WeCom's pacer (``bot.services.pacing.WECOM``: one member's messages 3.6 s apart).

    Attributes:
        channel: ``"wecom"``; has_buttons: False.
    """

    channel = WECOM
    has_buttons = False

    def __init__(self, settings: Settings, uow_factory: UowFactory, clock: Clock,
                 *, http: httpx.AsyncClient | None = None, media: MediaStore | None = None,
                 pacer: Pacer | None = None) -> None:
        self.settings = settings
        self.media = media
        self.api = wecom_api(settings, TokenStore(uow_factory, clock), http, pacer)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.api.aclose()

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` to the WeCom UserID ``account_id``.

        Raises:
            TransientSendError: network error, rate limit, token trouble, unknown errcode.
            PermanentSendError: user unknown or outside the app's visible range
                (81013, 60111, or ``invaliduser`` naming them).
        """
        agent = self.settings.wecom_agent_id
        try:
            if prompt.media and self.media is not None:
                await send_media(self.api, self.media, prompt.media, lambda kind, media_id: self.api.call(
                    "/cgi-bin/message/send", {"touser": account_id, "msgtype": kind, kind: {"media_id": media_id},
                                              "agentid": int(agent) if agent.isdigit() else agent}))
            await send_app_text(self.api, agent, account_id, render_text(prompt, locale, timezone))
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            raise send_error(WECOM, exc) from exc


async def send_text(settings: Settings, uow_factory: UowFactory, *, channel: str, account_id: str,
                    text: str, clock: Clock, http: httpx.AsyncClient | None = None,
                    pacers: Mapping[str, Pacer] | None = None) -> None:
    """Send an already rendered late reply of the inbound side; tokens are shared with the senders.

    A customer-service message on ``"wechat"``, an app message on ``"wecom"``.

    Args:
        settings: the ``wechat_*`` / ``wecom_*`` settings.
        uow_factory: the shared database (token store).
        channel: ``"wechat"`` or ``"wecom"``.
        account_id: OpenID / UserID.
        text: the reply (split at 2048 bytes when longer).
        clock: UTC clock for token expiry.
        http: an ``httpx.AsyncClient``; default: a client for this call.
        pacers: channel → the pacer the channel's sender uses (a late reply takes its turn too).

    Raises:
        ValueError: another channel.
        TransientSendError, PermanentSendError: as the senders.
    """
    tokens = TokenStore(uow_factory, clock)
    pacer = (pacers or {}).get(channel)
    if channel == WECHAT:
        api = wechat_api(settings, tokens, http, pacer)
    elif channel == WECOM:
        api = wecom_api(settings, tokens, http, pacer)
    else:
        raise ValueError(f"send_text: not a WeChat channel: {channel!r}")
    try:
        if channel == WECHAT:
            await send_customer_text(api, account_id, text)
        else:
            await send_app_text(api, settings.wecom_agent_id, account_id, text)
    except (ApiError, TokenError, httpx.HTTPError) as exc:
        raise send_error(channel, exc) from exc
    finally:
        await api.aclose()
