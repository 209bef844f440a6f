"""The second encryption migration: letter replies, dashboard edits and TOTP secrets written in clear get encrypted."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, column, insert, select, table, text

from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import DashboardEdit, LetterReply, StaffTotp
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory
from tests.store.test_migration_encryption import _url

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
REPLY = "乖孩子，爸爸过年就回来，听奶奶的话"
OLD_ADDRESS = "清溪镇石门村三组12号"
NEW_ADDRESS = "清溪镇石门村五组3号"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _fill_in_clear(url: str) -> None:
    """Rows as k_fig_web wrote them: the reply, the edited address and the TOTP secret in clear."""
    engine = make_engine(url)
    t = {name: table(name, *(column(c, kind) for c, kind in cols)) for name, cols in {
        "schools": [("id", Integer), ("name", String), ("timezone", String), ("locale", String)],
        "people": [("id", Integer), ("school_id", Integer), ("name", String), ("natural_key", String)],
        "children": [("id", Integer), ("school_id", Integer), ("name", String), ("student_no", String),
                     ("active", Boolean)],
        "letters": [("id", Integer), ("child_id", Integer), ("teacher_id", Integer), ("photos", JSON),
                    ("created_at", DateTime)],
        "letter_replies": [("id", Integer), ("letter_id", Integer), ("parent_id", Integer), ("text", Text),
                           ("received_at", DateTime)],
        "dashboard_edits": [("id", Integer), ("person_id", Integer), ("child_id", Integer), ("field", String),
                            ("old_value", Text), ("new_value", Text), ("at", DateTime)],
        "staff_totp": [("id", Integer), ("person_id", Integer), ("secret", String)],
    }.items()}
    with engine.begin() as conn:
        conn.execute(insert(t["schools"]).values(id=1, name="示例小学", timezone="Asia/Shanghai", locale="zh_Hans"))
        conn.execute(insert(t["people"]).values(id=1, school_id=1, name="李老师", natural_key="s1:staff:t:李老师"))
        conn.execute(insert(t["people"]).values(id=2, school_id=1, name="张爸爸", natural_key="s1:parent:张爸爸:x"))
        conn.execute(insert(t["children"]).values(id=1, school_id=1, name="张三", student_no="G001", active=True))
        conn.execute(insert(t["letters"]).values(id=1, child_id=1, teacher_id=1, photos=[], created_at=NOW))
        conn.execute(insert(t["letter_replies"]).values(id=1, letter_id=1, parent_id=2, text=REPLY, received_at=NOW))
        conn.execute(insert(t["dashboard_edits"]).values(id=1, person_id=1, child_id=1, field="address",
                                                         old_value=OLD_ADDRESS, new_value=NEW_ADDRESS, at=NOW))
        conn.execute(insert(t["staff_totp"]).values(id=1, person_id=1, secret=SECRET))
    engine.dispose()


def _raw(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        raw = [str(v) for q in ("SELECT text FROM letter_replies", "SELECT old_value, new_value FROM dashboard_edits",
                                "SELECT secret FROM staff_totp") for row in conn.execute(text(q)) for v in row]
    engine.dispose()
    return raw


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_encrypts_replies_edits_and_totp_secrets_and_downgrading_restores_them(
    backend: str, tmp_path: Path
) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), "k_fig_web")
        _fill_in_clear(url)

        prepare_database(url)  # the new migration, then the key check

        raw = _raw(url)
        assert len(raw) == 4 and all(v.startswith("enc1:") for v in raw)
        assert not [v for v in raw if REPLY in v or OLD_ADDRESS in v or NEW_ADDRESS in v or SECRET in v]
        engine = make_engine(url)
        with UnitOfWorkFactory(make_session_factory(engine))() as u:
            s = u.session
            assert s.scalar(select(LetterReply.text)) == REPLY
            assert s.execute(select(DashboardEdit.old_value, DashboardEdit.new_value)).one() == (
                OLD_ADDRESS, NEW_ADDRESS)
            assert s.scalar(select(StaffTotp.secret)) == SECRET
        engine.dispose()

        command.downgrade(alembic_config(url), "k_fig_web")  # and back: the clear values return
        assert sorted(_raw(url)) == sorted([REPLY, OLD_ADDRESS, NEW_ADDRESS, SECRET])
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
