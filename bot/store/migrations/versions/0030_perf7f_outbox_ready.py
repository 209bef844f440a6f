"""outbox: drop ix_outbox_ready, which ix_outbox_queue supersedes (one index entry less per outbox row)

Revision ID: perf7f_outbox_ready
Revises: perf7e_consent_latest
Create Date: 2026-12-05 21:30:00
"""

from alembic import op

revision = "perf7f_outbox_ready"
down_revision = "perf7e_consent_latest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Issue 7: a city's Friday writes 260,000 outbox rows in seconds, each with an entry in every index of
    # the table. (sent_at, failed_at, priority, not_before) served the claim query before 0013; every query
    # on pending rows now goes through the partial ix_outbox_queue or a selective key, person or child index.
    op.drop_index("ix_outbox_ready", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_ready", "outbox", ["sent_at", "failed_at", "priority", "not_before"], unique=False)
