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

import sqlalchemy as sa
from alembic import op

import bot.store.models
from bot.store import crypto, migration_crypto

revision = "a_audit10_privacy_holes"
down_revision = "c_natural_family_messages"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)
# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("api_tokens", "token"): 1024}
TEXTS = [*WIDENED]


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
    migration_crypto.widen(conn, op, WIDENED, nullable=False)
    migration_crypto.encrypt_texts(conn, keyring, TEXTS)


def downgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    migration_crypto.decrypt_texts(conn, keyring, TEXTS)
    migration_crypto.narrow(conn, op, WIDENED, nullable=False)
    op.drop_table("index_key_checks")
    op.drop_index("ix_outbox_child_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_child_id_children", type_="foreignkey")
        batch.drop_column("child_id")
