"""Heartbeats of the long-lived workers (health check, ``guanai status``) and the shared pacing slots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class WorkerHeartbeat(Base):
    """The last sign of life of one worker's part (``host:pid`` and a role: sender, escalator, scheduler).

    ``beat_at`` says the loop is alive; ``progress_at`` when it last got
    through its work (a claim, an escalation run, a whole tick).
    """

    __tablename__ = "worker_heartbeats"
    id: Mapped[int] = mapped_column(primary_key=True)
    worker: Mapped[str] = mapped_column(String(200), unique=True)  # "<host>:<pid>:<role>"
    role: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    progress_at: Mapped[datetime | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PacingSlot(Base):
    """The start of the next free overall send slot of one platform, shared by every worker (``bot.store.pacing``)."""

    __tablename__ = "pacing_slots"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime]
