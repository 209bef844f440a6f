"""privacy holes found in the audit of issue 10: outbox rows name their child, API tokens encrypted, index key check

outbox.child_id: the one child a message is about (check-ins, reminders, monthly news, incident alerts,
letters, families' messages), so that erasing a child cancels what is not sent yet. Rows written before
keep NULL (the purge deletes them 90 days after they were sent).

api_tokens.token: the WeChat/WeCom access tokens, encrypted at rest like the other secrets (the bot must
present them, so they are encrypted, not hashed); existing rows are encrypted with the current data key.

index_key_checks: the blind index of a fixed text under the phone index key, so that a wrong
GUANAI_DATA_INDEX_KEY is refused at start-up instead of finding nobody by phone (bot.store.keys).

Revision ID: a_audit10_privacy_holes
Revises: c_natural_family_messages
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.store.models
from bot.store import crypto

revision = "a_audit10_privacy_holes"
down_revision = "c_natural_family_messages"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)
# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("api_tokens", "token"): 1024}
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


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("child_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_outbox_child_id_children", "children", ["child_id"], ["id"])
    op.create_index("ix_outbox_child_id", "outbox", ["child_id"])
    op.create_table(
        "index_key_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_value", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_index_key_checks"),
    )
    conn = op.get_bind()
    keyring = crypto.current()
    if conn.dialect.name == "postgresql":  # ciphertext is longer than the value (SQLite never enforced lengths)
        for (table, column), _length in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(), existing_nullable=False)
    for table, column in TEXTS:
        context = f"{table}.{column}"
        for t, chunk in _rows(conn, table, column):
            todo = [{"i": i, "v": keyring.encrypt(v, context)} for i, v in chunk if not v.startswith(crypto.PREFIX)]
            if todo:
                conn.execute(t.update().where(t.c.id == sa.bindparam("i")).values({column: sa.bindparam("v")}), todo)


def downgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    for table, column in TEXTS:
        context = f"{table}.{column}"
        for t, chunk in _rows(conn, table, column):
            conn.execute(t.update().where(t.c.id == sa.bindparam("i")).values({column: sa.bindparam("v")}),
                         [{"i": i, "v": keyring.decrypt(v, context)} for i, v in chunk])
    if conn.dialect.name == "postgresql":
        for (table, column), length in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=False)
    op.drop_table("index_key_checks")
    op.drop_index("ix_outbox_child_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_child_id_children", type_="foreignkey")
        batch.drop_column("child_id")
