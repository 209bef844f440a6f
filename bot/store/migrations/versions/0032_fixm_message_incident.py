"""family_messages.incident_id: the incident a family member's words answered (its alert, an all clear)

Revision ID: fixm_message_incident
Revises: conv6u_message_children
Create Date: 2026-12-06 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "fixm_message_incident"
down_revision = "conv6u_message_children"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Words sent in answer to an incident alert belong to the incident: a child's card shows them only to a
    # reader the incident reached (DESIGN.md "Privacy"). No foreign key: an incident is never deleted before
    # its messages, and the erasure of a child empties both (as copy_of_id, conv6u_message_children).
    op.add_column("family_messages", sa.Column("incident_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("family_messages", "incident_id")
