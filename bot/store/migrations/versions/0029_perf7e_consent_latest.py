"""consents (child_id, id, decision): a child's latest consent answer from the index alone

Revision ID: perf7e_consent_latest
Revises: urgent6_urgent_chain
Create Date: 2026-12-05 00:30:00
"""

from alembic import op

revision = "perf7e_consent_latest"
down_revision = "urgent6_urgent_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The planners' consent check (bot.services.consent.granted_filter) per child of a city: with
    # (child_id, at) alone each child's answers were fetched and sorted by id; this one is a seek.
    op.create_index("ix_consents_child_latest", "consents", ["child_id", "id", "decision"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_consents_child_latest", table_name="consents")
