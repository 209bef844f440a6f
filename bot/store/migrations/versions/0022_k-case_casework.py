"""case work: tasks with due times and outcomes, card changes, education plans, aid, roster lifecycle

tasks.due_at / outcome / closed_by_id / handed_from_id: tasks are listed, closed with an outcome, handed on.
record_changes: a child's card corrected in chat, relations and roles ended by a re-import, tasks handed on.
education_plans (+ people, reviews, notes): individual education plans (个别教育管理方案).
Their free text (outcomes, goals, measures, notes, aid items, changed values) is stored encrypted (TEXTS, DOCUMENTS).
aid_records: aid given to a child (资助).
schools.started_at, people.left_at (children.left_at is p_consent_audit's), child_relations.unable_to_guard, person_schools:
the roster's lifecycle (issue 9, item 4).

Revision ID: k_case_casework
Revises: family8_notes
Create Date: 2026-12-03 08:00:00
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision = "k_case_casework"
down_revision = "family8_notes"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)

# Free text about a child, encrypted at rest from its first row (bot.store.keys.ENCRYPTED): the columns are new
# (tasks.outcome too), so no plain value exists to encrypt here. TEXTS are TEXT columns, DOCUMENTS JSON ones.
TEXTS = [("tasks", "outcome"), ("record_changes", "old_value"), ("record_changes", "new_value"),
         ("education_plan_reviews", "note"), ("education_plan_notes", "text"), ("aid_records", "items")]
DOCUMENTS = [("education_plans", "goals"), ("education_plans", "measures")]


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("due_at", _UTC, nullable=True))
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("handed_from_id", sa.Integer(), nullable=True))
        batch.create_index("ix_tasks_due_at", ["due_at"])
        batch.create_foreign_key("fk_tasks_closed_by_id_people", "people", ["closed_by_id"], ["id"])
        batch.create_foreign_key("fk_tasks_handed_from_id_people", "people", ["handed_from_id"], ["id"])
    # Plain ADD COLUMNs: SQLite's batch mode would recreate these referenced tables (a DROP TABLE refused
    # by their foreign keys once they hold rows).
    op.add_column("schools", sa.Column("started_at", _UTC, nullable=True))
    op.add_column("people", sa.Column("left_at", _UTC, nullable=True))
    op.add_column("child_relations",
                  sa.Column("unable_to_guard", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "person_schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("since", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_person_schools_person_id_people",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_person_schools_school_id_schools"),
        sa.PrimaryKeyConstraint("id", name="pk_person_schools"),
        sa.UniqueConstraint("person_id", "school_id", name="uq_person_schools_person_id"),
    )
    op.create_index("ix_person_schools_person_id", "person_schools", ["person_id"])
    op.create_index("ix_person_schools_school_id", "person_schools", ["school_id"])
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", _UTC, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_record_changes_school_id_schools"),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name="fk_record_changes_child_id_children"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["people.id"], name="fk_record_changes_changed_by_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_record_changes"),
    )
    op.create_index("ix_record_changes_school_id", "record_changes", ["school_id"])
    op.create_index("ix_record_changes_child_id", "record_changes", ["child_id"])
    op.create_table(
        "education_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("talk_record_id", sa.Integer(), nullable=True),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", _UTC, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_at", _UTC, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name="fk_education_plans_child_id_children"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_education_plans_school_id_schools"),
        sa.ForeignKeyConstraint(["talk_record_id"], ["talk_records.id"],
                                name="fk_education_plans_talk_record_id_talk_records"),
        sa.ForeignKeyConstraint(["opened_by_id"], ["people.id"], name="fk_education_plans_opened_by_id_people"),
        sa.ForeignKeyConstraint(["closed_by_id"], ["people.id"], name="fk_education_plans_closed_by_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_education_plans"),
        sa.UniqueConstraint("request_key", name="uq_education_plans_request_key"),
    )
    op.create_index("ix_education_plans_child_id", "education_plans", ["child_id"])
    op.create_index("ix_education_plans_school_id", "education_plans", ["school_id"])
    op.create_table(
        "education_plan_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["education_plans.id"],
                                name="fk_education_plan_people_plan_id_education_plans"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_education_plan_people_person_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_education_plan_people"),
        sa.UniqueConstraint("plan_id", "person_id", name="uq_education_plan_people_plan_id"),
    )
    op.create_index("ix_education_plan_people_plan_id", "education_plan_people", ["plan_id"])
    op.create_index("ix_education_plan_people_person_id", "education_plan_people", ["person_id"])
    op.create_table(
        "education_plan_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reminded_at", _UTC, nullable=True),
        sa.Column("done_at", _UTC, nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["education_plans.id"],
                                name="fk_education_plan_reviews_plan_id_education_plans"),
        sa.ForeignKeyConstraint(["done_by_id"], ["people.id"], name="fk_education_plan_reviews_done_by_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_education_plan_reviews"),
        sa.UniqueConstraint("plan_id", "due_on", name="uq_education_plan_reviews_plan_id"),
    )
    op.create_index("ix_education_plan_reviews_plan_id", "education_plan_reviews", ["plan_id"])
    op.create_table(
        "education_plan_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("written_at", _UTC, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["education_plans.id"],
                                name="fk_education_plan_notes_plan_id_education_plans"),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"], name="fk_education_plan_notes_author_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_education_plan_notes"),
    )
    op.create_index("ix_education_plan_notes_plan_id", "education_plan_notes", ["plan_id"])
    op.create_table(
        "aid_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("items", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("given_by", sa.String(length=200), nullable=True),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", _UTC, nullable=False),
        sa.Column("import_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name="fk_aid_records_child_id_children"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_aid_records_school_id_schools"),
        sa.ForeignKeyConstraint(["given_by_id"], ["people.id"], name="fk_aid_records_given_by_id_people"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["people.id"], name="fk_aid_records_recorded_by_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_aid_records"),
        sa.UniqueConstraint("import_key", name="uq_aid_records_import_key"),
    )
    op.create_index("ix_aid_records_child_id", "aid_records", ["child_id"])
    op.create_index("ix_aid_records_school_id", "aid_records", ["school_id"])
    # Tasks from before this revision were never closable: they are due since they were created.
    op.execute("UPDATE tasks SET due_at = created_at WHERE due_at IS NULL")
    _backfill_started_at()


def _backfill_started_at() -> None:
    """A school from before this revision started with its first chat binding or talk record, whichever came first.

    Without it every such school would be told on upgrade day that last month's talks were all missed.
    A school with neither keeps NULL: its next import starts it.
    """
    conn = op.get_bind()
    schools = sa.table("schools", sa.column("id", sa.Integer), sa.column("started_at", _UTC))
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("school_id", sa.Integer))
    children = sa.table("children", sa.column("id", sa.Integer), sa.column("school_id", sa.Integer))
    accounts = sa.table("chat_accounts", sa.column("person_id", sa.Integer), sa.column("bound_at", _UTC))
    talks = sa.table("talk_records", sa.column("child_id", sa.Integer), sa.column("talked_at", _UTC))
    first: dict[int, datetime] = {}
    for school_id, at in [
        *conn.execute(sa.select(people.c.school_id, sa.func.min(accounts.c.bound_at))
                      .select_from(accounts.join(people, people.c.id == accounts.c.person_id))
                      .group_by(people.c.school_id)),
        *conn.execute(sa.select(children.c.school_id, sa.func.min(talks.c.talked_at))
                      .select_from(talks.join(children, children.c.id == talks.c.child_id))
                      .group_by(children.c.school_id)),
    ]:
        if at is not None and (school_id not in first or at < first[school_id]):
            first[school_id] = at
    for school_id, at in first.items():
        conn.execute(schools.update().where(schools.c.id == school_id, schools.c.started_at.is_(None))
                     .values(started_at=at))


def downgrade() -> None:
    for table in ("aid_records", "education_plan_notes", "education_plan_reviews", "education_plan_people",
                  "education_plans", "record_changes", "person_schools"):
        op.drop_table(table)
    op.drop_column("child_relations", "unable_to_guard")
    op.drop_column("people", "left_at")
    op.drop_column("schools", "started_at")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint("fk_tasks_handed_from_id_people", type_="foreignkey")
        batch.drop_constraint("fk_tasks_closed_by_id_people", type_="foreignkey")
        batch.drop_index("ix_tasks_due_at")
        batch.drop_column("handed_from_id")
        batch.drop_column("closed_by_id")
        batch.drop_column("outcome")
        batch.drop_column("due_at")
