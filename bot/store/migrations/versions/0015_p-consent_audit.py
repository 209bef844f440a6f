"""audit_log (append-only), children.left_at and children.erased_at (retention and erasure)

Revision ID: p_consent_audit
Revises: p_consent_consent
Create Date: 2026-12-03 09:20:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models
from bot.store.models.audit import NO_UPDATE_PG_FUNCTION, NO_UPDATE_PG_TRIGGER, NO_UPDATE_SQLITE

revision = "p_consent_audit"
down_revision = "p_consent_consent"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["people.id"], name=op.f("fk_audit_log_actor_id_people")),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_audit_log_child_id_children")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_child_at", "audit_log", ["child_id", "at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NO_UPDATE_PG_FUNCTION)
        op.execute(NO_UPDATE_PG_TRIGGER)
    else:
        op.execute(NO_UPDATE_SQLITE)
    with op.batch_alter_table("children") as batch:
        batch.add_column(sa.Column("left_at", _UTC, nullable=True))
        batch.add_column(sa.Column("erased_at", _UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("children") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("left_at")
    op.drop_index("ix_audit_log_child_at", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
