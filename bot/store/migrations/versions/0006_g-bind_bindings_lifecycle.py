"""binding lifecycle, addressed outbox rows, WeChat retries, ended relations

chat_accounts.pending_since: a staff binding waiting for an admin's confirmation.
outbox.to_channel / to_account: a message for one chat account, not the person's best one.
inbound_claims.reply_later: a retry came while the first attempt ran; reply by API.
seen_nonces.request_hash: the same nonce on a byte-identical request is a retry, not a replay.
checkins.cancelled_at, tasks.cancelled_at: the guardian's relation to the child ended.

Revision ID: 0006_bindings
Revises: 0005_g_cal
Create Date: 2026-12-02 20:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "0006_bindings"
down_revision = "0005_g_cal"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("chat_accounts") as batch:
        batch.add_column(sa.Column("pending_since", _UTC, nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("to_channel", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("to_account", sa.String(length=128), nullable=True))
    with op.batch_alter_table("inbound_claims") as batch:
        batch.add_column(sa.Column("reply_later", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("seen_nonces") as batch:
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("cancelled_at", _UTC, nullable=True))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("cancelled_at", _UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("seen_nonces") as batch:
        batch.drop_column("request_hash")
    with op.batch_alter_table("inbound_claims") as batch:
        batch.drop_column("reply_later")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("to_account")
        batch.drop_column("to_channel")
    with op.batch_alter_table("chat_accounts") as batch:
        batch.drop_column("pending_since")
