"""encryption at rest, the rest: letter replies, dashboard edits' values, admins' TOTP secrets

letter_replies.text: a parent's words to their child; dashboard_edits.old_value/new_value: a card's values
(an address, a phone, a health note) before and after an edit on the dashboard; staff_totp.secret: an
admin's TOTP secret (a raw dump must not give the second factor away). Existing rows are encrypted with
the current data key in batches, like p_crypt_encryption; ``guanai keys rotate`` re-encrypts them
(bot.store.keys.ENCRYPTED).

Revision ID: p_crypt_more_encryption
Revises: k_fig_web
Create Date: 2026-12-10 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from bot.store import crypto, migration_crypto

revision = "p_crypt_more_encryption"  # "p-crypt_more_encryption": alembic refuses "-" in an id
down_revision = "k_fig_web"
branch_labels = None
depends_on = None

# (table, column) → length before: VARCHAR(n) columns that now hold ciphertext.
WIDENED = {("staff_totp", "secret"): 64}
TEXTS = [*WIDENED, ("letter_replies", "text"), ("dashboard_edits", "old_value"), ("dashboard_edits", "new_value")]
DOCUMENTS: list[tuple[str, str]] = []


def upgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    migration_crypto.widen(conn, op, WIDENED, nullable=False)
    migration_crypto.encrypt_texts(conn, keyring, TEXTS)


def downgrade() -> None:
    conn = op.get_bind()
    keyring = crypto.current()
    migration_crypto.decrypt_texts(conn, keyring, TEXTS)
    migration_crypto.narrow(conn, op, WIDENED, nullable=False)
