"""consents: guardians' answers to the privacy notice (PIPL art. 31)

Revision ID: p_consent_consent
Revises: d_deliv_heartbeats
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "p_consent_consent"
down_revision = "d_deliv_heartbeats"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("notice_version", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_consents_child_id_children")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_consents_person_id_people")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["people.id"], name=op.f("fk_consents_recorded_by_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_child_at", "consents", ["child_id", "at"], unique=False)
    op.create_index(op.f("ix_consents_person_id"), "consents", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_consents_person_id"), table_name="consents")
    op.drop_index("ix_consents_child_at", table_name="consents")
    op.drop_table("consents")
