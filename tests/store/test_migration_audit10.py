"""The audit10 migration: an access token kept in clear gets encrypted; outbox rows get a child; the index check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import DateTime, Integer, String, column, insert, select, table, text

from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import ApiToken, IndexKeyCheck, OutboxMessage
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_migration_encryption import _url

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
TOKEN = "83_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-access-token"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_encrypts_the_access_token_and_downgrading_restores_it(backend: str, tmp_path: Path) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), "c_natural_family_messages")
        engine = make_engine(url)
        tokens = table("api_tokens", column("id", Integer), column("name", String), column("token", String),
                       column("expires_at", DateTime), column("refreshed_at", DateTime))
        with engine.begin() as conn:
            conn.execute(insert(tokens).values(id=1, name="wechat:wx1", token=TOKEN, expires_at=NOW,
                                               refreshed_at=NOW))
        engine.dispose()

        prepare_database(url)  # the new migration, then the key checks

        engine = make_engine(url)
        with engine.connect() as conn:
            raw = conn.scalar(text("SELECT token FROM api_tokens"))
        assert raw.startswith("enc1:") and TOKEN not in raw
        with UnitOfWorkFactory(make_session_factory(engine))() as u:
            assert u.session.scalar(select(ApiToken.token)) == TOKEN
            assert u.session.scalar(select(IndexKeyCheck.check_value)) is not None  # recorded at the first start
            assert u.session.scalar(select(OutboxMessage.child_id)) is None  # the column is there
        engine.dispose()

        command.downgrade(alembic_config(url), "c_natural_family_messages")  # and back: the clear token returns
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT token FROM api_tokens")) == TOKEN
        engine.dispose()
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
