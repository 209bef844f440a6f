"""Invite QR codes: a temporary parametric QR code whose scene is an invite code (``guanai invite``)."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from bot.config import Settings
from bot.domain.clock import Clock
from bot.handlers.wechat.api import wechat_api
from bot.services.api_tokens import TokenStore
from bot.services.ports import UowFactory

QR_CREATE = "/cgi-bin/qrcode/create"
# The ticket is exchanged for the image at this fixed host (not the API base URL): it is what the
# admin opens in a browser, and WeChat serves it only there ("通过ticket换取二维码").
SHOW_QR_URL = "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={ticket}"
# WeChat's limit for temporary QR codes: "最大不超过2592000（即30天）" (生成带参数的二维码).
QR_MAX_EXPIRE_SECONDS = 2_592_000
# scene_str: "长度限制为1到64".
QR_SCENE_MAX_CHARS = 64


async def create_invite_qr(settings: Settings, uow_factory: UowFactory, code: str,
                           expire_seconds: int, *, clock: Clock,
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
        clock: UTC clock for token expiry.
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
    api = wechat_api(settings, TokenStore(uow_factory, clock), http)
    try:
        data = await api.call(QR_CREATE, body)
    finally:
        await api.aclose()
    ticket = data.get("ticket")
    if not isinstance(ticket, str) or not ticket:
        raise httpx.DecodingError("qrcode/create: no ticket in the answer")
    return SHOW_QR_URL.format(ticket=quote(ticket, safe=""))
