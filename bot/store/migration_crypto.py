"""Encrypting and decrypting existing rows in Alembic migrations, in batches (frozen: migrations import it).

Each migration that turns a clear column into ciphertext (bot.store.crypto, ``enc:`` prefix) walks the
table by primary key in batches of :data:`BATCH` rows, so that a large table is never loaded at once, and
skips values that are already ciphertext (or already clear, on the way down), so that a migration run
twice, or over rows written by a newer bot, changes nothing.

Frozen on purpose: migrations must keep doing what they did when they were written, so this module only
ever gains functions; a changed behaviour is a new function.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa

from bot.store import crypto

BATCH = 2000
"""Rows read and written per statement (bounded memory; one UPDATE with this many parameter sets)."""


def rows(conn: Any, table: str, column: str, kind: Any = sa.Text) -> Iterator[tuple[Any, list[Any]]]:
    """Yield ``(table, [(id, value), ...])`` in batches of non-NULL values, by ascending ``id``.

    Args:
        conn: The migration's connection (``op.get_bind()``).
        table: Table name; it must have an integer primary key named ``id``.
        column: The column to read.
        kind: Its SQLAlchemy type as seen by this migration (``sa.Text`` or ``sa.JSON``).
    """
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, kind))
    last = 0
    while True:
        batch = conn.execute(sa.select(t.c.id, t.c[column]).where(t.c.id > last, t.c[column].is_not(None))
                             .order_by(t.c.id).limit(BATCH)).all()
        if not batch:
            return
        yield t, batch
        last = batch[-1][0]


def _write(conn: Any, t: Any, column: str, todo: list[dict[str, Any]]) -> None:
    if todo:
        conn.execute(t.update().where(t.c.id == sa.bindparam("i")).values({column: sa.bindparam("v")}), todo)


def _is_cipher(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(crypto.PREFIX)


def encrypt_texts(conn: Any, keyring: crypto.Keyring, columns: Iterable[tuple[str, str]]) -> None:
    """Encrypt the clear text values of each ``(table, column)``; context ``"table.column"``."""
    for table, column in columns:
        context = f"{table}.{column}"
        for t, chunk in rows(conn, table, column):
            _write(conn, t, column, [{"i": i, "v": keyring.encrypt(v, context)} for i, v in chunk
                                     if not _is_cipher(v)])


def decrypt_texts(conn: Any, keyring: crypto.Keyring, columns: Iterable[tuple[str, str]]) -> None:
    """Undo :func:`encrypt_texts` (downgrades): ciphertext back to clear text."""
    for table, column in columns:
        context = f"{table}.{column}"
        for t, chunk in rows(conn, table, column):
            _write(conn, t, column, [{"i": i, "v": keyring.decrypt(v, context)} for i, v in chunk
                                     if _is_cipher(v)])


def encrypt_documents(conn: Any, keyring: crypto.Keyring, columns: Iterable[tuple[str, str]]) -> None:
    """Encrypt JSON documents of each ``(table, column)`` as their JSON text (``crypto.as_json_text``)."""
    for table, column in columns:
        context = f"{table}.{column}"
        for t, chunk in rows(conn, table, column, sa.JSON):
            _write(conn, t, column, [{"i": i, "v": keyring.encrypt(crypto.as_json_text(v), context)}
                                     for i, v in chunk if not _is_cipher(v)])


def decrypt_documents(conn: Any, keyring: crypto.Keyring, columns: Iterable[tuple[str, str]]) -> None:
    """Undo :func:`encrypt_documents` (downgrades): ciphertext back to the JSON document."""
    for table, column in columns:
        context = f"{table}.{column}"
        for t, chunk in rows(conn, table, column, sa.JSON):
            _write(conn, t, column, [{"i": i, "v": json.loads(keyring.decrypt(v, context))} for i, v in chunk
                                     if _is_cipher(v)])


def widen(conn: Any, op: Any, widened: Mapping[tuple[str, str], int], *, nullable: bool) -> None:
    """Drop the length of ``VARCHAR(n)`` columns that will hold ciphertext (PostgreSQL only).

    SQLite never enforced lengths; ciphertext is longer than the value it hides.
    """
    if conn.dialect.name == "postgresql":
        for table, column in widened:
            op.alter_column(table, column, type_=sa.String(), existing_nullable=nullable)


def narrow(conn: Any, op: Any, widened: Mapping[tuple[str, str], int], *, nullable: bool) -> None:
    """Undo :func:`widen` (downgrades), once the values are clear text again."""
    if conn.dialect.name == "postgresql":
        for (table, column), length in widened.items():
            op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=nullable)
