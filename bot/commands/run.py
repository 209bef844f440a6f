"""`guanai run`: the Telegram bot, the scheduler and (in webhook mode) the web app, in one asyncio loop.

Polling is the default. With ``GUANAI_TELEGRAM_WEBHOOK_URL`` set, the bot
registers that URL with ``setWebhook`` (with ``secret_token``: the
``GUANAI_TELEGRAM_WEBHOOK_SECRET``, or a random one for this process when
unset) and serves ``bot.web`` with uvicorn on ``GUANAI_HTTP_HOST`` /
``GUANAI_HTTP_PORT``. SIGINT and SIGTERM stop everything in order.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from bot.messages.prompt import N_

if TYPE_CHECKING:
    from bot.bootstrap import Container
    from bot.flows.runner import Flows
    from bot.services.ports import Sender

log = logging.getLogger(__name__)

NO_TOKEN = N_(
    "No channel is configured: set GUANAI_TELEGRAM_TOKEN (Telegram) or the GUANAI_WECHAT_… / GUANAI_WECOM_… "
    "settings (WeChat) to run the bot, or try it in the terminal with `guanai demo`."
)
EXIT_NO_TOKEN = 2
DASHBOARD_ONLY = N_("Serving the dashboard only, at {url}/web/ (sign-in links: guanai web --link NAME).")
UNREACHABLE_API = N_(
    "Cannot reach the Telegram Bot API at {url}. Where Telegram is blocked, run a self-hosted Bot API "
    "server or a proxy that can reach it and set GUANAI_TELEGRAM_API_URL, or use WeChat."
)
START_FAILED = N_("guanai run could not start: {reason}")

SchedulerFactory = Callable[["Container", Mapping[str, "Sender"]], Any]
"""``bot.bootstrap.make_scheduler``: ``(container, senders)`` → an unstarted APScheduler scheduler."""

SenderFactory = Callable[["Container", Mapping[str, "Sender"]], Any]
"""``bot.bootstrap.make_outbox_sender``: ``(container, senders)`` → an outbox sender (``run()``, ``stop()``)."""

EscalatorFactory = Callable[["Container"], Any]
"""``bot.bootstrap.make_escalator``: ``(container)`` → an escalator (``run()``, ``stop()``)."""

SENDER_STOP_SECONDS = 30.0
"""How long a stop waits for the sends in flight (each has its own deadline)."""


def cmd_run(args: argparse.Namespace) -> int:
    """Run the bot until SIGINT/SIGTERM.

    Returns:
        0 after a clean stop (without a chat channel it serves the dashboard only); 2 when the only
        channel configured is refused (WeChat in plain mode); 1 when the bot could
        not start or stopped on an error (database unreachable, token refused,
        web server port taken, a missing part of this build).
    """
    from sqlalchemy.exc import OperationalError

    from bot import bootstrap, logsafety
    from bot.config import load_settings
    from bot.i18n import gettext
    from bot.store.crypto import DataKeyError
    from bot.store.db import DatabaseUrlError
    from bot.store.schema import prepare_database

    settings = load_settings()
    plain_mode = bootstrap.wechat_mode_warning(settings)
    if plain_mode:  # before logging is set up: the operator must see it either way
        print(plain_mode, file=sys.stderr)
    if not settings.telegram_token and not bootstrap.wechat_configured(settings):
        print(gettext(settings.default_locale, NO_TOKEN), file=sys.stderr)
        if plain_mode:  # a channel was set up but refused: a mistake to fix, not a school without a channel
            return EXIT_NO_TOKEN
        # The dashboard still serves (issue 9, item 8): a school sets it up before its chat channel.
        print(gettext(settings.default_locale, DASHBOARD_ONLY).format(url=settings.web_url), file=sys.stderr)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logsafety.install(logsafety.settings_secrets(settings))  # ids only, at every level (docs/privacy.md)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        prepare_database(settings.database_url)
        container = bootstrap.build(settings)
        try:
            flows = bootstrap.make_flows(container)
            return asyncio.run(serve(container, flows, make_scheduler=bootstrap.make_scheduler,
                                     make_sender=bootstrap.make_outbox_sender,
                                     make_escalator=bootstrap.make_escalator, with_web=True))
        finally:
            container.engine.dispose()
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return 0
    except (DatabaseUrlError, OperationalError, DataKeyError):
        raise  # bot.cli says what is wrong with the database or its data key
    except Exception as exc:  # noqa: BLE001 — report why the bot could not run, then exit non-zero
        from telegram.error import NetworkError

        log.debug("guanai run failed", exc_info=True)
        locale = settings.default_locale
        if isinstance(exc, NetworkError):
            print(gettext(locale, UNREACHABLE_API).format(url=settings.telegram_api_url), file=sys.stderr)
        else:
            log.error("guanai run failed: %s", type(exc).__name__)
            print(gettext(locale, START_FAILED).format(reason=exc), file=sys.stderr)
        return 1


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _web_server(app: Any, host: str, port: int) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        # Our loop owns SIGINT/SIGTERM; uvicorn must neither take nor re-raise them.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Server(uvicorn.Config(app, host=host, port=port, lifespan="off", log_level="info",
                                 log_config=None))  # uvicorn's records go to our (redacted) root handler


async def _serve_web(server: Any) -> None:
    try:
        await server.serve()
    except SystemExit as exc:
        # uvicorn exits the process when it cannot bind; a SystemExit in a task would escape the loop.
        raise RuntimeError(f"web server failed to start (exit {exc.code})") from None


async def serve(
    container: Container,
    flows: Flows,
    *,
    make_scheduler: SchedulerFactory | None = None,
    make_sender: SenderFactory | None = None,
    make_escalator: EscalatorFactory | None = None,
    stop: asyncio.Event | None = None,
    with_web: bool = False,
) -> int:
    """Run the configured channels, the scheduler and the web app until ``stop`` is set.

    Telegram runs when ``GUANAI_TELEGRAM_TOKEN`` is set (polling, or webhook
    with ``GUANAI_TELEGRAM_WEBHOOK_URL``); the WeChat Official Account and the
    WeCom app run when their settings are complete (callbacks on the web app,
    senders in the scheduler). The web app is served whenever a webhook or a
    WeChat callback needs it. Every part is made by ``bot.bootstrap``; this
    function only starts and stops them in order.

    Args:
        container: ``bot.bootstrap.Container``.
        flows: the flow runner (``handle(Inbound) -> Reply``).
        make_scheduler: ``bot.bootstrap.make_scheduler(container, senders)``
            returning an (unstarted) APScheduler ``AsyncIOScheduler``; None runs
            without scheduler (tests).
        make_sender: ``bot.bootstrap.make_outbox_sender(container, senders)``: the
            outbox sender, run as a task while any channel can send; None: no sender (tests).
        make_escalator: ``bot.bootstrap.make_escalator(container)``: the incident chain on
            time, run as a task; None: none (tests).
        stop: set it to stop; SIGINT/SIGTERM set it too.
        with_web: serve the web app (the dashboard) even when no webhook or callback needs it (``guanai run``).

    Returns:
        the process exit code (0 clean stop, 1 the web server failed).
    """
    from telegram.error import NetworkError

    from bot import bootstrap
    from bot.handlers.telegram import telegram_running, update_receiver

    settings = container.settings
    stop = stop or asyncio.Event()
    webhook_url = (settings.telegram_webhook_url or None) if settings.telegram_token else None
    webhook_secret = settings.telegram_webhook_secret or (secrets.token_urlsafe(32) if webhook_url else "")
    application = bootstrap.make_telegram_application(container, flows, webhook=webhook_url is not None)
    callbacks = bootstrap.make_wechat_callbacks(container, flows)
    exit_code = 0
    with _stop_on_signals(stop):
        async with contextlib.AsyncExitStack() as stack:
            senders: dict[str, Sender] = {}
            if application is not None:
                try:
                    await stack.enter_async_context(
                        telegram_running(application, webhook_url=webhook_url, webhook_secret=webhook_secret)
                    )
                    senders["telegram"] = bootstrap.make_telegram_sender(application, container.settings)
                except NetworkError:
                    if not callbacks:
                        raise
                    # WeChat still works: an unreachable Telegram must not silence every channel.
                    log.error("Telegram Bot API unreachable; running without Telegram")
                    webhook_url = None
            # WeChat / WeCom senders when their app id / corp id is configured (issue 3).
            wechat_senders = bootstrap.make_wechat_senders(container)
            senders.update(wechat_senders)
            if settings.wechat_menu:
                await bootstrap.create_wechat_menu(container)  # logs, never raises
            scheduler = None
            if make_scheduler is not None:
                scheduler = make_scheduler(container, senders)
                bootstrap.settle_startup_objects()  # before the first tick: no GC pass over start-up objects
                scheduler.start()
            outbox_sender = sender_task = None
            if make_sender is not None and senders:
                outbox_sender = make_sender(container, senders)
                sender_task = asyncio.create_task(outbox_sender.run())
            escalator = escalator_task = None
            if make_escalator is not None:
                escalator = make_escalator(container)
                escalator_task = asyncio.create_task(escalator.run())
            server = server_task = None
            waiters: set[asyncio.Task[Any]] = set()
            try:
                waiters.add(asyncio.create_task(stop.wait()))
                if webhook_url or callbacks or with_web:
                    web = bootstrap.make_web_app(
                        container,
                        telegram_update=update_receiver(application) if webhook_url and application else None,
                        webhook_secret=webhook_secret,
                        wechat_callbacks=callbacks or None,
                    )
                    server = _web_server(web, settings.http_host, settings.http_port)
                    server_task = asyncio.create_task(_serve_web(server))
                    waiters.add(server_task)
                log.info("guanai is running (channels: %s)", ", ".join(sorted(set(senders) | set(callbacks))))
                done, _pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                if server_task is not None and server_task in done:
                    log.error("the web server stopped: %r", server_task.exception())
                    server_task = None
                    exit_code = 1
            finally:
                if server is not None and server_task is not None and not server_task.done():
                    server.should_exit = True
                    with contextlib.suppress(Exception):
                        await server_task
                for task in waiters:
                    task.cancel()
                if scheduler is not None:
                    scheduler.shutdown(wait=False)
                if escalator is not None and escalator_task is not None:
                    escalator.stop()
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(escalator_task, SENDER_STOP_SECONDS)
                if outbox_sender is not None and sender_task is not None:
                    outbox_sender.stop()
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(sender_task, SENDER_STOP_SECONDS)
                for sender in wechat_senders.values():
                    await sender.aclose()
    log.info("guanai stopped")
    return exit_code
