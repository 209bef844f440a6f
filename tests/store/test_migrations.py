"""The Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.store.db import make_engine
from bot.store.models import Base
from bot.store.schema import prepare_database


def _empty_databases(tmp_path: Path):
    yield f"sqlite:///{tmp_path / 'm.db'}", None
    base = os.environ.get("GUANAI_TEST_POSTGRES_URL")
    if base:
        schema = f"m_{uuid.uuid4().hex[:10]}"
        admin = make_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", (admin, schema)


def test_migrations_match_the_models_and_run_twice(tmp_path: Path) -> None:
    for url, cleanup in _empty_databases(tmp_path):
        try:
            prepare_database(url)
            prepare_database(url)  # already at head: nothing to do, no error
            engine = make_engine(url)
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            engine.dispose()
            assert diff == [], url.split("?")[0]
        finally:
            if cleanup:
                admin, schema = cleanup
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


def test_db_upgrade_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from bot.cli import main

    monkeypatch.setenv("GUANAI_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "cli.db").is_file()
