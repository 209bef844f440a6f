"""The WeChat Official Account and WeCom JSON APIs: calls with the shared access token, and their errors.

HTTP goes through ``httpx.AsyncClient`` against the configured API base URLs
(``GUANAI_WECHAT_API_URL``, ``GUANAI_WECOM_API_URL``) — for the access-token
requests too. wechatpy 1.8's clients are synchronous and fetch the token from
a fixed host whatever ``API_BASE_URL`` says, so they would block the event
loop and bypass a proxy; the calls used here are a few small JSON requests, so
they are made directly (wechatpy stays the inbound side's tool for signatures,
crypto and XML). Tokens are shared by every worker through the database
(:mod:`bot.services.api_tokens`).

Error codes (WeChat 全局返回码, WeCom 全局错误码) and what the outbox sees:

=====================  ==========================================================
40001, 40014, 41001,   the token was refused: refresh it once (shared), retry the
42001                  call once; refused again → transient
45015, 45047           WeChat: outside the 48 h customer-service window, or the
                       person's quota in it used up → one template message
                       instead, else the message waits for the person to write
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
from collections.abc import Mapping
from typing import Any

import httpx

from bot.config import Settings
from bot.handlers.wechat.render import split_text
from bot.services.api_tokens import TokenStore
from bot.services.pacing import Pacer
from bot.services.ports import PermanentSendError, SendError, TransientSendError

log = logging.getLogger(__name__)

WECHAT = "wechat"
WECOM = "wecom"
HTTP_TIMEOUT = httpx.Timeout(10.0)

TOKEN_ERRORS = frozenset({40001, 40014, 41001, 42001})
OUT_OF_WINDOW = 45015
OUT_OF_QUOTA = 45047
"""WeChat: the person's customer-service messages since their last message are used up (客服接口下行条数超过上限)."""
PERMANENT_ERRORS = frozenset({43004, 43019, 40003, 40036, 40037, 81013, 60111, 60011})
RATE_LIMITS = {45009: 3600.0, 45047: 60.0, 45033: 60.0, -1: 60.0}


class ApiError(Exception):
    """The platform answered with a non-zero ``errcode``.

    Attributes:
        errcode: the platform's error code (see the module doc).
        errmsg: its message.
    """

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class TokenError(Exception):
    """The platform refused to issue a token (wrong secret, IP not allowed, daily quota).

    Attributes:
        errcode: the platform's ``errcode`` (e.g. 40013 invalid appid, 40125
            invalid secret, 40164 / 60020 IP not allowed, 45009 daily limit), or
            None for an unreadable answer.
    """

    def __init__(self, reason: str, errcode: int | None = None) -> None:
        super().__init__(reason)
        self.errcode = errcode


class PlatformApi:
    """One platform's JSON API: ``?access_token=`` calls with the shared token, refreshed once on 40001/42001.

    Args:
        base_url: the API base URL (``GUANAI_WECHAT_API_URL`` / ``GUANAI_WECOM_API_URL``).
        token_path: the token request's path (``/cgi-bin/token`` or ``/cgi-bin/gettoken``).
        token_params: its query parameters (app id and secret; never logged).
        token_name: the name the token is shared under (``wechat:<appid>``).
        tokens: the shared token store.
        http: an ``httpx.AsyncClient`` to use (tests: the API double); default: its own.
        pacer: the platform's pacer (``bot.services.pacing.WECHAT`` / ``WECOM``): a call whose body names
            one recipient (``touser``) waits for that person's turn and an overall slot; None: not paced.
    """

    def __init__(self, *, base_url: str, token_path: str, token_params: dict[str, str], token_name: str,
                 tokens: TokenStore, http: httpx.AsyncClient | None, pacer: Pacer | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_path = token_path
        self.token_params = token_params
        self.token_name = token_name
        self.tokens = tokens
        self._http = http
        self._own_http = http is None
        self.pacer = pacer

    @property
    def http(self) -> httpx.AsyncClient:
        """The HTTP client (its own one is made on first use)."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=HTTP_TIMEOUT)
        return self._http

    async def aclose(self) -> None:
        """Close the HTTP client if it is this API's own."""
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
        touser = body.get("touser")
        if self.pacer is None or not isinstance(touser, str) or not touser:
            return await self._call(path, body, params or {})
        async with self.pacer.slot(touser):
            return await self._call(path, body, params or {})

    async def _call(self, path: str, body: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
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


def wechat_api(settings: Settings, tokens: TokenStore, http: httpx.AsyncClient | None = None,
               pacer: Pacer | None = None) -> PlatformApi:
    """The Official Account API (``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=``)."""
    return PlatformApi(base_url=settings.wechat_api_url, token_path="/cgi-bin/token",  # noqa: S106 — a path
                       token_params={"grant_type": "client_credential", "appid": settings.wechat_app_id,
                                     "secret": settings.wechat_app_secret},
                       token_name=f"wechat:{settings.wechat_app_id}", tokens=tokens, http=http, pacer=pacer)


def wecom_api(settings: Settings, tokens: TokenStore, http: httpx.AsyncClient | None = None,
              pacer: Pacer | None = None) -> PlatformApi:
    """The WeCom app API (``GET /cgi-bin/gettoken?corpid=&corpsecret=``; one token per app secret)."""
    return PlatformApi(base_url=settings.wecom_api_url, token_path="/cgi-bin/gettoken",  # noqa: S106 — a path
                       token_params={"corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret},
                       token_name=f"wecom:{settings.wecom_corp_id}:{settings.wecom_agent_id}", tokens=tokens,
                       http=http, pacer=pacer)


def send_error(channel: str, exc: Exception) -> SendError:
    """Map an API, token or network failure to what the outbox understands (see the module doc)."""
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


async def send_customer_text(api: PlatformApi, openid: str, text: str) -> None:
    """Customer-service text message(s) to one OpenID, cut at 2048 bytes (WeChat's limit).

    Raises:
        ApiError, TokenError, httpx.HTTPError: as :meth:`PlatformApi.call`.
    """
    for part in split_text(text):
        await api.call("/cgi-bin/message/custom/send",
                       {"touser": openid, "msgtype": "text", "text": {"content": part}})


async def send_app_text(api: PlatformApi, agent_id: str, userid: str, text: str) -> None:
    """WeCom app text message(s) to one UserID.

    Raises:
        ApiError: as :meth:`PlatformApi.call`; also 81013 when WeCom accepted the call
            but listed the user as ``invaliduser`` (not found / not visible to the app).
        TokenError, httpx.HTTPError: as :meth:`PlatformApi.call`.
    """
    for part in split_text(text):
        data = await api.call("/cgi-bin/message/send", {
            "touser": userid, "msgtype": "text", "agentid": int(agent_id) if agent_id.isdigit() else agent_id,
            "text": {"content": part},
        })
        invalid = str(data.get("invaliduser") or "")
        if userid in invalid.split("|"):
            raise ApiError(81013, "invaliduser")
