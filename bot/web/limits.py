"""A hard cap on request bodies, enforced while they stream in (issue 10, item 7).

:class:`BodyLimit` wraps the whole ASGI app, so every route has the cap, and
works on the raw ASGI ``receive`` channel, so nothing beyond the cap is ever
held in memory:

* a ``Content-Length`` above the cap (or not a number) is answered 413 (400)
  before a single body byte is read;
* a body without a length (chunked) is counted chunk by chunk; the chunk that
  crosses the cap ends the request with 413, whatever the endpoint was doing.

The server (uvicorn) stops reading from a connection whose body the app left
unread and closes it after the answer, so a 512 MiB POST costs one chunk of
memory, not 512 MiB (``benchmarks/ingress.py`` measures it).
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
"""Default cap in bytes: Telegram updates and WeChat callbacks are a few KiB at most."""


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a streaming body crosses the cap (caught by :class:`BodyLimit`)."""


async def _answer(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            return str(value.decode("latin-1"))
    return None


class BodyLimit:
    """ASGI middleware: refuse request bodies larger than ``limit`` bytes, reading at most ``limit`` + one chunk.

    Args:
        app: the wrapped ASGI app.
        limit: the cap in bytes (:data:`MAX_BODY`).
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request with the cap applied (other scope types pass through)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None:
            if not declared.strip().isdigit():
                await _answer(send, 400, "bad content-length")
                return
            if int(declared) > self.limit:
                log.warning("request body of %s bytes refused on %s (cap %s)", declared, scope.get("path"), self.limit)
                await _answer(send, 413, "body too large")
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            log.warning("streamed request body refused on %s after %s bytes (cap %s)", scope.get("path"), received,
                        self.limit)
            if not started:
                await _answer(send, 413, "body too large")

