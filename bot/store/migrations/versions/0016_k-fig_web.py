"""the dashboard: one-time sign-in links, sessions, admins' TOTP, card edits made on the web; term results

Revision ID: k_fig_web
Revises: p_consent_audit
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "k_fig_web"  # "k-fig_web": alembic refuses "-" in an id
down_revision = "p_consent_audit"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_login_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.Column("used_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_web_login_links_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_login_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_login_links_token_hash")),
    )
    op.create_index(op.f("ix_web_login_links_person_id"), "web_login_links", ["person_id"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.Column("last_seen_at", _UTC, nullable=False),
        sa.Column("totp_at", _UTC, nullable=True),
        sa.Column("ended_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_web_sessions_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    op.create_index(op.f("ix_web_sessions_person_id"), "web_sessions", ["person_id"], unique=False)
    op.create_table(
        "staff_totp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", _UTC, nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_staff_totp_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_totp")),
        sa.UniqueConstraint("person_id", name=op.f("uq_staff_totp_person_id")),
    )
    op.create_table(
        "dashboard_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_dashboard_edits_child_id_children")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_dashboard_edits_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_edits")),
    )
    op.create_index(op.f("ix_dashboard_edits_child_id"), "dashboard_edits", ["child_id"], unique=False)
    op.create_index(op.f("ix_dashboard_edits_person_id"), "dashboard_edits", ["person_id"], unique=False)
    op.create_table(
        "term_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=16), nullable=False),
        sa.Column("class_rank", sa.Integer(), nullable=True),
        sa.Column("serious_violation", sa.Boolean(), nullable=False),
        sa.Column("merit", sa.Boolean(), nullable=False),
        sa.Column("imported_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_term_results_child_id_children")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_results")),
        sa.UniqueConstraint("child_id", "term", name=op.f("uq_term_results_child_id")),
    )
    op.create_index(op.f("ix_term_results_child_id"), "term_results", ["child_id"], unique=False)


def downgrade() -> None:
    op.drop_table("term_results")
    op.drop_table("dashboard_edits")
    op.drop_table("staff_totp")
    op.drop_table("web_sessions")
    op.drop_table("web_login_links")
