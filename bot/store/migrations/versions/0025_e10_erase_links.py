"""an erased child's rows point at nobody; meeting places and delivery errors encrypted

incident_steps.person_id, checkins.guardian_id, family_messages.from_person_id, outbox.person_id,
family_calls.parent_id and requested_by_id, letter_replies.parent_id: NULL allowed, so that erasing a child (``guanai erase``, the daily purge) cuts the rows kept for the figures
from the relatives they named (bot.services.retention_links). Existing rows keep their values.

meetings.place (a family's home, at times) and outbox.last_error (a platform's reason can quote the
message or name the recipient): encrypted at rest like the other texts; existing rows are encrypted
with the current data key in batches (bot.store.migration_crypto); ``guanai keys rotate`` re-encrypts
them (bot.store.keys.ENCRYPTED). Neither is ever filtered on in SQL.

A downgrade is refused while an erased child's rows hold a NULL there: making the columns NOT NULL
again would need those rows deleted, which the figures count.

Revision ID: e10_erase_links
Revises: a_audit10_privacy_holes
Create Date: 2026-12-14 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from bot.store import crypto, migration_crypto

revision = "e10_erase_links"
down_revision = "a_audit10_privacy_holes"
branch_labels = None
depends_on = None

# (table, column) the erasure sets to NULL; each had NOT NULL.
UNLINKED = [("incident_steps", "person_id"), ("checkins", "guardian_id"), ("family_messages", "from_person_id"),
            ("outbox", "person_id"), ("family_calls", "parent_id"), ("family_calls", "requested_by_id"),
            ("letter_replies", "parent_id")]
# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext, NOT NULL and nullable ones.
WIDENED = {("meetings", "place"): 200}
WIDENED_NULLABLE = {("outbox", "last_error"): 500}
TEXTS = [*WIDENED, *WIDENED_NULLABLE]


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
    migration_crypto.widen(conn, op, WIDENED, nullable=False)
    migration_crypto.widen(conn, op, WIDENED_NULLABLE, nullable=True)
    migration_crypto.encrypt_texts(conn, keyring, TEXTS)


def downgrade() -> None:
    conn = op.get_bind()
    for table, column in UNLINKED:
        t = sa.table(table, sa.column(column, sa.Integer))
        if conn.scalar(sa.select(sa.func.count()).select_from(t).where(t.c[column].is_(None))):
            raise RuntimeError(f"{table}.{column} is NULL in rows of erased children: they would have to be "
                               "deleted to make the column NOT NULL again; not downgrading")
    keyring = crypto.current()
    migration_crypto.decrypt_texts(conn, keyring, TEXTS)
    migration_crypto.narrow(conn, op, WIDENED, nullable=False)
    migration_crypto.narrow(conn, op, WIDENED_NULLABLE, nullable=True)
    for table, columns in _by_table().items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
