"""Ids inside button payloads: what may be encoded, and reading one back (shared by the payload modules)."""

from __future__ import annotations

import re

MAX_ID = 2_147_483_647
"""Largest database id: PostgreSQL ``integer`` (the type of the ``id`` columns)."""

_NUMBER = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit() also takes "²"


def check_id(value: int, what: str) -> int:
    """``value`` when it is an id from 1 to :data:`MAX_ID`.

    Raises:
        ValueError: anything else (a bool, a non-int, out of range).
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValueError(f"{what} must be an id from 1 to {MAX_ID}")
    return value


def decode_id(text: str) -> int | None:
    """The id written in ``text`` (ASCII digits, 1 … :data:`MAX_ID`), or None."""
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
