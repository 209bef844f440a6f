"""Fixtures of the command tests: a migrated database with the access school, named by the environment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

import bot.bootstrap
from bot.domain.clock import ManualClock
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Base
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory
from tests.support.school import access_school

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 in Asia/Shanghai


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[UnitOfWorkFactory, Any]]:
    """A migrated SQLite file with the access school, named by GUANAI_DATABASE_URL; the CLI's clock is fixed."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    prepare_database(url)
    engine = make_engine(url)
    uows = UnitOfWorkFactory(make_session_factory(engine))
    with uows() as uow:
        school = access_school(uow)
    monkeypatch.setenv("GUANAI_DATABASE_URL", url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.delenv("GUANAI_TELEGRAM_BOT_USERNAME", raising=False)
    monkeypatch.setenv("GUANAI_INVITE_TTL_HOURS", "72")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: ManualClock(NOW))
    yield uows, school
    engine.dispose()


@pytest.fixture
def empty_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test database without tables (``guanai import`` creates them with the Alembic migrations), Chinese
    output; named by GUANAI_DATABASE_URL."""
    engine = make_engine(database_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    return database_url


@pytest.fixture
def split_roster(sample_roster: Path, tmp_path: Path) -> Path:
    """The sample roster with 刘帅 in 一年级（1）班 (class teacher 王老师): 李雪's two have different teachers."""
    book = openpyxl.load_workbook(sample_roster)
    for row in book.worksheets[0].iter_rows(min_row=2):
        if row[1].value == "刘帅":
            row[7].value = "一年级（1）班"
    path = tmp_path / "roster-split.xlsx"
    book.save(path)
    return path
