"""staff_totp.failures and locked_until: wrong TOTP codes per person, and the lock they earn; web_sessions.enrol_*

web_sessions.enrol_code_hash and enrol_ok_at: the first authenticator setup shows its key only after a code sent
to the person's chat is typed (break9: whoever opened the first sign-in link was shown the key).

Revision ID: fix9i_totp_lock
Revises: fixweb_totp_failures
Create Date: 2026-12-06 16:20:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "fix9i_totp_lock"
down_revision = "fixweb_totp_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Five guesses per session and a fresh /web link per session was 200 guesses in an afternoon (break9).
    with op.batch_alter_table("staff_totp") as batch:
        batch.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("locked_until", bot.store.models.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("enrol_code_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("enrol_ok_at", bot.store.models.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("enrol_ok_at")
        batch.drop_column("enrol_code_hash")
    with op.batch_alter_table("staff_totp") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failures")
