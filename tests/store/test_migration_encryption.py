"""The encryption migration encrypts what an existing database holds in clear (issue 10, item 2)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, column, insert, select, table, text

from bot.services.identity import find_people
from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import Child, Conversation, FamilyCall, FamilyNews, LetterReply, OutboxMessage, Person
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PHONE = "+8613800131234"
ADDRESS = "清溪镇石门村三组12号"
NOTE = "孩子说继父打他，身上有淤青"


def _url(backend: str, tmp_path: Path) -> tuple[str, object]:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}", None
    base = os.environ.get("GUANAI_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("needs GUANAI_TEST_POSTGRES_URL")
    schema = f"e_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", (admin, schema)


def _fill_in_clear(url: str) -> None:
    """Rows as the previous version wrote them: phones, addresses and notes in clear."""
    engine = make_engine(url)
    schools = table("schools", column("id", Integer), column("name", String), column("timezone", String),
                    column("locale", String))
    people = table("people", column("id", Integer), column("school_id", Integer), column("name", String),
                   column("phone", String), column("natural_key", String))
    children = table("children", column("id", Integer), column("school_id", Integer), column("name", String),
                     column("student_no", String), column("active", Boolean), column("address", String),
                     column("note", Text))
    conversations = table("conversations", column("channel", String), column("account_id", String),
                          column("data", JSON), column("version", Integer), column("updated_at", DateTime))
    outbox = table("outbox", column("key", String), column("person_id", Integer), column("priority", String),
                   column("payload", JSON), column("created_at", DateTime), column("not_before", DateTime),
                   column("attempts", Integer))
    with engine.begin() as conn:
        conn.execute(insert(schools).values(id=1, name="示例小学", timezone="Asia/Shanghai", locale="zh_Hans"))
        conn.execute(insert(people).values(id=1, school_id=1, name="张奶奶", phone=PHONE,
                                           natural_key=f"s1:guardian:张奶奶:{PHONE}"))
        conn.execute(insert(people).values(id=2, school_id=1, name="张爸爸", phone=None,
                                           natural_key=f"s1:parent:张爸爸:family=张奶奶:{PHONE}"))
        conn.execute(insert(children).values(id=1, school_id=1, name="张三", student_no="G001", active=True,
                                             address=ADDRESS, note=NOTE))
        conn.execute(insert(conversations).values(channel="telegram", account_id="1", version=1, updated_at=NOW,
                                                  data={"draft": {"note": NOTE}}))
        conn.execute(insert(outbox).values(key="k1", person_id=1, priority="urgent", created_at=NOW,
                                           not_before=NOW, attempts=0,
                                           payload={"message_id": "x", "params": {"description": NOTE}}))
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_encrypts_every_clear_value_and_lookups_keep_working(backend: str, tmp_path: Path) -> None:
    url, cleanup = _url(backend, tmp_path)
    try:
        command.upgrade(alembic_config(url), "f_family_letters")
        _fill_in_clear(url)

        prepare_database(url)  # the encryption migration, then the key check

        engine = make_engine(url)
        with engine.connect() as conn:
            raw = [str(v) for q in ("SELECT phone, natural_key, phone_index FROM people",
                                    "SELECT address, note FROM children", "SELECT data FROM conversations",
                                    "SELECT payload FROM outbox") for row in conn.execute(text(q)) for v in row]
        assert not [v for v in raw if PHONE in v or PHONE[3:] in v or ADDRESS in v or "继父" in v]
        uow = UnitOfWorkFactory(make_session_factory(engine))
        with uow() as u:
            s = u.session
            assert s.scalar(select(Person.phone).where(Person.id == 1)) == PHONE
            assert (s.scalar(select(Child.address)), s.scalar(select(Child.note))) == (ADDRESS, NOTE)
            assert s.scalar(select(Conversation.data)) == {"draft": {"note": NOTE}}
            assert s.scalar(select(OutboxMessage.payload))["params"]["description"] == NOTE
            assert [p.id for p in find_people(u, "13800131234")] == [1]
            keys = dict(s.execute(select(Person.id, Person.natural_key)).all())
            assert keys[1].startswith("s1:guardian:张奶奶:#") and keys[2].startswith("s1:parent:张爸爸:family=张奶奶:#")
        engine.dispose()

        command.downgrade(alembic_config(url), "f_family_letters")  # and back: the clear values return
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT phone, natural_key FROM people WHERE id = 1")).one() == (
                PHONE, f"s1:guardian:张奶奶:{PHONE}")
            assert conn.scalar(text("SELECT note FROM children")) == NOTE
        engine.dispose()
    finally:
        if cleanup:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


CALL_NOTE = "孩子哭了，妈妈说过年不回来了"
NEWS_LINE = "小明这个月情绪低落，请多打电话"
REPLY = "妈妈想你，好好吃饭"


def test_the_family_links_notes_are_encrypted_by_their_own_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'family.db'}"
    command.upgrade(alembic_config(url), "k_fig_web")
    engine = make_engine(url)
    with engine.begin() as conn:  # rows as the previous version wrote them: the notes in clear
        conn.execute(text("INSERT INTO schools (id, name, timezone, locale) VALUES (1, '示例小学', 'Asia/Shanghai', "
                          "'zh_Hans')"))
        conn.execute(text("INSERT INTO people (id, school_id, name, natural_key) VALUES (1, 1, '王老师', 'k1')"))
        conn.execute(text("INSERT INTO children (id, school_id, name, student_no, active) "
                          "VALUES (1, 1, '张小明', 'G1', 1)"))
        conn.execute(text("INSERT INTO call_rooms (id, school_id, name, kind, slots, active) "
                          "VALUES (1, 1, '亲情电话', 'phone', 'mon 16:30-17:30/15', 1)"))
        conn.execute(text("INSERT INTO family_calls (id, school_id, child_id, room_id, parent_id, requested_by_id, "
                          "starts_at, minutes, status, requested_at, note) VALUES (1, 1, 1, 1, 1, 1, :t, 15, "
                          "'logged', :t, :n)"), {"t": NOW, "n": CALL_NOTE})
        conn.execute(text("INSERT INTO family_news (id, child_id, period, status, facts, drafted_at, note) "
                          "VALUES (1, 1, '2026-11', 'draft', '{}', :t, :n)"), {"t": NOW, "n": NEWS_LINE})
        conn.execute(text("INSERT INTO letters (id, child_id, teacher_id, photos, created_at) "
                          "VALUES (1, 1, 1, '[]', :t)"), {"t": NOW})
        conn.execute(text("INSERT INTO letter_replies (id, letter_id, parent_id, text, received_at) "
                          "VALUES (1, 1, 1, :n, :t)"), {"t": NOW, "n": REPLY})
    engine.dispose()

    prepare_database(url)

    engine = make_engine(url)
    with engine.connect() as conn:
        raw = [str(v) for q in ("SELECT note FROM family_calls", "SELECT note FROM family_news",
                                "SELECT text FROM letter_replies") for row in conn.execute(text(q)) for v in row]
    assert raw and all(v.startswith("enc1:") for v in raw)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    with uow() as u:
        assert u.session.scalar(select(FamilyCall.note)) == CALL_NOTE
        assert u.session.scalar(select(FamilyNews.note)) == NEWS_LINE
        assert u.session.scalar(select(LetterReply.text)) == REPLY
    engine.dispose()

    command.downgrade(alembic_config(url), "k_fig_web")  # and back: the clear values return
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT note FROM family_calls")) == CALL_NOTE
        assert conn.scalar(text("SELECT text FROM letter_replies")) == REPLY
    engine.dispose()
