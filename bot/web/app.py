"""The ASGI app (Starlette): health check, the Telegram webhook and the WeChat/WeCom callbacks.

Routes:
    GET /healthz: 200 ``{"status": "ok"}`` when the database answers
        ``SELECT 1``, else 503 ``{"status": "unavailable"}``. With a delivery
        health check (``guanai run``), the body also carries the workers'
        heartbeats and the age of the oldest urgent message waiting, and the
        answer is 503 ``{"status": "failing", "problems": […]}`` when a
        sender, escalator or scheduler is stale or an urgent message has
        waited more than a minute (``bot.services.health``).
    POST /telegram/webhook: one Telegram ``Update`` as JSON. The
        ``X-Telegram-Bot-Api-Secret-Token`` header must equal the secret given
        to ``setWebhook`` (Bot API) → else 403. A body that is not a JSON
        object or not an update → 400. Accepted updates go on the
        Application's update queue and the answer is 200 at once: Telegram
        resends an update it did not get a 2xx for, and handling may take
        longer than it waits.

Every route reads its body with a hard cap while it streams in
(:class:`bot.web.limits.BodyLimit`, 64 KiB): a larger body is answered 413
without being buffered.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web.dashboard import Backend, dashboard_routes
from bot.web.limits import MAX_BODY, BodyLimit
from bot.web.wechat import callback_routes

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 — the header's name, not a secret


def _database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 — any failure means "not healthy"
        log.warning("health check: database unreachable", exc_info=True)
        return False


def create_app(
    engine: Engine,
    *,
    telegram_update: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    webhook_secret: str = "",
    wechat_callbacks: Mapping[str, object] | None = None,
    dashboard: Backend | None = None,
    default_locale: str = "zh_Hans",
    secure_cookie: bool = False,
    delivery_health: Callable[[], Awaitable[tuple[bool, dict[str, Any]]]] | None = None,
    max_body: int = MAX_BODY,
) -> Starlette:
    """Build the ASGI app.

    Args:
        wechat_callbacks: channel (``wechat``/``wecom``) → callback (``bot.web.wechat``).
        engine: the database engine checked by ``/healthz``.
        telegram_update: async callable taking the update JSON (a dict), from
            :func:`bot.handlers.telegram.webhook.update_receiver`; it raises
            ``ValueError`` for a body that is not an update. None: the webhook
            route answers 404.
        dashboard: the dashboard's backend (``bot.web.dashboard``), served under ``/web``; None: no dashboard.
        default_locale: the dashboard's language before sign-in.
        secure_cookie: the session cookie is sent over HTTPS only.
        webhook_secret: the expected secret header value. Empty: every webhook
            call is refused (403), so an unset secret never means "open".
        delivery_health: returns ``(ok, body)`` for ``/healthz`` once the database answers.
        max_body: the cap on every request body, in bytes (413 beyond it).
    """
    expected = webhook_secret.encode()

    async def healthz(request: Request) -> Response:
        ok = await asyncio.to_thread(_database_ok, engine)
        if not ok or delivery_health is None:
            return JSONResponse({"status": "ok" if ok else "unavailable"}, status_code=200 if ok else 503)
        try:
            healthy, body = await delivery_health()
        except Exception:  # noqa: BLE001 — a failing check is a failing service
            log.warning("health check: delivery health could not be read", exc_info=True)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def telegram_webhook(request: Request) -> Response:
        if telegram_update is None:
            return JSONResponse({"error": "telegram is not configured"}, status_code=404)
        given = request.headers.get(SECRET_HEADER, "").encode()
        # Constant-time comparison: the secret must not leak through response timing.
        if not expected or not hmac.compare_digest(given, expected):
            log.warning("telegram webhook: wrong or missing secret token")
            return JSONResponse({"error": "forbidden"}, status_code=403)
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "body is not JSON"}, status_code=400)
        if not isinstance(data, dict):
            return JSONResponse({"error": "body is not an update"}, status_code=400)
        try:
            await telegram_update(data)
        except ValueError:
            return JSONResponse({"error": "body is not an update"}, status_code=400)
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
            *callback_routes(wechat_callbacks or {}),
            *(dashboard_routes(dashboard, default_locale=default_locale, secure_cookie=secure_cookie)
              if dashboard is not None else []),
        ],
        middleware=[Middleware(BodyLimit, limit=max_body)],
    )
