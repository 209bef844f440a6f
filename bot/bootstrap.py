"""Composition root: the only place that knows the concrete classes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.config import Settings, load_settings
from bot.domain.clock import Clock, SystemClock
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


def make_flow_engine(container: Container):  # -> bot.flows.engine.FlowEngine
    """The flow engine every channel calls.

    Raises:
        RuntimeError: this build has no ``FlowEngine`` yet.
    """
    from bot.flows import engine as flow_engine

    engine_class = getattr(flow_engine, "FlowEngine", None)
    if engine_class is None:
        # TODO(lead): FlowEngine lands from the flows branch; nothing to do here after the merge.
        raise RuntimeError("bot.flows.engine.FlowEngine is missing from this build")
    return engine_class(container.uow, container.clock, container.settings)


def scheduler_factory():  # -> Callable[[Container, Mapping[str, Sender]], AsyncIOScheduler]
    """``bot.scheduler.make_scheduler(container, senders)``, where ``senders`` maps a channel to its Sender.

    Raises:
        RuntimeError: this build has no scheduler yet.
    """
    try:
        from bot.scheduler import make_scheduler
    except ImportError as exc:
        # TODO(lead): make_scheduler lands from the scheduler branch.
        raise RuntimeError("bot.scheduler.make_scheduler is missing from this build") from exc
    return make_scheduler
