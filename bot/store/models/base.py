"""The declarative base: naming convention, the aware-UTC datetime type, the encrypted column types."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase

from bot.store import crypto

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware-UTC datetime on both sides; refuses naive values on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Store as UTC.

        Raises:
            ValueError: a naive datetime (its zone is unknown).
        """
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Read back as aware UTC (SQLite hands back naive values)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _Encrypted(TypeDecorator[str]):
    """Text encrypted at rest (AES-GCM, :mod:`bot.store.crypto`); ``context`` is ``table.column``.

    Only equality with NULL can be queried: the same text encrypts differently
    each time. Lookups go through a blind index column (``people.phone_index``).
    """

    impl: Any = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """Encrypt on the way in."""
        if value is None:
            return None
        return crypto.current().encrypt(value, self.context)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """Decrypt on the way out (``DataKeyError`` for a wrong key)."""
        if value is None:
            return None
        return crypto.current().decrypt(value, self.context)


class EncryptedText(_Encrypted):
    """Text encrypted at rest in a TEXT column (see ``_Encrypted``)."""

    impl = Text
    cache_ok = True


class EncryptedString(_Encrypted):
    """Text encrypted at rest in a VARCHAR column without a length (was ``String(n)``: ciphertext is longer)."""

    impl = String
    cache_ok = True


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document encrypted at rest: stored as one JSON string holding the ciphertext of its text.

    The column stays JSON (no schema change); a document written before
    encryption (an object, not a string) is read as it is.
    """

    impl = JSON
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        """Encrypt the document's JSON text."""
        if value is None:
            return None
        return crypto.current().encrypt(crypto.as_json_text(value), self.context)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        """Decrypt and parse; a plain (legacy) document passes through."""
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return json.loads(crypto.current().decrypt(value, self.context))
        return value


class Base(DeclarativeBase):
    """The declarative base: the naming convention and the UTC datetime type."""
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}
