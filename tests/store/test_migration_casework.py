"""The case-work migration starts the schools that were using the bot already (issue 9 item 2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Boolean, Integer, String, column, insert, table, text

from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import School, UtcDateTime
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_migration_encryption import _url

BOUND = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)
TALKED = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_school_using_the_bot_starts_at_its_first_binding_or_talk(backend: str, tmp_path: Path) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), "family8_notes")
        engine = make_engine(url)
        utc = UtcDateTime(timezone=True)
        schools = table("schools", column("id", Integer), column("name", String), column("timezone", String),
                        column("locale", String))
        people = table("people", column("id", Integer), column("school_id", Integer), column("name", String),
                       column("natural_key", String))
        accounts = table("chat_accounts", column("person_id", Integer), column("channel", String),
                         column("account_id", String), column("bound_at", utc))
        children = table("children", column("id", Integer), column("school_id", Integer), column("name", String),
                         column("student_no", String), column("active", Boolean))
        talks = table("talk_records", column("child_id", Integer), column("author_id", Integer),
                      column("kind", String), column("period", String), column("talked_at", utc),
                      column("safety_concern", Boolean), column("follow_up", Boolean))
        with engine.begin() as conn:
            for sid in (1, 2, 3):
                conn.execute(insert(schools).values(id=sid, name=f"小学{sid}", timezone="Asia/Shanghai",
                                                    locale="zh_Hans"))
                conn.execute(insert(people).values(id=sid, school_id=sid, name="李老师", natural_key=f"s{sid}:li"))
                conn.execute(insert(children).values(id=sid, school_id=sid, name="张三", student_no="S1", active=True))
            conn.execute(insert(accounts).values(person_id=1, channel="telegram", account_id="1", bound_at=TALKED))
            conn.execute(insert(talks).values(child_id=1, author_id=1, kind="class_teacher_monthly", period="2026-10",
                                              talked_at=BOUND, safety_concern=False,
                                              follow_up=False))
            conn.execute(insert(accounts).values(person_id=2, channel="telegram", account_id="2", bound_at=BOUND))
        engine.dispose()

        command.upgrade(alembic_config(url), "k_case_casework")

        engine = make_engine(url)
        with UnitOfWorkFactory(make_session_factory(engine))() as uow:
            started = {s.id: s.started_at for s in uow.session.query(School)}
        engine.dispose()
        assert started == {1: BOUND, 2: BOUND, 3: None}  # the earlier of the two; no use yet: its import starts it
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
