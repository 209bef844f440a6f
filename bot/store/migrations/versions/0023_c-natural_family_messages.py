"""family messages: what families say outside any question, the teachers' answers, check-in notes for digests

family_messages: a guardian's or parent's message for the class teacher, the teacher's answer, a
check-in note for the helper teacher's daily digest (issue 6 item 4). The body is encrypted at rest.

Revision ID: c_natural_family_messages
Revises: k_case_casework
Create Date: 2026-12-03 08:30:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "c_natural_family_messages"
down_revision = "k_case_casework"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)
# Encrypted from the start (bot.store.models.EncryptedText): a new table has no clear text to migrate.
ENCRYPTED_FROM_THE_START = [("family_messages", "body")]


def upgrade() -> None:
    op.create_table(
        "family_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_person_id", sa.Integer(), nullable=False),
        sa.Column("to_person_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("answer_to_id", sa.Integer(), nullable=True),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("voice_media_id", sa.String(length=128), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("digested_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(["from_person_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["to_person_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"]),
        sa.ForeignKeyConstraint(["answer_to_id"], ["family_messages.id"]),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_family_messages_from_person_id", "family_messages", ["from_person_id"])
    op.create_index("ix_family_messages_to_digest", "family_messages", ["to_person_id", "digested_at"])


def downgrade() -> None:
    op.drop_index("ix_family_messages_to_digest", table_name="family_messages")
    op.drop_index("ix_family_messages_from_person_id", table_name="family_messages")
    op.drop_table("family_messages")
