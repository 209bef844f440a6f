"""the outbox sender: leases counted per row

outbox.claims: leases taken on the row; one more than its attempts means a worker
stopped mid-send, and the row is sent again marked as a possible repeat.

Revision ID: d_deliv_sender
Revises: p_crypt_encryption
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d_deliv_sender"
down_revision = "p_crypt_encryption"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claims")
