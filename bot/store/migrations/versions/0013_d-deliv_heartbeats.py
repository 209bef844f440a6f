"""worker heartbeats, shared pacing slots

worker_heartbeats: the last sign of life of each worker's sender, escalator and
scheduler, for /healthz and `guanai status`.
pacing_slots: the next free overall send slot per platform, shared by the workers.
outbox ix_outbox_queue: pending rows in claim order (priority DESC, not_before, id), a partial index.

Revision ID: d_deliv_heartbeats
Revises: d_deliv_sender
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "d_deliv_heartbeats"
down_revision = "d_deliv_sender"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("started_at", _UTC, nullable=False),
        sa.Column("beat_at", _UTC, nullable=False),
        sa.Column("progress_at", _UTC, nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_heartbeats")),
        sa.UniqueConstraint("worker", name=op.f("uq_worker_heartbeats_worker")),
    )
    op.create_index(op.f("ix_worker_heartbeats_role"), "worker_heartbeats", ["role"], unique=False)
    pending = sa.text("sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL")
    op.create_index("ix_outbox_queue", "outbox", [sa.text("priority DESC"), "not_before", "id"], unique=False,
                    sqlite_where=pending, postgresql_where=pending)
    op.create_table(
        "pacing_slots",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("next_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pacing_slots")),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_queue", table_name="outbox")
    op.drop_table("pacing_slots")
    op.drop_index(op.f("ix_worker_heartbeats_role"), table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
