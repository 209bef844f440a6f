"""Composition root: the only place that knows the concrete classes."""

from __future__ import annotations

from dataclasses import dataclass

from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from bot.config import Settings, load_settings
from bot.domain.clock import Clock, SystemClock
from bot.flows.engine import FlowEngine
from bot.scheduler import make_scheduler
from bot.store.db import make_engine, make_session_factory
from bot.store.uow import UnitOfWorkFactory


@dataclass
class Container:
    """The wired application parts.

    Attributes:
        settings: the deployment settings.
        engine: SQLAlchemy engine for ``settings.database_url``.
        uow: unit-of-work factory.
        clock: UTC clock (injected in tests).
    """

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock


def build(settings: Settings | None = None, clock: Clock | None = None) -> Container:
    """Wire the application. Does no I/O beyond creating the (lazy) engine."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        uow=UnitOfWorkFactory(make_session_factory(engine)),
        clock=clock or SystemClock(),
    )


def make_flow_engine(container: Container) -> FlowEngine:
    """The flow engine every channel calls (``engine.handle(inbound) -> Reply``)."""
    return FlowEngine(container.uow, container.clock, container.settings)


def scheduler_factory() -> Callable[..., AsyncIOScheduler]:
    """``bot.scheduler.make_scheduler(container, senders)``, where ``senders`` maps a channel to its Sender."""
    return make_scheduler
