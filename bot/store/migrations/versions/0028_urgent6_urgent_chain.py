"""family_messages.urgent_step / urgent_next_at: an unanswered URGENT family message escalates

Revision ID: urgent6_urgent_chain
Revises: deliv7_outbox_waiting
Create Date: 2026-12-04 21:40:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "urgent6_urgent_chain"
down_revision = "deliv7_outbox_waiting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("family_messages") as batch:
        batch.add_column(sa.Column("urgent_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("urgent_next_at", bot.store.models.UtcDateTime(timezone=True), nullable=True))
        batch.create_index("ix_family_messages_urgent_next_at", ["urgent_next_at"])


def downgrade() -> None:
    with op.batch_alter_table("family_messages") as batch:
        batch.drop_index("ix_family_messages_urgent_next_at")
        batch.drop_column("urgent_next_at")
        batch.drop_column("urgent_step")
