"""Running the ``guanai`` commands on a test database, and reading what they print."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pytest

import bot.bootstrap
from bot.domain.clock import ManualClock
from bot.store.db import make_engine, make_session_factory
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory
from tests.support.figures_world import County, county

T = TypeVar("T")


def database_for_the_cli(path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime,
                         build: Callable[[UnitOfWorkFactory], T]) -> T:
    """A migrated SQLite file at ``path``, filled by ``build``, for the commands; returns what ``build`` returned.

    GUANAI_DATABASE_URL names it, the output is Chinese and the commands' clock stands at ``now``.
    """
    url = f"sqlite:///{path}"
    prepare_database(url)
    engine = make_engine(url)
    built = build(UnitOfWorkFactory(make_session_factory(engine)))
    engine.dispose()
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: ManualClock(now))
    return built


def county_for_the_cli(path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime) -> County:
    """:func:`~tests.support.figures_world.county` in :func:`database_for_the_cli`."""
    return database_for_the_cli(path, monkeypatch, now, county)


def invite_code(out: str) -> str:
    """The invite code ``guanai invite`` printed (Chinese or English output)."""
    found = re.search(r"(?:邀请码：|Code: )([A-Za-z0-9_-]{22})", out)
    assert found, out
    return found.group(1)
