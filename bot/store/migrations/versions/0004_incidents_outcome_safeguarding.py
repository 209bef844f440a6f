"""incidents: outcome, exclusions, event notes; schools: phone, safeguarding policy

Issue 6 (items 2 and 5) and issue 10 (item 9): an incident is closed with an
outcome; a recipient can be left out of a chain (``excluded_at`` and the
reason in the event's ``note``); a second report is added to the first (the
event's ``note``); alerts carry the school's phone number; a school may
override its safeguarding chain.

Revision ID: 0004_incidents
Revises: 0003
Create Date: 2026-12-02 20:30:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "0004_incidents"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("schools", sa.Column("safeguarding_policy", sa.JSON(), nullable=True))
    op.add_column("schools", sa.Column("phone", sa.String(length=32), nullable=True))
    op.add_column("incidents", sa.Column("outcome", sa.String(length=32), nullable=True))
    op.add_column("incidents", sa.Column("outcome_note", sa.Text(), nullable=True))
    op.add_column("incident_steps",
                  sa.Column("excluded_at", bot.store.models.UtcDateTime(timezone=True), nullable=True))
    op.add_column("incident_events", sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident_events") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("incident_steps") as batch:
        batch.drop_column("excluded_at")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("outcome_note")
        batch.drop_column("outcome")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("phone")
        batch.drop_column("safeguarding_policy")
