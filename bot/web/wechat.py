"""Routes of the WeChat Official Account and WeCom callbacks (the logic is in ``bot.handlers.wechat``).

Routes (mounted by :func:`bot.web.app.create_app` when the callbacks are given):
    GET /wechat/callback, GET /wecom/callback: URL verification handshake.
    POST /wechat/callback, POST /wecom/callback: a pushed message or event;
        the answer is a passive reply (XML) or ``success`` within 5 seconds.

This module imports no ``wechatpy``: a callback is any object with
``async verify(query) -> answer`` and ``async receive(query, body) -> answer``,
where an answer has ``status``, ``body`` and ``media_type``
(``bot.handlers.wechat.inbound.WeChatCallback``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PATHS = {"wechat": "/wechat/callback", "wecom": "/wecom/callback"}


def _response(answer: Any) -> Response:
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type)


def callback_routes(callbacks: Mapping[str, Any]) -> list[Route]:
    """GET and POST routes for each configured callback.

    Args:
        callbacks: channel (``wechat`` / ``wecom``) → callback object; channels
            missing here get no route (404).
    """
    routes = []
    for channel, callback in callbacks.items():

        async def endpoint(request: Request, callback: Any = callback) -> Response:
            query = dict(request.query_params)
            if request.method == "GET":
                return _response(await callback.verify(query))
            return _response(await callback.receive(query, await request.body()))

        routes.append(Route(PATHS[channel], endpoint, methods=["GET", "POST"]))
    return routes
