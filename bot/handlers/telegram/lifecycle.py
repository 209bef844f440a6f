"""Start and stop the Telegram Application inside our own asyncio loop.

``Application.run_polling`` / ``run_webhook`` own the event loop and the
signal handling; ``guanai run`` also runs the scheduler and the web app in
the same loop, so it uses the same steps by hand: initialize, post_init,
start, then either the updater's long polling or ``setWebhook``; on exit the
reverse order.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.handlers.telegram.app import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10
"""Long-polling ``getUpdates`` timeout (Bot API: 0 = short polling; Telegram holds the call up to this)."""


@asynccontextmanager
async def telegram_running(
    application: Application,
    *,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
) -> AsyncIterator[Application]:
    """Run ``application`` for the duration of the ``async with`` block.

    Args:
        application: from :func:`bot.handlers.telegram.build_application`
            (built with ``webhook=True`` when ``webhook_url`` is given).
        webhook_url: public HTTPS URL of ``/telegram/webhook``; polling when None.
        webhook_secret: the ``secret_token`` Telegram will send in the
            ``X-Telegram-Bot-Api-Secret-Token`` header (1–256 chars ``A-Za-z0-9_-``).

    Raises:
        telegram.error.TelegramError: Telegram refused the token or the webhook.
    """
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            if webhook_url:
                await application.bot.set_webhook(
                    url=webhook_url,
                    secret_token=webhook_secret or None,
                    allowed_updates=ALLOWED_UPDATES,
                )
                log.info("telegram webhook set")
            else:
                if application.updater is None:
                    raise RuntimeError("polling needs an Application built with webhook=False")
                await application.updater.start_polling(
                    timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES
                )
                log.info("telegram polling started")
            yield application
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
