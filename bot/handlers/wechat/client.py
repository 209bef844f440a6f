"""The way out to WeChat (Official Account) and WeCom (self-built app): senders, late replies, menu.

HTTP goes through ``httpx.AsyncClient`` against the configured API base URLs
(``GUANAI_WECHAT_API_URL``, ``GUANAI_WECOM_API_URL``) — for the access-token
requests too. wechatpy 1.8's clients are synchronous and fetch the token from
a fixed host whatever ``API_BASE_URL`` says, so they would block the event
loop and bypass a proxy; the calls used here are four small JSON requests, so
they are made directly (wechatpy stays the inbound side's tool for signatures,
crypto and XML). Tokens are shared by every worker through the database
(:mod:`bot.handlers.wechat.tokens`).

Error codes (WeChat 全局返回码, WeCom 全局错误码) and what the outbox sees:

=====================  ==========================================================
40001, 40014, 41001,   the token was refused: refresh it once (shared), retry the
42001                  call once; refused again → transient
45015                  WeChat: outside the 48 h customer-service window → one
                       template message instead, else permanent
43004, 43019           WeChat: the person does not follow / blocked the account → permanent
40003, 40036, 40037    WeChat: invalid OpenID / template id → permanent
81013, 60111, 60011    WeCom: user unknown / not in the app's visible range → permanent
                       (also a send answered with ``invaliduser`` naming the user)
45009, 45047, 45033,   rate limits → transient with ``retry_after`` (60 s;
-1                     45009 is a daily quota: 1 h)
network, 5xx, others   transient (the drain backs off, capped at 15 min)
=====================  ==========================================================
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import select

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.flows.prompt import N_, Prompt
from bot.handlers.wechat.render import render_text, split_text
from bot.handlers.wechat.tokens import TokenError, TokenStore
from bot.i18n import format_when, gettext, render
from bot.services.ports import MessageRejectedError, PermanentSendError, Sender, TransientSendError
from bot.store.models import ChatAccount
from bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)


WECHAT = "wechat"
WECOM = "wecom"
# WeChat lets an account send customer-service messages for 48 hours after the person's
# last message to it (客服消息接口: "用户发送消息…48小时内"); later, only template messages.
SERVICE_WINDOW = timedelta(hours=48)
# Text messages longer than this (bytes, UTF-8) are cut by WeCom ("最长不超过2048个字节");
# we split both platforms' texts there rather than lose the end.
TEXT_LIMIT_BYTES = 2048
TEMPLATE_VALUE_CHARS = 200
HTTP_TIMEOUT = httpx.Timeout(10.0)

TOKEN_ERRORS = frozenset({40001, 40014, 41001, 42001})
OUT_OF_WINDOW = 45015
PERMANENT_ERRORS = frozenset({43004, 43019, 40003, 40036, 40037, 81013, 60111, 60011})
RATE_LIMITS = {45009: 3600.0, 45047: 60.0, 45033: 60.0, -1: 60.0}

# Template kinds and the prompts that use them. Reminders are recognised by message id
# (tests/test_wechat_send.py checks these against the services' prompts); incident and
# check-in prompts by their choice payloads ("ack:" / "close:", "ci:").
CHECKIN_REMINDER = "A gentle reminder: how is {child} this week? One tap is enough."
INCIDENT_REMINDER = ("Reminder: the incident about {child} ({class_name}), {kind}, {severity}, "
                     "is not acknowledged yet. Please acknowledge by {due_by}.")
REMINDER_MESSAGE_IDS = frozenset({CHECKIN_REMINDER, INCIDENT_REMINDER})

MENU_TALK = N_("Talk")
MENU_INCIDENT = N_("Report")
MENU_CHECKIN = N_("Weekly check-in")
MENU_HELP = N_("Help")
MENU_MORE = N_("More")


class ApiError(Exception):
    """The platform answered with a non-zero ``errcode``."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


# --- rendering ------------------------------------------------------------------------------------

def template_kind(prompt: Prompt) -> tuple[str, ...]:
    """Which configured template(s) may carry ``prompt`` outside the 48 h window, best first.

    ``("reminder", "incident")`` for an incident reminder, ``("reminder",
    "checkin")`` for a check-in reminder, ``("incident",)`` for a prompt with an
    acknowledge/close choice, ``("checkin",)`` for a check-in question, else ``()``.
    """
    payloads = [c.payload for c in prompt.choices]
    if any(p.startswith(("ack:", "close:")) for p in payloads):
        base: tuple[str, ...] = ("incident",)
    elif any(p.startswith("ci:") for p in payloads):
        base = ("checkin",)
    else:
        base = ()
    return (("reminder",) + base) if prompt.message_id in REMINDER_MESSAGE_IDS else base


def _value(text: str, limit: int = TEMPLATE_VALUE_CHARS) -> dict[str, str]:
    text = " ".join(text.split())
    return {"value": text if len(text) <= limit else text[: limit - 1] + "…"}


# Which template field carries which part of a message. The default fits the classic
# first / keyword1–3 / remark templates; a school using the newer category templates
# (thing1, time2 …, 20 characters each) maps the parts with GUANAI_WECHAT_TEMPLATE_FIELDS.
CLASSIC_FIELDS = {"title": "first", "child": "keyword1", "time": "keyword2", "detail": "keyword3",
                  "reply": "remark"}


def template_data(prompt: Prompt, locale: str, timezone: str, now: datetime,
                  fields: Mapping[str, str] | None = None,
                  limit: int = TEMPLATE_VALUE_CHARS) -> dict[str, dict[str, str]]:
    """The template message's ``data``.

    The parts of a message — ``title`` (its first line), ``child`` (the
    child's name, ``—`` when none), ``time`` (sending time in the school's
    zone), ``detail`` (the rest of the message) and ``reply`` (the numbered
    choices and the reply hint) — go to the template fields named by
    ``fields`` (default :data:`CLASSIC_FIELDS`; a part mapped to no field is
    left out). Values are single-line, at most ``limit`` characters (cut with
    ``…``; WeChat's newer templates allow 20).
    """
    fields = dict(fields or CLASSIC_FIELDS)
    rendered = render(prompt, locale, timezone)
    first, _, rest = rendered.text.partition("\n")
    child = prompt.params.get("child")
    child_name = child.get("v") if isinstance(child, dict) else child
    full = render_text(prompt, locale, timezone)
    reply = full[len(rendered.text):].strip() if rendered.choices else ""
    parts = {
        "title": first,
        "child": str(child_name) if child_name else "—",
        "time": format_when(now, locale, timezone),
        "detail": rest or first,
        "reply": reply,
    }
    return {key: _value(parts[part], limit) for part, key in fields.items() if part in parts and key}


# --- the HTTP API with a shared token -------------------------------------------------------------

class _Api:
    """One platform's JSON API: ``?access_token=`` calls with the shared token, refreshed once on 40001/42001."""

    def __init__(self, *, base_url: str, token_path: str, token_params: dict[str, str], token_name: str,
                 tokens: TokenStore, http: httpx.AsyncClient | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_path = token_path
        self.token_params = token_params
        self.token_name = token_name
        self.tokens = tokens
        self._http = http
        self._own_http = http is None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=HTTP_TIMEOUT)
        return self._http

    async def aclose(self) -> None:
        if self._own_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _fetch_token(self) -> tuple[str, float]:
        response = await self.http.get(self.base_url + self.token_path, params=self.token_params)
        data = _json(response)
        token = data.get("access_token")
        if not token:
            errcode = data.get("errcode")
            raise TokenError(f"{self.token_name}: no access token (errcode {errcode})", errcode)
        return str(token), float(data.get("expires_in") or 7200)

    async def _post(self, path: str, token: str, body: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        response = await self.http.post(self.base_url + path, params={"access_token": token, **params}, json=body)
        return _json(response)

    async def call(self, path: str, body: dict[str, Any], params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """POST ``body`` as JSON to ``path``; returns the answer when ``errcode`` is 0.

        Raises:
            ApiError: a non-zero ``errcode`` (after one token refresh for 40001/42001/…).
            TokenError: no token could be fetched.
            httpx.HTTPError: network failure or an unreadable answer.
        """
        params = params or {}
        token = await self.tokens.get(self.token_name, self._fetch_token)
        data = await self._post(path, token, body, params)
        if data.get("errcode") in TOKEN_ERRORS:
            log.info("%s: token refused (%s), refreshing once", self.token_name, data.get("errcode"))
            token = await self.tokens.get(self.token_name, self._fetch_token, stale=token)
            data = await self._post(path, token, body, params)
        errcode = int(data.get("errcode") or 0)
        if errcode:
            raise ApiError(errcode, str(data.get("errmsg", "")))
        return data


def _json(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request, response=response)
    try:
        data = response.json()
    except ValueError as exc:
        raise httpx.DecodingError("not JSON", request=response.request) from exc
    if not isinstance(data, dict):
        raise httpx.DecodingError("not a JSON object", request=response.request)
    return data


def wechat_api(settings: Settings, tokens: TokenStore, http: httpx.AsyncClient | None = None) -> _Api:
    """The Official Account API (``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=``)."""
    return _Api(base_url=settings.wechat_api_url, token_path="/cgi-bin/token",
                token_params={"grant_type": "client_credential", "appid": settings.wechat_app_id,
                              "secret": settings.wechat_app_secret},
                token_name=f"wechat:{settings.wechat_app_id}", tokens=tokens, http=http)


def wecom_api(settings: Settings, tokens: TokenStore, http: httpx.AsyncClient | None = None) -> _Api:
    """The WeCom app API (``GET /cgi-bin/gettoken?corpid=&corpsecret=``; one token per app secret)."""
    return _Api(base_url=settings.wecom_api_url, token_path="/cgi-bin/gettoken",
                token_params={"corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret},
                token_name=f"wecom:{settings.wecom_corp_id}:{settings.wecom_agent_id}", tokens=tokens, http=http)


def _send_error(channel: str, exc: Exception) -> Exception:
    """Map an API, token or network failure to what the outbox understands."""
    if isinstance(exc, ApiError):
        if exc.errcode in PERMANENT_ERRORS:
            return PermanentSendError(f"{channel}: {exc.errcode} {exc.errmsg}")
        if exc.errcode in RATE_LIMITS:
            return TransientSendError(f"{channel}: rate limit {exc.errcode}", retry_after=RATE_LIMITS[exc.errcode])
        return TransientSendError(f"{channel}: errcode {exc.errcode}")
    if isinstance(exc, TokenError):
        # Not the recipient's fault (wrong secret, IP allow-list): keep the message, tell the operator.
        log.error("%s: cannot get an access token (errcode %s); check the app id/secret and IP allow-list",
                  channel, exc.errcode)
        return TransientSendError(f"{channel}: no access token", retry_after=RATE_LIMITS[45009]
                                  if exc.errcode == 45009 else None)
    return TransientSendError(f"{channel}: network error {type(exc).__name__}")


# --- senders --------------------------------------------------------------------------------------

class WeChatSender:
    """Sends prompts to WeChat users of the Official Account (implements ``bot.services.ports.Sender``).

    Inside the 48-hour window after the person's last message (the account's
    ``ChatAccount.last_seen_at``, which every inbound message updates) a
    customer-service text message (``POST /cgi-bin/message/custom/send``)
    carries the whole prompt with numbered choices. Outside it, or when
    WeChat answers 45015, one template message (``POST
    /cgi-bin/message/template/send``) with the template configured for the
    prompt's kind (:func:`template_kind`, data :func:`template_data`); the
    person's reply "1" reopens the window and answers the question (the drain
    records the choices). No template for the kind → :class:`MessageRejectedError`.

    Args:
        settings: ``wechat_*`` settings.
        uow_factory: the shared database (token store, last-seen times).
        clock: UTC clock.
        http: an ``httpx.AsyncClient`` to use (tests: the API double); default: own client.

    Attributes:
        channel: ``"wechat"``; has_buttons: False (choices are numbered replies).
    """

    channel = WECHAT
    has_buttons = False

    def __init__(self, settings: Settings, uow_factory: Callable[[], UnitOfWork], clock: Clock,
                 *, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.uow_factory = uow_factory
        self.clock = clock
        self.api = wechat_api(settings, TokenStore(uow_factory, clock), http)

    async def aclose(self) -> None:
        await self.api.aclose()

    def _last_seen(self, account_id: str) -> datetime | None:
        with self.uow_factory() as uow:
            return uow.session.scalar(select(ChatAccount.last_seen_at).where(
                ChatAccount.channel == WECHAT, ChatAccount.account_id == account_id))

    def _template_id(self, prompt: Prompt) -> str | None:
        for kind in template_kind(prompt):
            template_id = getattr(self.settings, f"wechat_template_{kind}", "")
            if template_id:
                return template_id
        return None

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` to the OpenID ``account_id``.

        Raises:
            TransientSendError: network error, rate limit (``retry_after`` 60 s,
                45009 daily quota 1 h), token trouble, an unknown errcode.
            PermanentSendError: not following (43004), invalid OpenID (40003).
            MessageRejectedError: outside the window with no template for this
                kind of message (the account stays reachable for others).
        """
        last_seen = self._last_seen(account_id)
        if last_seen is not None and self.clock.now() - last_seen < SERVICE_WINDOW:
            try:
                await send_customer_text(self.api, account_id, render_text(prompt, locale, timezone))
                return
            except ApiError as exc:
                if exc.errcode != OUT_OF_WINDOW:
                    raise _send_error(WECHAT, exc) from exc
                log.info("wechat: outside the service window for an account; trying a template")
            except (TokenError, httpx.HTTPError) as exc:
                raise _send_error(WECHAT, exc) from exc
        template_id = self._template_id(prompt)
        if template_id is None:
            # This message cannot go now, but the account is fine: a check-in or alert with a
            # template still can, so only this message fails.
            raise MessageRejectedError("wechat: outside 48h window and no template for this message")
        body = {"touser": account_id, "template_id": template_id,
                "data": template_data(prompt, locale, timezone, self.clock.now(),
                                      self.settings.wechat_template_fields or None,
                                      self.settings.wechat_template_value_chars)}
        try:
            await self.api.call("/cgi-bin/message/template/send", body)
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            if isinstance(exc, ApiError) and exc.errcode == OUT_OF_WINDOW:
                raise PermanentSendError(f"wechat: template refused {exc.errcode}") from exc
            raise _send_error(WECHAT, exc) from exc


class WeComSender:
    """Sends prompts to staff as WeCom app messages (``POST /cgi-bin/message/send``, text).

    Args:
        settings: ``wecom_*`` settings.
        uow_factory: the shared database (token store).
        clock: UTC clock.
        http: an ``httpx.AsyncClient`` to use; default: own client.

    Attributes:
        channel: ``"wecom"``; has_buttons: False.
    """

    channel = WECOM
    has_buttons = False

    def __init__(self, settings: Settings, uow_factory: Callable[[], UnitOfWork], clock: Clock,
                 *, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.api = wecom_api(settings, TokenStore(uow_factory, clock), http)

    async def aclose(self) -> None:
        await self.api.aclose()

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        """Send ``prompt`` to the WeCom UserID ``account_id``.

        Raises:
            TransientSendError: network error, rate limit, token trouble, unknown errcode.
            PermanentSendError: user unknown or outside the app's visible range
                (81013, 60111, or ``invaliduser`` naming them).
        """
        try:
            await send_app_text(self.api, self.settings.wecom_agent_id, account_id,
                                render_text(prompt, locale, timezone))
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            raise _send_error(WECOM, exc) from exc


async def send_customer_text(api: _Api, openid: str, text: str) -> None:
    """Customer-service text message(s) to one OpenID, cut at :data:`TEXT_LIMIT_BYTES`.

    Raises:
        ApiError, TokenError, httpx.HTTPError: as :meth:`_Api.call`.
    """
    for part in split_text(text):
        await api.call("/cgi-bin/message/custom/send",
                       {"touser": openid, "msgtype": "text", "text": {"content": part}})


async def send_app_text(api: _Api, agent_id: str, userid: str, text: str) -> None:
    """WeCom app text message(s) to one UserID.

    Raises:
        ApiError: as :meth:`_Api.call`; also 81013 when WeCom accepted the call
            but listed the user as ``invaliduser`` (not found / not visible to the app).
    """
    for part in split_text(text):
        data = await api.call("/cgi-bin/message/send", {
            "touser": userid, "msgtype": "text", "agentid": int(agent_id) if agent_id.isdigit() else agent_id,
            "text": {"content": part},
        })
        invalid = str(data.get("invaliduser") or "")
        if userid in invalid.split("|"):
            raise ApiError(81013, "invaliduser")


async def send_text(settings: Settings, uow_factory: Callable[[], UnitOfWork], *, channel: str, account_id: str,
                    text: str, clock: Clock | None = None, http: httpx.AsyncClient | None = None) -> None:
    """Send already rendered ``text`` (a late reply of the inbound side): customer-service message
    on ``"wechat"``, app message on ``"wecom"``; tokens shared with the senders.

    Args:
        channel: ``"wechat"`` or ``"wecom"``.
        account_id: OpenID / UserID.
        text: the reply (split at 2048 bytes when longer).
        clock: UTC clock for token expiry (default: system clock).
        http: an ``httpx.AsyncClient``; default: a client for this call.

    Raises:
        ValueError: another channel.
        TransientSendError, PermanentSendError: as the senders.
    """
    tokens = TokenStore(uow_factory, clock or SystemClock())
    if channel == WECHAT:
        api = wechat_api(settings, tokens, http)
    elif channel == WECOM:
        api = wecom_api(settings, tokens, http)
    else:
        raise ValueError(f"send_text: not a WeChat channel: {channel!r}")
    try:
        if channel == WECHAT:
            await send_customer_text(api, account_id, text)
        else:
            await send_app_text(api, settings.wecom_agent_id, account_id, text)
    except (ApiError, TokenError, httpx.HTTPError) as exc:
        raise _send_error(channel, exc) from exc
    finally:
        await api.aclose()


# --- menu and wiring ------------------------------------------------------------------------------

def menu_json(locale: str) -> dict[str, Any]:
    """The custom menu: 每周联系 (``checkin``), 报告 (``incident``), 更多 → 谈心 (``talk``), 帮助 (``help``).

    WeChat allows 3 top-level buttons (up to 5 under each), hence "More".
    Click keys are what the inbound side receives as ``EventKey``.
    """
    def click(label: str, key: str) -> dict[str, str]:
        return {"type": "click", "name": gettext(locale, label), "key": key}

    return {"button": [
        click(MENU_CHECKIN, "checkin"),
        click(MENU_INCIDENT, "incident"),
        {"name": gettext(locale, MENU_MORE), "sub_button": [click(MENU_TALK, "talk"), click(MENU_HELP, "help")]},
    ]}


async def create_menu(settings: Settings, uow_factory: Callable[[], UnitOfWork], *, clock: Clock | None = None,
                      http: httpx.AsyncClient | None = None) -> list[str]:
    """Create the custom menu (:func:`menu_json`, default locale) on the configured WeChat account and WeCom app.

    Called at start-up when ``settings.wechat_menu`` is true. A failure is
    logged, never raised: the bot works without a menu.

    Returns:
        The channels whose menu was created.
    """
    tokens = TokenStore(uow_factory, clock or SystemClock())
    done = []
    body = menu_json(settings.default_locale)
    targets = []
    if settings.wechat_app_id:
        targets.append((WECHAT, wechat_api(settings, tokens, http), {}))
    if settings.wecom_corp_id:
        targets.append((WECOM, wecom_api(settings, tokens, http), {"agentid": settings.wecom_agent_id}))
    for channel, api, params in targets:
        try:
            await api.call("/cgi-bin/menu/create", body, params)
            done.append(channel)
        except (ApiError, TokenError, httpx.HTTPError) as exc:
            log.error("%s: menu not created: %s", channel, getattr(exc, "errcode", type(exc).__name__))
        finally:
            await api.aclose()
    return done


# --- invite QR codes -------------------------------------------------------------------------------

QR_CREATE = "/cgi-bin/qrcode/create"
# The ticket is exchanged for the image at this fixed host (not the API base URL): it is what the
# admin opens in a browser, and WeChat serves it only there ("通过ticket换取二维码").
SHOW_QR_URL = "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={ticket}"
# WeChat's limit for temporary QR codes: "最大不超过2592000（即30天）" (生成带参数的二维码).
QR_MAX_EXPIRE_SECONDS = 2_592_000
# scene_str: "长度限制为1到64".
QR_SCENE_MAX_CHARS = 64


async def create_invite_qr(settings: Settings, uow_factory: Callable[[], UnitOfWork], code: str,
                           expire_seconds: int, *, clock: Clock | None = None,
                           http: httpx.AsyncClient | None = None) -> str:
    """Create a temporary parametric QR code whose scene is the invite ``code``; return its image URL.

    ``POST /cgi-bin/qrcode/create`` with ``action_name`` ``QR_STR_SCENE`` and
    ``scene_str`` = ``code`` (the shared access token, refreshed once on
    40001/42001). Scanning the code sends ``subscribe`` with
    ``qrscene_<code>`` or ``SCAN`` with ``<code>``, which the inbound side
    turns into ``/start <code>``. The code and the ticket are secrets: never logged.

    Args:
        settings: ``wechat_app_id``, ``wechat_app_secret``, ``wechat_api_url``.
        uow_factory: units of work on the shared database (token store).
        code: the invite code (1–64 characters, WeChat's ``scene_str`` limit).
        expire_seconds: the QR code's lifetime in seconds, normally the invite's
            remaining lifetime; capped at WeChat's maximum of 2592000 (30 days),
            at least 1.
        clock: UTC clock for token expiry (default: system clock).
        http: an ``httpx.AsyncClient``; default: a client for this call.

    Returns:
        ``https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=<URL-encoded ticket>``.

    Raises:
        ValueError: ``code`` is empty or longer than 64 characters.
        ApiError: WeChat answered a non-zero ``errcode`` (48001: the account may
            not create QR codes — only verified service accounts may).
        TokenError: no access token could be fetched.
        httpx.HTTPError: network failure, or an answer without a ticket
            (``httpx.DecodingError``).
    """
    if not 1 <= len(code) <= QR_SCENE_MAX_CHARS:
        raise ValueError(f"scene_str must be 1 to {QR_SCENE_MAX_CHARS} characters")
    seconds = max(1, min(int(expire_seconds), QR_MAX_EXPIRE_SECONDS))
    body = {"expire_seconds": seconds, "action_name": "QR_STR_SCENE",
            "action_info": {"scene": {"scene_str": code}}}
    api = wechat_api(settings, TokenStore(uow_factory, clock or SystemClock()), http)
    try:
        data = await api.call(QR_CREATE, body)
    finally:
        await api.aclose()
    ticket = data.get("ticket")
    if not isinstance(ticket, str) or not ticket:
        raise httpx.DecodingError("qrcode/create: no ticket in the answer")
    return SHOW_QR_URL.format(ticket=quote(ticket, safe=""))


def build_senders(settings: Settings, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> dict[str, Sender]:
    """The WeChat and WeCom senders the settings enable (app id / corp id set), by channel."""
    senders: dict[str, Sender] = {}
    if settings.wechat_app_id:
        senders[WECHAT] = WeChatSender(settings, uow_factory, clock)
    if settings.wecom_corp_id:
        senders[WECOM] = WeComSender(settings, uow_factory, clock)
    return senders
