"""erased_children: the blind index of each child erased on request, so a re-import does not restore them

``guanai erase`` records the HMAC blind index (the phone index's key) of the child's 学籍号, or of
name and birth date for a child without one; ``guanai import`` skips matching rows unless
``--restore-erased`` is given (bot.services.erased_children).

Revision ID: e10b_erased_children
Revises: e10_erase_links
Create Date: 2026-12-15 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "e10b_erased_children"
down_revision = "e10_erase_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erased_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("erased_at", bot.store.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_erased_children_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erased_children")),
    )
    op.create_index("ix_erased_children_school_digest", "erased_children", ["school_id", "digest"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_erased_children_school_digest", table_name="erased_children")
    op.drop_table("erased_children")
