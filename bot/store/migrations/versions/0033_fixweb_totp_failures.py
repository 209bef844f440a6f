"""web_sessions.totp_failures: wrong TOTP codes given in a session (the fifth ends it)

Revision ID: fixweb_totp_failures
Revises: fixm_message_incident
Create Date: 2026-12-06 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fixweb_totp_failures"
down_revision = "fixm_message_incident"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A second factor guessed without limit is no second factor: the session counts its wrong codes.
    op.add_column("web_sessions", sa.Column("totp_failures", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("web_sessions", "totp_failures")
