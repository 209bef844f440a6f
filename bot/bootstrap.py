"""The composition root: the only place that knows the concrete classes and wires them.

``guanai run``, ``guanai demo``, ``guanai invite`` and the tests build the
application here (cosmicpython's ``bootstrap.py``): :func:`build` makes the
:class:`Container` (settings, SQLAlchemy engine, unit-of-work factory,
clock); the ``make_*`` functions make the parts from it — the flow runner,
the Telegram application and sender, the WeChat/WeCom senders and callbacks,
the web app, the scheduler and the demo. A test overrides a part by building
the container with its own settings and clock and calling the ``make_*`` it
needs. Nothing here does I/O at import time, and :func:`build` only creates
the (lazy) engine.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from starlette.applications import Starlette
from telegram.ext import Application

from bot import scheduler
from bot.adapters.media_files import FileMediaStore
from bot.config import Settings, load_settings
from bot.domain.clock import Clock, SystemClock
from bot.domain.enums import Channel
from bot.flows.runner import FlowRunner, Flows
from bot.handlers.console.demo import Demo, DemoClock
from bot.handlers.telegram import TelegramSender, build_application
from bot.handlers.telegram.mainland import BOT_DATA_KEY as MAINLAND_MODE_KEY
from bot.handlers.wechat.inbound import WeChatCallback
from bot.handlers.wechat.media import fetch_media
from bot.handlers.wechat.menu import create_menu
from bot.handlers.wechat.qr import create_invite_qr
from bot.handlers.wechat.security import config_from_settings, plain_mode_warning
from bot.handlers.wechat.senders import WeChatSender, WeComSender, send_text
from bot.scheduler import TickReport, jobs
from bot.scheduler.escalator import Escalator
from bot.scheduler.jobs import Timer
from bot.scheduler.outbox_sender import OutboxSender
from bot.scheduler.wakeloop import WakeSource
from bot.services import health
from bot.services.dashboard import DashboardService
from bot.services.demo import Persona
from bot.services.pacing import TELEGRAM, WECHAT, WECOM, Limits, Pacer
from bot.services.ports import Sender
from bot.store.db import make_engine, make_session_factory
from bot.store.listen import listen_outbox
from bot.store.pacing import DatabaseSlots
from bot.store.uow import UnitOfWorkFactory
from bot.web.app import create_app

WECHAT_CHANNELS = (Channel.WECHAT.value, Channel.WECOM.value)


@dataclass
class Container:
    """The wired application's shared parts.

    Attributes:
        settings: the deployment settings.
        engine: the SQLAlchemy engine for ``settings.database_url`` (the only "engine").
        uow: the unit-of-work factory (``bot.store.uow``; typed as ``bot.services.ports.UowFactory``).
        clock: UTC clock (a ``ManualClock`` in tests, a ``DemoClock`` in the demo).
        code_clock: the clock an authenticator app reads (the real time on the person's phone) for the
            dashboard's TOTP codes; None: ``clock``. Only the demo sets it: ``--at`` and ``:wait`` move the
            demo's clock, never the phone's, and a new-user trial's real app codes were refused.
        pacers: one pacer per platform in this process (:func:`pacer`), shared by its replies and sends.
    """

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock
    code_clock: Clock | None = None
    pacers: dict[str, Pacer] = field(default_factory=dict)


def pacer(container: Container, platform: str, limits: Limits) -> Pacer:
    """This process's pacer of ``platform`` (made on first use with ``limits``).

    On PostgreSQL the overall rate and each chat's turn are shared with every other
    worker through ``pacing_slots`` (``bot.store.pacing``); SQLite has one worker.
    """
    if platform not in container.pacers:
        engine = container.engine  # None only in tests of the wiring: then this process paces alone
        shared = DatabaseSlots(engine, platform) if engine is not None and engine.dialect.name == "postgresql" else None
        container.pacers[platform] = Pacer(limits, shared=shared)
    return container.pacers[platform]


def build(settings: Settings | None = None, clock: Clock | None = None, *,
          code_clock: Clock | None = None) -> Container:
    """Wire the shared parts. Does no I/O beyond creating the (lazy) engine.

    Args:
        settings: default: read from the environment (``GUANAI_…``).
        clock: default: the system clock.
        code_clock: the clock of authenticator apps (:attr:`Container.code_clock`); default: ``clock``.

    Raises:
        pydantic.ValidationError: a setting has an invalid value.
        ValueError: the database URL is neither SQLite nor PostgreSQL, or malformed.
    """
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        uow=UnitOfWorkFactory(make_session_factory(engine)),
        clock=clock or SystemClock(),
        code_clock=code_clock,
    )


def make_flows(container: Container) -> FlowRunner:
    """The flow runner every channel calls (``flows.handle(inbound) -> Reply``)."""
    return FlowRunner(container.uow, container.clock, container.settings)


# --- the scheduler ----------------------------------------------------------------------------------

async def tick(container: Container, senders: Mapping[str, Sender]) -> TickReport:
    """One scheduler tick now (``bot.scheduler.tick`` with the container's parts)."""
    return await scheduler.tick(container.uow, container.clock, container.settings, senders,
                                media=make_media_store(container.settings), timers=timers(container))


def timers(container: Container) -> tuple[Timer, ...]:
    """The conversations' timed steps the tick runs.

    An unanswered "which child?" passed on (fix6w); questions held behind a flow left unanswered brought through
    (fix6ac).
    """
    flows = make_flows(container)
    return (("which_child_wait", flows.pass_on_unanswered), ("idle_flow", flows.bring_held_behind_idle_flows))


def settle_startup_objects() -> None:
    """Freeze the start-up objects out of the garbage collector's sight (``bot.scheduler.jobs``)."""
    jobs.settle_startup_objects()


def make_scheduler(container: Container, senders: Mapping[str, Sender], *, drain: bool = False,
                   escalate: bool = False, **scheduler_kwargs: Any) -> AsyncIOScheduler:
    """The (unstarted) APScheduler scheduler whose job is :func:`tick` every ``settings.tick_seconds``.

    Its ticks neither drain the outbox nor run the incident chain: :func:`make_outbox_sender`'s
    sender and :func:`make_escalator`'s escalator do, each on its own.
    """
    return scheduler.make_scheduler(container.uow, container.clock, container.settings, senders, drain=drain,
                                    escalate=escalate, media=make_media_store(container.settings),
                                    timers=timers(container), **scheduler_kwargs)


def _wake_sources(container: Container) -> tuple[WakeSource, ...]:
    if container.engine.dialect.name != "postgresql":
        return ()
    return (functools.partial(listen_outbox, container.settings.database_url),)


def make_escalator(container: Container) -> Escalator:
    """The long-lived escalator (not started: ``await escalator.run()``, ``escalator.stop()``)."""
    return Escalator(container.uow, container.clock, subscribe=container.uow.outbox_committed.subscribe,
                     wake_sources=_wake_sources(container))


def make_outbox_sender(container: Container, senders: Mapping[str, Sender]) -> OutboxSender:
    """The long-lived outbox sender (not started: ``await sender.run()``, ``sender.stop()``).

    It is woken by this process's commits that wrote outbox rows and, on
    PostgreSQL, by every other worker's (``LISTEN``).
    """
    return OutboxSender(container.uow, senders, container.clock, container.settings,
                        subscribe=container.uow.outbox_committed.subscribe, wake_sources=_wake_sources(container))


# --- channels ---------------------------------------------------------------------------------------

def make_telegram_application(container: Container, flows: Flows, *, webhook: bool) -> Application | None:
    """The python-telegram-bot Application (not started), or None without ``GUANAI_TELEGRAM_TOKEN``.

    Args:
        container: settings (token, Bot API URL, default locale).
        flows: the flow runner.
        webhook: updates arrive through the web app (no polling updater).
    """
    settings = container.settings
    if not settings.telegram_token:
        return None
    limits = Limits(overall_per_second=settings.telegram_messages_per_second,
                    per_chat_seconds=settings.telegram_chat_gap_seconds,
                    per_group_seconds=settings.telegram_group_gap_seconds,
                    platform_per_second=TELEGRAM.platform_per_second)
    return build_application(settings.telegram_token, flows, api_url=settings.telegram_api_url, webhook=webhook,
                             default_locale=settings.default_locale, pacer=pacer(container, "telegram", limits),
                             media=make_media_store(settings), mainland=settings.telegram_mainland_mode)


def make_media_store(settings: Settings) -> FileMediaStore:
    """The folder of the family link's photos and voice messages (``GUANAI_MEDIA_DIR``)."""
    return FileMediaStore(settings.media_dir)


def make_telegram_sender(application: Application, settings: Settings | None = None) -> Sender:
    """The outbox's sender to Telegram, for a started application (its bot is initialised)."""
    return TelegramSender(application.bot, make_media_store(settings) if settings is not None else None,
                          mainland=bool(application.bot_data.get(MAINLAND_MODE_KEY)))


def wechat_configured(settings: Settings) -> bool:
    """Whether the WeChat Official Account or the WeCom app has its callback settings."""
    return any(config_from_settings(settings, channel) for channel in WECHAT_CHANNELS)


def wechat_mode_warning(settings: Settings) -> str | None:
    """A warning about WeChat plain mode (refused, or allowed by ``GUANAI_WECHAT_ALLOW_PLAIN``), or None."""
    return plain_mode_warning(settings)


def make_wechat_senders(container: Container) -> dict[str, WeChatSender | WeComSender]:
    """The WeChat and WeCom senders the settings enable (app id / corp id set), by channel.

    Each holds an HTTP client: close them with ``await sender.aclose()``.
    """
    settings = container.settings
    senders: dict[str, WeChatSender | WeComSender] = {}
    if settings.wechat_app_id:
        senders[Channel.WECHAT.value] = WeChatSender(settings, container.uow, container.clock,
                                                     media=make_media_store(settings),
                                                     pacer=pacer(container, Channel.WECHAT.value, WECHAT))
    if settings.wecom_corp_id:
        senders[Channel.WECOM.value] = WeComSender(settings, container.uow, container.clock,
                                                   media=make_media_store(settings),
                                                   pacer=pacer(container, Channel.WECOM.value, WECOM))
    return senders


def late_reply_sender(container: Container) -> Callable[..., Awaitable[None]]:
    """``send_text(*, channel, account_id, text)`` for the callbacks' late replies (shared tokens)."""
    return functools.partial(send_text, container.settings, container.uow, clock=container.clock,
                             pacers={Channel.WECHAT.value: pacer(container, Channel.WECHAT.value, WECHAT),
                                     Channel.WECOM.value: pacer(container, Channel.WECOM.value, WECOM)})


def make_wechat_callbacks(container: Container, flows: Flows, **options: Any) -> dict[str, WeChatCallback]:
    """The callbacks of the configured WeChat channels, for :func:`make_web_app`.

    Args:
        container: settings, uow factory, clock.
        flows: the flow runner.
        options: passed to :class:`WeChatCallback` (``reply_timeout``, ``send_text``).

    Returns:
        ``{"wechat": …, "wecom": …}`` with only the channels whose settings are complete.
    """
    options.setdefault("send_text", late_reply_sender(container))
    options.setdefault("fetch_media", functools.partial(fetch_media, container.settings, container.uow,
                                                        make_media_store(container.settings), clock=container.clock))
    callbacks = {}
    for channel in WECHAT_CHANNELS:
        config = config_from_settings(container.settings, channel)
        if config is not None:
            callbacks[channel] = WeChatCallback(config, flows, container.uow, container.clock, container.settings,
                                                **options)
    return callbacks


async def create_wechat_menu(container: Container) -> list[str]:
    """Create the custom menu on the configured WeChat account and WeCom app (logs, never raises)."""
    return await create_menu(container.settings, container.uow, clock=container.clock)


async def make_invite_qr(container: Container, code: str, expires_in: timedelta) -> str:
    """A WeChat QR code that binds with ``code`` (``bot.handlers.wechat.qr.create_invite_qr``).

    Raises:
        ApiError, TokenError, httpx.HTTPError: as ``create_invite_qr``.
    """
    return await create_invite_qr(container.settings, container.uow, code, int(expires_in.total_seconds()),
                                  clock=container.clock)


# --- the web app and the demo -----------------------------------------------------------------------

def make_web_app(
    container: Container,
    *,
    telegram_update: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    webhook_secret: str = "",
    wechat_callbacks: Mapping[str, WeChatCallback] | None = None,
) -> Starlette:
    """The ASGI app: health check, Telegram webhook, WeChat/WeCom callbacks, dashboard (``bot.web.app.create_app``)."""
    settings = container.settings
    return create_app(container.engine, telegram_update=telegram_update, webhook_secret=webhook_secret,
                      wechat_callbacks=wechat_callbacks, delivery_health=functools.partial(delivery_health, container),
                      dashboard=DashboardService(container.uow, container.clock, settings,
                                                                 code_clock=container.code_clock),
                      default_locale=settings.default_locale, secure_cookie=settings.web_url.startswith("https:"))


async def delivery_health(container: Container) -> tuple[bool, dict[str, Any]]:
    """``/healthz``'s delivery check: heartbeats, the oldest urgent message (``bot.services.health``)."""
    report = await asyncio.to_thread(health.check, container.uow, now=container.clock.now(),
                                     settings=container.settings)
    return report.ok, report.to_dict()


def make_demo(container: Container, out: TextIO, persona: Persona, people: list[Persona], *,
              show_all: bool = False) -> Demo:
    """The terminal demo on ``container`` (built with a :class:`~bot.handlers.console.demo.DemoClock`).

    Raises:
        TypeError: the container's clock is not a ``DemoClock`` (``:wait`` moves it).
    """
    if not isinstance(container.clock, DemoClock):
        raise TypeError("the demo needs a DemoClock")
    return Demo(
        flows=make_flows(container), uow_factory=container.uow, clock=container.clock, settings=container.settings,
        tick=functools.partial(tick, container), out=out, persona=persona, people=people, show_all=show_all,
    )
