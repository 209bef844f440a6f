"""The e10_erase_links migration: meeting places and delivery errors written in clear get encrypted, the four
person columns an erasure empties accept NULL, and a downgrade is refused while an erased child's row has one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import JSON, DateTime, Integer, String, column, insert, inspect, select, table, text

from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import Meeting, OutboxMessage
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_migration_encryption import _url

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
PLACE = "张三家（清溪镇石门村三组12号）院子里"
# A platform's reason as long as the column allowed: it quoted the message and named the recipient.
ERROR = ("message rejected: Bad Request: can't parse entities in 张爷爷's message 孩子身上有淤青 "
         + "x" * 400)[:500]
BEFORE = "a_audit10_privacy_holes"
UNLINKED = {"incident_steps": "person_id", "checkins": "guardian_id", "family_messages": "from_person_id",
            "outbox": "person_id"}


def _fill_in_clear(url: str) -> None:
    """Rows as a_audit10_privacy_holes wrote them: the meeting's place and the delivery error in clear."""
    engine = make_engine(url)
    t = {name: table(name, *(column(c, kind) for c, kind in cols)) for name, cols in {
        "schools": [("id", Integer), ("name", String), ("timezone", String), ("locale", String)],
        "people": [("id", Integer), ("school_id", Integer), ("name", String), ("natural_key", String)],
        "meetings": [("id", Integer), ("school_id", Integer), ("kind", String), ("organiser_id", Integer),
                     ("starts_at", DateTime), ("place", String), ("created_at", DateTime)],
        "outbox": [("id", Integer), ("key", String), ("person_id", Integer), ("priority", String),
                   ("payload", JSON), ("created_at", DateTime), ("not_before", DateTime), ("attempts", Integer),
                   ("failed_at", DateTime), ("last_error", String)],
    }.items()}
    with engine.begin() as conn:
        conn.execute(insert(t["schools"]).values(id=1, name="示例小学", timezone="Asia/Shanghai", locale="zh_Hans"))
        conn.execute(insert(t["people"]).values(id=1, school_id=1, name="李老师", natural_key="s1:staff:t:李老师"))
        conn.execute(insert(t["meetings"]).values(id=1, school_id=1, kind="guardian_meeting", organiser_id=1,
                                                  starts_at=NOW, place=PLACE, created_at=NOW))
        conn.execute(insert(t["outbox"]).values(id=1, key="k1", person_id=1, priority="bulk",
                                                payload={"message_id": "x"}, created_at=NOW, not_before=NOW,
                                                attempts=1, failed_at=NOW, last_error=ERROR))
    engine.dispose()


def _raw(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        raw = [str(conn.scalar(text(q))) for q in ("SELECT place FROM meetings", "SELECT last_error FROM outbox")]
    engine.dispose()
    return raw


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_encrypts_places_and_errors_and_frees_the_person_columns(backend: str, tmp_path: Path) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), BEFORE)
        _fill_in_clear(url)

        prepare_database(url)  # the new migration, then the key checks

        raw = _raw(url)
        assert all(v.startswith("enc1:") for v in raw) and not [v for v in raw if "张" in v or "淤青" in v], raw
        engine = make_engine(url)
        with UnitOfWorkFactory(make_session_factory(engine))() as u:
            assert u.session.scalar(select(Meeting.place)) == PLACE
            assert u.session.scalar(select(OutboxMessage.last_error)) == ERROR
        columns = inspect(engine)
        assert {name: {c["name"]: c["nullable"] for c in columns.get_columns(name)}[col]
                for name, col in UNLINKED.items()} == dict.fromkeys(UNLINKED, True)
        with engine.begin() as conn:  # an erased child's delivery: nobody to point at
            conn.execute(text("UPDATE outbox SET person_id = NULL"))
        engine.dispose()

        with pytest.raises(RuntimeError, match="outbox.person_id is NULL"):
            command.downgrade(alembic_config(url), BEFORE)
        engine = make_engine(url)
        with engine.begin() as conn:
            assert conn.scalar(text("SELECT last_error FROM outbox")).startswith("enc1:")  # nothing was changed
            conn.execute(text("UPDATE outbox SET person_id = 1"))
        engine.dispose()

        command.downgrade(alembic_config(url), BEFORE)  # and back: the values in clear, NOT NULL again
        assert _raw(url) == [PLACE, ERROR]
        engine = make_engine(url)
        assert {c["name"]: c["nullable"] for c in inspect(engine).get_columns("checkins")}["guardian_id"] is False
        engine.dispose()
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
