"""Named errors of the store, :func:`get_or_raise` for rows that must exist, :func:`rowcount` of a write."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import CursorResult, Result
from sqlalchemy.orm import Session

T = TypeVar("T")


class RecordNotFound(LookupError):
    """A row that must exist is not in the database (deleted meanwhile, or an id from elsewhere).

    Attributes:
        model: the model's name (``Person``).
        ident: the primary key looked up.
    """

    def __init__(self, model: type[Any], ident: Any) -> None:
        super().__init__(f"no {model.__name__} {ident!r}")
        self.model = model.__name__
        self.ident = ident


def get_or_raise(session: Session, model: type[T], ident: Any) -> T:
    """``session.get(model, ident)``, for a row a foreign key or an earlier step guarantees.

    Raises:
        RecordNotFound: the row is not there (a ``LookupError``: the flows answer
            "that is no longer valid", the scheduler logs it and goes on).
    """
    row = session.get(model, ident)
    if row is None:
        raise RecordNotFound(model, ident)
    return row


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (a guarded update's "did I win?").

    Raises:
        TypeError: ``result`` is not a DML statement's cursor result.
    """
    if not isinstance(result, CursorResult):
        raise TypeError("rowcount of a statement that returned rows")
    return result.rowcount
