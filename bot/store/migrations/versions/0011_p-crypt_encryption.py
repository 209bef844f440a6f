"""encryption at rest: encrypt existing notes, descriptions, phones, addresses, health; phone blind index

people.phone_index: HMAC of the phone (lookups); people's natural keys hold it instead of the phone.
data_key_checks: one encrypted canary per key id, so a wrong key is a clear error at start-up.
String columns that now hold ciphertext lose their length (PostgreSQL; SQLite never enforced it).
Existing rows are encrypted with the current data key (bot.store.crypto) in batches.

Revision ID: p_crypt_encryption
Revises: f_family_letters
Create Date: 2026-12-03 09:00:00
"""

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.store.models
from bot.store import crypto, migration_crypto

revision = "p_crypt_encryption"
down_revision = "f_family_letters"
branch_labels = None
depends_on = None

_UTC = bot.store.models.UtcDateTime(timezone=True)

# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("people", "phone"): 32, ("people", "health"): 64, ("people", "work_place"): 200,
           ("children", "health"): 64, ("children", "address"): 300, ("children", "aid"): 200}
TEXTS = [*WIDENED, ("children", "note"), ("talk_records", "note"), ("checkins", "follow_up_text"),
         ("tasks", "detail"), ("incidents", "description"), ("incidents", "outcome_note"),
         ("incident_events", "note"), ("programme_tasks", "note")]
DOCUMENTS = [("outbox", "payload"), ("conversations", "data"), ("inbound_claims", "reply")]
BATCH = migration_crypto.BATCH
_PHONE_IN_KEY = re.compile(r"(?<=:)\+\d{5,20}(?=:|$)")


def _index_phones(conn: Any, keyring: crypto.Keyring) -> None:
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("phone", sa.Text),
                      sa.column("phone_index", sa.String), sa.column("natural_key", sa.String))
    last = 0
    while True:
        batch = conn.execute(sa.select(people.c.id, people.c.phone, people.c.natural_key)
                             .where(people.c.id > last).order_by(people.c.id).limit(BATCH)).all()
        if not batch:
            return
        last = batch[-1][0]
        todo = []
        for i, phone, key in batch:
            plain = keyring.decrypt(phone, "people.phone") if phone else None
            new_key = _PHONE_IN_KEY.sub(lambda m: "#" + keyring.blind(m.group(0)), key)
            todo.append({"i": i, "x": keyring.blind(plain) if plain else None, "k": new_key})
        conn.execute(people.update().where(people.c.id == sa.bindparam("i"))
                     .values(phone_index=sa.bindparam("x"), natural_key=sa.bindparam("k")), todo)


def upgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    op.create_table(
        "data_key_checks",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("canary", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_key_checks")),
    )
    # Plain ALTERs, no batch: recreating "people" on SQLite would trip the foreign keys pointing at it.
    op.add_column("people", sa.Column("phone_index", sa.String(length=64), nullable=True))
    op.drop_index("ix_people_phone", table_name="people")
    op.create_index(op.f("ix_people_phone_index"), "people", ["phone_index"], unique=False)
    if conn.dialect.name == "postgresql":
        for (table, column), _length in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(), existing_nullable=True)
    _index_phones(conn, keyring)  # before the phones are encrypted: the index is of the plain phone
    migration_crypto.encrypt_texts(conn, keyring, TEXTS)
    migration_crypto.encrypt_documents(conn, keyring, DOCUMENTS)


def downgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    migration_crypto.decrypt_texts(conn, keyring, TEXTS)
    migration_crypto.decrypt_documents(conn, keyring, DOCUMENTS)
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("phone", sa.Text),
                      sa.column("natural_key", sa.String))
    rows = conn.execute(sa.select(people.c.id, people.c.phone, people.c.natural_key)
                        .where(people.c.phone.is_not(None))).all()
    for i, phone, key in rows:
        tag = "#" + keyring.blind(phone)
        if tag in key:
            conn.execute(people.update().where(people.c.id == i).values(natural_key=key.replace(tag, phone)))
    if conn.dialect.name == "postgresql":
        for (table, column), length in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=True)
    op.drop_index(op.f("ix_people_phone_index"), table_name="people")
    op.create_index("ix_people_phone", "people", ["phone"], unique=False)
    op.drop_column("people", "phone_index")  # SQLite 3.35+ drops a column in place
    op.drop_table("data_key_checks")
