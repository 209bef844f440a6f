"""family messages: every child a message is about (family_message_children), copies found by key (copy_of_id)

A grandmother's ``两个孩子都感冒了`` was kept under the first child only; the other child's teachers, digest,
card and erasure never saw it. ``family_message_children`` holds one row per child a message is about.
Back-filled from the existing rows:

* every message, note and answer: the child it is filed under (``family_messages.child_id``);
* an URGENT message about several children: each further child's ``message_also`` row (a plain column);
* a message about several children with one reader (bot.services.family_together, before this revision):
  the other children are named only in the reader's copy in the outbox, which is encrypted — that one row
  (found by its exact key ``family:<id>:to:<reader>``) is decrypted, for writers with several children only,
  and the names it lists are matched against the writer's own children (a name no child of theirs has is
  not linked).

``family_messages.copy_of_id``: the same words passed to a second reader are a copy of the first row.
Back-filled without decrypting: messages of one writer about one child at the very same moment were
written by one handling of one inbound message (the old code compared their decrypted words as well).

Revision ID: conv6u_message_children
Revises: perf7f_outbox_ready
Create Date: 2026-12-06 01:00:00
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.store import crypto

revision = "conv6u_message_children"
down_revision = "perf7f_outbox_ready"
branch_labels = None
depends_on = None

FAMILY_KINDS = ("entrusted_guardian", "father", "mother")


def upgrade() -> None:
    # A plain column, no foreign key: SQLite could add or drop one only by copying family_messages, whose own
    # rows (an answer's answer_to_id) stop that copy being dropped while foreign keys are enforced.
    op.add_column("family_messages", sa.Column("copy_of_id", sa.Integer(), nullable=True))
    op.create_index("ix_family_messages_copy_of_id", "family_messages", ["copy_of_id"])
    op.create_table(
        "family_message_children",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["family_messages.id"], ondelete="CASCADE",
                                name="fk_family_message_children_message_id_family_messages"),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], ondelete="CASCADE",
                                name="fk_family_message_children_child_id_children"),
        sa.PrimaryKeyConstraint("message_id", "child_id", name="pk_family_message_children"),
    )
    op.create_index("ix_family_message_children_child_id", "family_message_children", ["child_id"])
    conn = op.get_bind()
    conn.execute(sa.text(
        "INSERT INTO family_message_children (message_id, child_id) "
        "SELECT id, child_id FROM family_messages WHERE child_id IS NOT NULL AND kind <> 'message_also'"))
    conn.execute(sa.text(  # an URGENT message's further children (bot.services.urgent_messages._also_for)
        "INSERT INTO family_message_children (message_id, child_id) "
        "SELECT DISTINCT a.answer_to_id, a.child_id FROM family_messages a "
        "JOIN family_messages m ON m.id = a.answer_to_id "
        "WHERE a.kind = 'message_also' AND a.child_id IS NOT NULL AND m.child_id <> a.child_id"))
    _together(conn)
    conn.execute(sa.text(
        "UPDATE family_messages SET copy_of_id = (SELECT MIN(f.id) FROM family_messages f "
        "WHERE f.kind = 'message' AND f.from_person_id = family_messages.from_person_id "
        "AND f.child_id = family_messages.child_id AND f.created_at = family_messages.created_at) "
        "WHERE kind = 'message' AND from_person_id IS NOT NULL AND child_id IS NOT NULL"))
    conn.execute(sa.text("UPDATE family_messages SET copy_of_id = NULL WHERE copy_of_id = id"))


def _together(conn: Any) -> None:
    """The further children of a message about several children with one reader, read from its outbox copy."""
    rows = conn.execute(sa.text(
        "SELECT m.id, m.child_id, m.from_person_id, o.payload FROM family_messages m "
        "JOIN outbox o ON o.key = 'family:' || CAST(m.id AS VARCHAR(20)) || ':to:' "
        "|| CAST(m.to_person_id AS VARCHAR(20)) "
        "WHERE m.kind = 'message' AND m.child_id IS NOT NULL AND m.from_person_id IN ("
        "  SELECT person_id FROM child_relations WHERE person_id IS NOT NULL AND kind IN :kinds "
        "  GROUP BY person_id HAVING COUNT(DISTINCT child_id) > 1)"
    ).bindparams(sa.bindparam("kinds", FAMILY_KINDS, expanding=True))).all()
    if not rows:
        return
    keyring = crypto.current()
    for message_id, filed_under, writer, payload in rows:
        names = _names(keyring, payload)
        if len(names) < 2:
            continue
        children = conn.execute(sa.text(
            "SELECT DISTINCT c.id, c.name FROM children c JOIN child_relations r ON r.child_id = c.id "
            "WHERE r.person_id = :writer AND r.kind IN :kinds"
        ).bindparams(sa.bindparam("kinds", FAMILY_KINDS, expanding=True)), {"writer": writer}).all()
        by_name: dict[str, list[int]] = {}
        for child_id, name in children:
            by_name.setdefault(name, []).append(int(child_id))
        for name in names:
            found = by_name.get(name, [])
            if len(found) == 1 and found[0] != filed_under:  # two children of one name: neither is guessed
                conn.execute(sa.text("INSERT INTO family_message_children (message_id, child_id) "
                                     "VALUES (:m, :c)"), {"m": message_id, "c": found[0]})


def _names(keyring: Any, payload: Any) -> list[str]:
    """The child names a stored family prompt lists (its ``child`` parameter), empty when it names one."""
    try:
        if isinstance(payload, str) and not payload.startswith(crypto.PREFIX):
            payload = json.loads(payload)  # SQLite hands the JSON text back: the ciphertext as a JSON string
        if isinstance(payload, str) and payload.startswith(crypto.PREFIX):
            payload = json.loads(keyring.decrypt(payload, "outbox.payload"))
    except (ValueError, KeyError):
        return []
    named = (payload or {}).get("params", {}).get("child") if isinstance(payload, dict) else None
    if not isinstance(named, list):
        return []
    return [p["v"] for p in named if isinstance(p, dict) and p.get("$t") == "text" and isinstance(p.get("v"), str)]


def downgrade() -> None:
    op.drop_index("ix_family_message_children_child_id", table_name="family_message_children")
    op.drop_table("family_message_children")
    op.drop_index("ix_family_messages_copy_of_id", table_name="family_messages")
    op.drop_column("family_messages", "copy_of_id")
