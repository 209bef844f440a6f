"""The Bot API calls' rate limiter: every call with a chat goes through the shared :class:`Pacer`.

python-telegram-bot hands every request of the bot to its rate limiter, so
direct replies (:class:`~bot.handlers.telegram.app.UpdateHandler`) and the
outbox's sends (:class:`~bot.handlers.telegram.sender.TelegramSender`) share
one pacer: a burst of outbox messages cannot push a reply into flood control,
and a person's next message waits for its turn instead of being refused.

Telegram counts a message when its request arrives, so the bot's HTTP client
(:func:`paced_request`) tells the pacer when each request is written: on a
busy event loop, calls let go evenly can be written bunched.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest

from bot.services.pacing import Pacer

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


def _retry_after(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


CONNECTION_POOL_SIZE = 256
"""Connections for the bot's calls (python-telegram-bot's default with ``ApplicationBuilder``)."""


def paced_request(pacer: Pacer) -> HTTPXRequest:
    """The bot's HTTP client for every call but ``getUpdates``: each paced call is counted as its request is written.

    httpx's ``request`` event hook runs once a request is prepared, in the task that holds the pacer's
    slot; it asks httpcore (the ``trace`` extension) to report the moment the request's body goes to
    the socket, after a connection was taken or opened and the headers were written, and the pacer
    counts the call then (:meth:`Pacer.request_written`): the last loop turns before the write are where
    a busy loop bunches calls. The platform stamps a call once its body has arrived; counted when the
    headers started, the call still had two loop turns to go, and on a loaded machine (load 10–15 on
    two cores) the p99 from count to arrival was 60–134 ms — more than the pacer's margin, so 429s;
    counted at the body, 18–35 ms (``benchmarks.delivery``, README).
    """
    pacer.count_at_write()

    async def prepared(request: httpx.Request) -> None:
        request.extensions["trace"] = _tracer(pacer, request.extensions.get("trace"))

    return HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE,
                        httpx_kwargs={"event_hooks": {"request": [prepared]}})


def _tracer(pacer: Pacer, other: Callable[[str, dict[str, Any]], Awaitable[None]] | None
            ) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    async def trace(event: str, info: dict[str, Any]) -> None:
        # "http11.send_request_body.started" (HTTP/2: "http2.send_request_body.started"): the headers are out
        if event.endswith("send_request_body.started"):
            await pacer.request_written()
        elif event.endswith("send_request_body.complete"):  # on the socket: it arrives within the margin
            pacer.request_sent()
        if other is not None:
            await other(event, info)

    return trace


class PacedRateLimiter(BaseRateLimiter[int]):
    """PTB rate limiter on a :class:`Pacer`.

    A call that names a chat (``chat_id``) waits for that chat's turn and an
    overall slot; other calls (``getUpdates``, ``answerCallbackQuery``) go at
    once. A flood-control answer pauses that chat for its ``retry_after``;
    the call is tried again ``rate_limit_args`` times (replies pass a small
    number), else ``RetryAfter`` is raised (the outbox reschedules the row
    after exactly that wait).

    Args:
        pacer: the platform's pacer (shared with nothing but this bot's calls).
        max_retries: retries after flood control when the call gives no ``rate_limit_args``.
    """

    def __init__(self, pacer: Pacer, max_retries: int = 0) -> None:
        self.pacer = pacer
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Make the call in its chat's turn; see the class doc."""
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        chat = str(chat_id)
        # Negative ids are groups and channels; a string id (@channelname) is a channel.
        group = chat.startswith("-") or not chat.isdigit()
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            async with self.pacer.slot(chat, group=group):
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as exc:
                    wait = _retry_after(exc)
                    self.pacer.pause(chat, wait)
                    log.info("telegram flood control on %s for chat %s: %.1f s", endpoint, chat_id, wait)
                    if attempt >= retries:
                        raise
            attempt += 1
