"""encryption at rest, the rest: letter replies, dashboard edits' values, admins' TOTP secrets

letter_replies.text: a parent's words to their child; dashboard_edits.old_value/new_value: a card's values
(an address, a phone, a health note) before and after an edit on the dashboard; staff_totp.secret: an
admin's TOTP secret (a raw dump must not give the second factor away). Existing rows are encrypted with
the current data key in batches, like p_crypt_encryption; ``guanai keys rotate`` re-encrypts them
(bot.store.keys.ENCRYPTED).

Revision ID: p_crypt_more_encryption
Revises: k_fig_web
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.store import crypto

revision = "p_crypt_more_encryption"  # "p-crypt_more_encryption": alembic refuses "-" in an id
down_revision = "k_fig_web"
branch_labels = None
depends_on = None

# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("staff_totp", "secret"): 64}
TEXTS = [*WIDENED, ("letter_replies", "text"), ("dashboard_edits", "old_value"), ("dashboard_edits", "new_value")]
DOCUMENTS: list[tuple[str, str]] = []
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
