"""outbox.waiting_since: a message waiting for the person's next message (WeChat's 48-hour window)

Revision ID: deliv7_outbox_waiting
Revises: e10b_erased_children
Create Date: 2026-12-04 17:10:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "deliv7_outbox_waiting"
down_revision = "e10b_erased_children"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("waiting_since", bot.store.models.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("waiting_since")
