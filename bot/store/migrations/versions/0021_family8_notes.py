"""family link fixes: call and news notes encrypted; cancelled meetings; news parts withheld

family_news.note and family_calls.note are free text about a child: existing rows are
encrypted with the current data key (bot.store.crypto), as p_crypt_encryption did for the older notes.
meetings.cancelled_at: a meeting called off by its organiser (no reminders, no attendance, not in the figures).
family_news.withheld: the parts of a month's news the class teacher chose not to share (never sent).

Revision ID: family8_notes
Revises: p_crypt_more_encryption
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models
from bot.store import crypto, migration_crypto

revision = "family8_notes"
down_revision = "p_crypt_more_encryption"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)

TEXTS = [("family_news", "note"), ("family_calls", "note")]  # letter_replies.text: p_crypt_more_encryption


def upgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    migration_crypto.encrypt_texts(conn, keyring, TEXTS)
    op.add_column("meetings", sa.Column("cancelled_at", _UTC, nullable=True))
    op.add_column("family_news", sa.Column("withheld", sa.JSON(), nullable=True))


def downgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    op.drop_column("family_news", "withheld")  # SQLite 3.35+ drops a column in place
    op.drop_column("meetings", "cancelled_at")
    migration_crypto.decrypt_texts(conn, keyring, TEXTS)
