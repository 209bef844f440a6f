"""Feed webhook bodies into the Application (the web app stays free of ``telegram`` imports)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application


def update_receiver(application: Application) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """An async callable that parses one webhook body and queues it for ``application``.

    The returned callable raises ``ValueError`` when the body is not a Telegram
    ``Update`` (no ``update_id``, wrong field types); ``bot.web`` answers 400.
    The Application must be started (its update fetcher drains the queue).
    """

    async def receive(data: dict[str, Any]) -> None:
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # noqa: BLE001 — any parse failure is a bad request
            raise ValueError("not a telegram update") from exc
        if update is None or not isinstance(update.update_id, int):
            raise ValueError("not a telegram update")
        await application.update_queue.put(update)

    return receive
