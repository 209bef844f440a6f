"""The conv6u_message_children migration: every child an existing family message is about is linked, and the
copies of one message to two readers point at the first (no body decrypted to find them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Boolean, DateTime, Integer, String, column, insert, inspect, table, text

from bot.store.db import make_engine
from bot.store.migrate import alembic_config
from bot.store.models.base import EncryptedJSON, EncryptedText
from bot.store.schema import prepare_database
from tests.store.test_migration_encryption import _url

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
BEFORE = "perf7f_outbox_ready"
TINGTING, SHUAI, OTHER = 10, 11, 12
TEACHER, GRANDMOTHER, REPORTER = 1, 2, 3


def _named(*names: str) -> dict[str, Any]:
    """A reader's copy as bot.services.family_together stored it: the children named in ``params.child``."""
    return {"message_id": "{name} ({relation} of {child}, {class_name}) writes:",
            "params": {"name": {"$t": "text", "v": "李雪"},
                       "child": [{"$t": "text", "v": n} for n in names] if len(names) > 1
                       else {"$t": "text", "v": names[0]}}}


def _fill(url: str) -> None:
    """Rows as perf7f_outbox_ready's code wrote them."""
    engine = make_engine(url)
    t = {name: table(name, *(column(c, kind) for c, kind in cols)) for name, cols in {
        "schools": [("id", Integer), ("name", String), ("timezone", String), ("locale", String)],
        "people": [("id", Integer), ("school_id", Integer), ("name", String), ("natural_key", String)],
        "children": [("id", Integer), ("school_id", Integer), ("name", String), ("student_no", String),
                     ("active", Boolean)],
        "child_relations": [("id", Integer), ("child_id", Integer), ("kind", String), ("person_id", Integer)],
        "family_messages": [("id", Integer), ("kind", String), ("from_person_id", Integer),
                            ("to_person_id", Integer), ("child_id", Integer), ("answer_to_id", Integer),
                            ("body", EncryptedText("family_messages.body")), ("created_at", DateTime)],
        "outbox": [("id", Integer), ("key", String), ("person_id", Integer), ("priority", String),
                   ("payload", EncryptedJSON("outbox.payload")), ("created_at", DateTime),
                   ("not_before", DateTime), ("attempts", Integer)],
    }.items()}
    with engine.begin() as conn:
        conn.execute(insert(t["schools"]).values(id=1, name="示例小学", timezone="Asia/Shanghai", locale="zh_Hans"))
        for pid, name in ((TEACHER, "张老师"), (GRANDMOTHER, "李雪"), (REPORTER, "王老师"), (4, "张爷爷")):
            conn.execute(insert(t["people"]).values(id=pid, school_id=1, name=name, natural_key=f"k{pid}"))
        for cid, name in ((TINGTING, "刘婷婷"), (SHUAI, "刘帅"), (OTHER, "张三")):
            conn.execute(insert(t["children"]).values(id=cid, school_id=1, name=name, student_no=f"G{cid}",
                                                      active=True))
        for rid, (cid, pid) in enumerate(((TINGTING, GRANDMOTHER), (SHUAI, GRANDMOTHER), (OTHER, 4)), start=1):
            conn.execute(insert(t["child_relations"]).values(id=rid, child_id=cid, kind="entrusted_guardian",
                                                             person_id=pid))
        rows = [
            # 100: 两个孩子都感冒了 to their one class teacher, filed under 刘婷婷; her copy names both.
            (100, "message", GRANDMOTHER, TEACHER, TINGTING, None, "两个孩子都感冒了", NOW),
            # 101: an URGENT message about both; 102: 刘帅's row pointing at it.
            (101, "message", GRANDMOTHER, TEACHER, TINGTING, None, "孩子们不见了", NOW + timedelta(minutes=1)),
            (102, "message_also", GRANDMOTHER, TEACHER, SHUAI, 101, None, NOW + timedelta(minutes=1)),
            # 103, 104: the same words to the incident's reporter and to the class teacher.
            (103, "message", GRANDMOTHER, REPORTER, TINGTING, None, "她好点了吗", NOW + timedelta(minutes=2)),
            (104, "message", GRANDMOTHER, TEACHER, TINGTING, None, "她好点了吗", NOW + timedelta(minutes=2)),
            (105, "checkin_note", GRANDMOTHER, TEACHER, SHUAI, None, "刘帅咳嗽", NOW + timedelta(minutes=3)),
            (106, "answer", TEACHER, GRANDMOTHER, TINGTING, 100, "多喝水", NOW + timedelta(minutes=4)),
            # 107: another family's message (one child): its copy is never decrypted (one child only).
            (107, "message", 4, TEACHER, OTHER, None, "张三发烧", NOW + timedelta(minutes=5)),
        ]
        for mid, kind, frm, to, child, answer_to, body, at in rows:
            conn.execute(insert(t["family_messages"]).values(
                id=mid, kind=kind, from_person_id=frm, to_person_id=to, child_id=child, answer_to_id=answer_to,
                body=body, created_at=at))
        for oid, key, payload in ((1, f"family:100:to:{TEACHER}", _named("刘婷婷", "刘帅")),
                                  (2, f"family:104:to:{TEACHER}", _named("刘婷婷")),
                                  (3, f"family:107:to:{TEACHER}", _named("张三"))):
            conn.execute(insert(t["outbox"]).values(id=oid, key=key, person_id=TEACHER, priority="bulk",
                                                    payload=payload, created_at=NOW, not_before=NOW, attempts=0))
        assert str(conn.scalar(text("SELECT payload FROM outbox WHERE id = 1"))).lstrip('"').startswith("enc1:")
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_links_every_child_and_the_copies_and_downgrading_drops_them(backend: str,
                                                                                tmp_path: Path) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), BEFORE)
        _fill(url)

        prepare_database(url)

        engine = make_engine(url)
        with engine.connect() as conn:
            links = {tuple(r) for r in conn.execute(text(
                "SELECT message_id, child_id FROM family_message_children"))}
            copies = dict(conn.execute(text("SELECT id, copy_of_id FROM family_messages")).all())
        assert links == {(100, TINGTING), (100, SHUAI), (101, TINGTING), (101, SHUAI), (103, TINGTING),
                         (104, TINGTING), (105, SHUAI), (106, TINGTING), (107, OTHER)}
        assert copies == {100: None, 101: None, 102: None, 103: None, 104: 103, 105: None, 106: None, 107: None}
        engine.dispose()

        command.downgrade(alembic_config(url), BEFORE)
        engine = make_engine(url)
        found = inspect(engine)
        assert "family_message_children" not in found.get_table_names()
        assert "copy_of_id" not in {c["name"] for c in found.get_columns("family_messages")}
        engine.dispose()
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
