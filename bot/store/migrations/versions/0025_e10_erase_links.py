"""an erased child's rows point at nobody; meeting places and delivery errors encrypted

incident_steps.person_id, checkins.guardian_id, family_messages.from_person_id, outbox.person_id,
family_calls.parent_id and requested_by_id, letter_replies.parent_id: NULL allowed, so that erasing a child (``guanai erase``, the daily purge) cuts the rows kept for the figures
from the relatives they named (bot.services.retention_links). Existing rows keep their values.

meetings.place (a family's home, at times) and outbox.last_error (a platform's reason can quote the
message or name the recipient): encrypted at rest like the other texts; existing rows are encrypted
with the current data key in batches, like p_crypt_more_encryption; ``guanai keys rotate`` re-encrypts
them (bot.store.keys.ENCRYPTED). Neither is ever filtered on in SQL.

A downgrade is refused while an erased child's rows hold a NULL there: making the columns NOT NULL
again would need those rows deleted, which the figures count.

Revision ID: e10_erase_links
Revises: a_audit10_privacy_holes
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.store import crypto

revision = "e10_erase_links"
down_revision = "a_audit10_privacy_holes"
branch_labels = None
depends_on = None

# (table, column) the erasure sets to NULL; each had NOT NULL.
UNLINKED = [("incident_steps", "person_id"), ("checkins", "guardian_id"), ("family_messages", "from_person_id"),
            ("outbox", "person_id"), ("family_calls", "parent_id"), ("family_calls", "requested_by_id"),
            ("letter_replies", "parent_id")]
# (table, column) → (length before, nullable): VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("meetings", "place"): (200, False), ("outbox", "last_error"): (500, True)}
TEXTS = [*WIDENED]
BATCH = 2000


def _rows(conn: Any, table: str, column: str) -> Iterator[tuple[Any, list[Any]]]:
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.Text))
    last = 0
    while True:
        batch = conn.execute(sa.select(t.c.id, t.c[column]).where(t.c.id > last, t.c[column].is_not(None))
                             .order_by(t.c.id).limit(BATCH)).all()
        if not batch:
            return
        yield t, batch
        last = batch[-1][0]


def _by_table() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for table, column in UNLINKED:
        tables.setdefault(table, []).append(column)
    return tables


def upgrade() -> None:
    for table, columns in _by_table().items():  # SQLite: one copy of each table
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.Integer(), nullable=True)
    conn = op.get_bind()
    keyring = crypto.current()
    if conn.dialect.name == "postgresql":  # ciphertext is longer than the value (SQLite never enforced lengths)
        for (table, column), (_length, nullable) in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(), existing_nullable=nullable)
    for table, column in TEXTS:
        context = f"{table}.{column}"
        for t, chunk in _rows(conn, table, column):
            todo = [{"i": i, "v": keyring.encrypt(v, context)} for i, v in chunk if not v.startswith(crypto.PREFIX)]
            if todo:
                conn.execute(t.update().where(t.c.id == sa.bindparam("i")).values({column: sa.bindparam("v")}), todo)


def downgrade() -> None:
    conn = op.get_bind()
    for table, column in UNLINKED:
        t = sa.table(table, sa.column(column, sa.Integer))
        if conn.scalar(sa.select(sa.func.count()).select_from(t).where(t.c[column].is_(None))):
            raise RuntimeError(f"{table}.{column} is NULL in rows of erased children: they would have to be "
                               "deleted to make the column NOT NULL again; not downgrading")
    keyring = crypto.current()
    for table, column in TEXTS:
        context = f"{table}.{column}"
        for t, chunk in _rows(conn, table, column):
            conn.execute(t.update().where(t.c.id == sa.bindparam("i")).values({column: sa.bindparam("v")}),
                         [{"i": i, "v": keyring.decrypt(v, context)} for i, v in chunk])
    if conn.dialect.name == "postgresql":
        for (table, column), (length, nullable) in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=nullable)
    for table, columns in _by_table().items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
