"""Data keys in use: the start-up check and ``guanai keys rotate`` (issue 10, item 2; :mod:`bot.store.crypto`).

:func:`check` runs after the migrations (``bot.store.schema.prepare_database``):
every key id that encrypted data has a canary row in ``data_key_checks``; a
key id the keyring lacks, or a canary that does not decrypt, raises
:class:`~bot.store.crypto.DataKeyError` with a sentence for the operator —
before a single message is handled, instead of a traceback at the first
note read.

:func:`rotate` makes a new current key (key file: appended, the file is
rewritten 0600 first; ``GUANAI_DATA_KEY``: the first key listed), re-encrypts
every encrypted value and document with it in batches, and records its canary.
It also renews the phone index key (key file: a new one; ``GUANAI_DATA_INDEX_KEY``:
the first listed) and recomputes every blind index with it: ``people.phone_index``
and the phone tokens (``#<index>``) in people's natural keys. Old keys stay in
the file (backups need them; an interrupted rotation is finished by running it
again) unless ``forget_old``.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, Connection, Engine, Text, bindparam, column, delete, insert, select, table, text

from bot.messages.prompt import N_
from bot.store import crypto
from bot.store.crypto import DataKeyError, Keyring
from bot.store.models import DataKeyCheck, IndexKeyCheck

CANARY = "guanai data key check"
_CONTEXT = "data_key_checks.canary"
INDEX_CANARY = "guanai index key check"  # its blind index is the index key's check value

# Every encrypted column: (table, column, is a JSON document). Kept in step with the models by a test.
ENCRYPTED: list[tuple[str, str, bool]] = [
    ("people", "phone", False), ("people", "health", False), ("people", "work_place", False),
    ("children", "health", False), ("children", "address", False), ("children", "aid", False),
    ("children", "note", False), ("talk_records", "note", False), ("checkins", "follow_up_text", False),
    ("tasks", "detail", False), ("incidents", "description", False), ("incidents", "outcome_note", False),
    ("incident_events", "note", False), ("programme_tasks", "note", False),
    ("letter_replies", "text", False), ("dashboard_edits", "old_value", False),
    ("dashboard_edits", "new_value", False), ("staff_totp", "secret", False),
    ("family_news", "note", False), ("family_calls", "note", False),
    ("tasks", "outcome", False),
    ("record_changes", "old_value", False), ("record_changes", "new_value", False),
    ("education_plans", "goals", True), ("education_plans", "measures", True),
    ("education_plan_reviews", "note", False), ("education_plan_notes", "text", False),
    ("aid_records", "items", False),
    ("family_messages", "body", False),
    ("api_tokens", "token", False), ("meetings", "place", False), ("outbox", "last_error", False),
    ("outbox", "payload", True), ("conversations", "data", True), ("inbound_claims", "reply", True),
]
BATCH = 2000
_TOKEN = re.compile(r"#([0-9a-f]{32})")  # a phone's blind index in a natural key (bot.services.roster_check)


def _check_index(conn: Connection, keyring: Keyring, *, reindexing: bool, record: bool = True) -> None:
    """Refuse an index key that is not the one the blind indexes were computed with; record its check value.

    Without a stored check value (a database from before the check) the index
    key is tried on one person's phone first, so that a wrong key is not
    recorded as the right one.
    """
    expected = keyring.blind(INDEX_CANARY)
    stored = conn.scalar(select(IndexKeyCheck.check_value).order_by(IndexKeyCheck.id).limit(1))
    if stored is None:
        person = conn.execute(text("SELECT phone, phone_index FROM people WHERE phone IS NOT NULL "
                                   "AND phone_index IS NOT NULL ORDER BY id LIMIT 1")).first()
        if person is not None and keyring.blind(keyring.decrypt(person[0], "people.phone")) != person[1]:
            if not (reindexing and any(crypto.blind_with(old, keyring.decrypt(person[0], "people.phone"))
                                       == person[1] for old in keyring.old_index_keys)):
                raise DataKeyError(_WRONG_INDEX, source=_index_source(keyring))
            return  # rotation re-indexes, then records the check value (rotate)
        if record:
            conn.execute(insert(IndexKeyCheck).values(check_value=expected, created_at=datetime.now(UTC)))
        return
    if stored == expected:
        return
    if reindexing and any(crypto.blind_with(old, INDEX_CANARY) == stored for old in keyring.old_index_keys):
        return  # ``guanai keys rotate`` with the new index key listed first: it re-indexes now
    raise DataKeyError(_WRONG_INDEX, source=_index_source(keyring))


_WRONG_INDEX = N_("the phone index key from {source} is not the one this database's phone lookups were made with "
                "(phone lookups would find nobody); restore the index key of this database, or, to change it, "
                "list the new key first followed by the old one and run `guanai keys rotate`")


def _index_source(keyring: Keyring) -> str:
    if keyring.source == "GUANAI_DATA_KEY":
        return "GUANAI_DATA_INDEX_KEY" if os.environ.get("GUANAI_DATA_INDEX_KEY", "").strip() else \
            "GUANAI_DATA_KEY (the index key derived from it)"
    return keyring.source


def _record_index_check(engine: Engine, keyring: Keyring) -> None:
    with engine.begin() as conn:
        conn.execute(delete(IndexKeyCheck))
        conn.execute(insert(IndexKeyCheck).values(check_value=keyring.blind(INDEX_CANARY),
                                                  created_at=datetime.now(UTC)))


def check(engine: Engine, *, reindexing: bool = False, record: bool = True) -> None:
    """Refuse to go on with a keyring that cannot read this database; record the current keys' check values.

    Args:
        engine: the database.
        reindexing: ``guanai keys rotate`` is about to re-index: an earlier index key's check value is
            accepted (the new index key is listed first, the old one after it).
        record: False for ``guanai keys check``, which only reads: a check never writes.

    Raises:
        DataKeyError: a key id in use is missing, a canary does not decrypt, or the phone index key is
            not the one the database's blind indexes were computed with.
    """
    keyring = crypto.current()
    with engine.begin() as conn:
        rows = conn.execute(select(DataKeyCheck.key_id, DataKeyCheck.canary)).all()
        for key_id, canary in rows:
            if key_id not in keyring.keys:
                raise DataKeyError(N_("this database holds data encrypted with key {key}, which is not in {source}; "
                                      "restore the key file (or GUANAI_DATA_KEY) of this database"),
                                   key=key_id, source=keyring.source)
            if keyring.decrypt(canary, _CONTEXT) != CANARY:
                raise DataKeyError(N_("key {key} from {source} does not open this database"), key=key_id,
                                   source=keyring.source)
        if record and keyring.current not in {r[0] for r in rows}:
            conn.execute(insert(DataKeyCheck).values(key_id=keyring.current, created_at=datetime.now(UTC),
                                                     canary=keyring.encrypt(CANARY, _CONTEXT)))
        _check_index(conn, keyring, reindexing=reindexing, record=record)


def _reencrypt(engine: Engine, keyring: Keyring) -> int:
    changed = 0
    for name, col, document in ENCRYPTED:
        context = f"{name}.{col}"
        t = table(name, column("id"), column(col, JSON if document else Text))
        last = 0
        while True:
            with engine.begin() as conn:
                batch = conn.execute(select(t.c.id, t.c[col]).where(t.c.id > last, t.c[col].is_not(None))
                                     .order_by(t.c.id).limit(BATCH)).all()
                if not batch:
                    break
                last = batch[-1][0]
                todo = []
                for row_id, value in batch:
                    if not isinstance(value, str):
                        plain = crypto.as_json_text(value)  # a document written before encryption
                    elif document and not value.startswith(crypto.PREFIX):
                        plain = crypto.as_json_text(value)
                    else:
                        plain = keyring.decrypt(value, context)
                    if not (isinstance(value, str) and value.startswith(f"{crypto.PREFIX}{keyring.current}:")):
                        todo.append({"i": row_id, "v": keyring.encrypt(plain, context)})
                if todo:
                    conn.execute(t.update().where(t.c.id == bindparam("i")).values({col: bindparam("v")}), todo)
                    changed += len(todo)
    return changed


def _reindex(engine: Engine, keyring: Keyring) -> int:
    """Recompute people's phone index and the phone tokens of their natural keys with the current index key.

    A token is mapped through every earlier index key applied to every phone of
    the same school (natural keys name only their own school's people); a token
    already current, or of no known phone, is left as it is. Idempotent.
    """
    people = table("people", column("id"), column("school_id"), column("phone", Text), column("phone_index"),
                   column("natural_key"))
    changed = 0
    with engine.connect() as conn:
        schools = list(conn.scalars(select(people.c.school_id).distinct()))
    for school in schools:
        tokens: dict[str, str] = {}
        wanted: dict[int, str] = {}
        with engine.connect() as conn:
            for person_id, phone in conn.execute(select(people.c.id, people.c.phone).where(
                    people.c.school_id == school, people.c.phone.is_not(None))):
                plain = keyring.decrypt(phone, "people.phone")
                wanted[person_id] = keyring.blind(plain)
                tokens.update((crypto.blind_with(old, plain), wanted[person_id]) for old in keyring.old_index_keys)

        def renew(m: re.Match[str], tokens: dict[str, str] = tokens) -> str:
            return "#" + tokens.get(m.group(1), m.group(1))

        last = 0
        while True:
            with engine.begin() as conn:
                batch = conn.execute(select(people.c.id, people.c.phone_index, people.c.natural_key).where(
                    people.c.school_id == school, people.c.id > last).order_by(people.c.id).limit(BATCH)).all()
                if not batch:
                    break
                last = batch[-1][0]
                todo = []
                for person_id, index, key in batch:
                    new_key = _TOKEN.sub(renew, key)
                    if wanted.get(person_id) != index or new_key != key:
                        todo.append({"i": person_id, "x": wanted.get(person_id), "k": new_key})
                if todo:
                    conn.execute(people.update().where(people.c.id == bindparam("i"))
                                 .values(phone_index=bindparam("x"), natural_key=bindparam("k")), todo)
                    changed += len(todo)
    return changed


def rotate(engine: Engine, *, forget_old: bool = False) -> tuple[str, int, int]:
    """Make new current keys and re-encrypt and re-index everything with them.

    With the keys in a file, a new data key and a new index key are added to
    it (written 0600 before any value changes, so an interrupted rotation loses
    nothing: the old keys stay readable, and running it again finishes it).
    With ``GUANAI_DATA_KEY``, the first key listed is the new one: put the new
    key first, keep the old ones after it, and run this; likewise
    ``GUANAI_DATA_INDEX_KEY`` for the index key.

    Returns:
        ``(new data key id, values re-encrypted, people re-indexed)``.

    Raises:
        DataKeyError: as :func:`check`.
    """
    check(engine, reindexing=True)
    keyring = crypto.current()
    from_file = keyring.source not in ("GUANAI_DATA_KEY",) and os.path.exists(keyring.source)
    if from_file:
        key = crypto.new_key()
        old_indexes = tuple(dict.fromkeys((keyring.index_key, *keyring.old_index_keys)))
        keyring = Keyring({**keyring.keys, crypto.key_id(key): key}, crypto.key_id(key), crypto.new_key(),
                          keyring.source, old_index_keys=old_indexes)
        crypto.write_key_file(Path(keyring.source), keyring)
        crypto.install(keyring)
    changed = _reencrypt(engine, keyring)
    reindexed = _reindex(engine, keyring)
    _record_index_check(engine, keyring)
    check(engine)  # the new key's canary
    with engine.begin() as conn:
        conn.execute(delete(DataKeyCheck).where(DataKeyCheck.key_id != keyring.current))
    if forget_old and from_file:
        keyring = Keyring({keyring.current: keyring.keys[keyring.current]}, keyring.current, keyring.index_key,
                          keyring.source)
        crypto.write_key_file(Path(keyring.source), keyring)
        crypto.install(keyring)
    return keyring.current, changed, reindexed
