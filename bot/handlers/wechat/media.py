"""Photos on WeChat and WeCom (letters and replies, issue 8 item 4): uploaded to send, downloaded when received.

Out: a prompt's photos go first, each uploaded as temporary media
(``POST /cgi-bin/media/upload?type=image``, multipart ``media``) and sent as
an image message (a customer-service message on the Official Account, an
app message on WeCom). Voice messages are sent only in a format the platform
takes (AMR / MP3); others are left out (Telegram's OGG), and the text still
goes. In: an image or voice message's ``MediaId`` is fetched
(``GET /cgi-bin/media/get``) into the media store. Logs carry ids and sizes only.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.config import Settings
from bot.domain.clock import Clock
from bot.handlers.wechat.api import TOKEN_ERRORS, ApiError, PlatformApi, TokenError, _json, wechat_api, wecom_api
from bot.services.api_tokens import TokenStore
from bot.services.ports import MediaStore, UowFactory

log = logging.getLogger(__name__)

WECHAT_VOICE = (".amr", ".mp3")
MAX_BYTES = 10 * 1024 * 1024  # WeChat's limit for a temporary image is 10 MB


async def _with_token(api: PlatformApi, request: Any) -> httpx.Response:
    token = await api.tokens.get(api.token_name, api._fetch_token)
    response: httpx.Response = await request(token)
    if "json" in response.headers.get("content-type", "") and response.json().get("errcode") in TOKEN_ERRORS:
        token = await api.tokens.get(api.token_name, api._fetch_token, stale=token)
        response = await request(token)
    return response


async def upload(api: PlatformApi, kind: str, data: bytes, filename: str) -> str:
    """Upload temporary media (``image`` / ``voice``); returns its ``media_id``.

    Raises:
        ApiError, TokenError, httpx.HTTPError: as ``PlatformApi.call``.
    """
    async def post(token: str) -> httpx.Response:
        return await api.http.post(api.base_url + "/cgi-bin/media/upload",
                                   params={"access_token": token, "type": kind},
                                   files={"media": (filename, data)})

    answer = _json(await _with_token(api, post))
    if int(answer.get("errcode") or 0) or not answer.get("media_id"):
        raise ApiError(int(answer.get("errcode") or -1), str(answer.get("errmsg", "no media_id")))
    return str(answer["media_id"])


async def download(api: PlatformApi, media_id: str) -> bytes:
    """The bytes of a received image or voice message (``GET /cgi-bin/media/get``).

    Raises:
        ApiError: the platform answered with an error (expired media …).
        TokenError, httpx.HTTPError: as ``PlatformApi.call``.
    """
    async def get(token: str) -> httpx.Response:
        return await api.http.get(api.base_url + "/cgi-bin/media/get",
                                  params={"access_token": token, "media_id": media_id})

    response = await _with_token(api, get)
    if "json" in response.headers.get("content-type", ""):
        answer = _json(response)
        raise ApiError(int(answer.get("errcode") or -1), str(answer.get("errmsg", "")))
    if response.status_code >= 400 or len(response.content) > MAX_BYTES:
        raise ApiError(-1, f"media download refused ({response.status_code}, {len(response.content)} bytes)")
    return response.content


async def send_media(api: PlatformApi, store: MediaStore, media: tuple[tuple[str, str], ...],
                     message: Any) -> None:
    """Upload each photo (and voice in a format WeChat takes) and send it with ``message(kind, media_id)``.

    ``message`` posts the image or voice message of the channel (a coroutine
    function). A file gone from the store is skipped and logged.
    """
    for kind, ref in media:
        suffix = ref[ref.rfind("."):]
        if kind == "voice" and suffix not in WECHAT_VOICE:
            log.info("a voice message in a format WeChat does not take was left out")
            continue
        try:
            data = store.load(ref)
        except (OSError, ValueError):
            log.warning("a media file of a prompt is missing; sent without it")
            continue
        wechat_kind = "voice" if kind == "voice" else "image"
        media_id = await upload(api, wechat_kind, data, f"letter{suffix}")
        await message(wechat_kind, media_id)


async def fetch_media(settings: Settings, uow_factory: UowFactory, store: MediaStore, *, clock: Clock, channel: str,
                      media_id: str, kind: str, fmt: str | None) -> tuple[tuple[str, str], ...]:
    """A received image or voice message, saved: ``(("photo", ref),)``; empty when it cannot be fetched.

    Tokens are shared with the senders (the token store).
    """
    tokens = TokenStore(uow_factory, clock)
    api = wecom_api(settings, tokens) if channel == "wecom" else wechat_api(settings, tokens)
    try:
        data = await download(api, media_id)
    except (ApiError, TokenError, httpx.HTTPError) as exc:
        log.warning("%s: a received %s could not be fetched (%s)", channel, kind, type(exc).__name__)
        return ()
    finally:
        await api.aclose()
    voice = f".{(fmt or 'amr').lower()}"
    return ((kind, store.save(data, voice if kind == "voice" and voice in WECHAT_VOICE else
                              ".amr" if kind == "voice" else ".jpg")),)
