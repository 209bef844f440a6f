"""SQL helpers of the roster import: executemany INSERT/UPDATE in chunks, without the ORM's bookkeeping."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update

from bot.store.models import SchoolClass

CHUNK = 5_000


def update_by_id(session: Any, model: Any, rows: list[dict[str, Any]], fields: Iterable[str]) -> None:
    """UPDATE ``fields`` of the rows whose ``_id`` is given, as one executemany."""
    if not rows:
        return
    table = table_of(model)
    fields = tuple(fields)
    # Bind names may not be column names in an executemany UPDATE: prefix them.
    stmt = update(table).where(table.c.id == bindparam("_id")).values({f: bindparam(f"v_{f}") for f in fields})
    session.execute(stmt, [{"_id": r["_id"], **{f"v_{f}": r[f] for f in fields}} for r in rows])


def assign(obj: Any, values: dict[str, Any]) -> None:
    """Set the attributes that differ (an unchanged object stays clean)."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def insert_ids(session: Any, model: Any, rows: list[dict[str, Any]], key: str, school_id: int) -> list[int]:
    """Insert ``rows`` (one chunk) with one executemany; returns their new ids in the rows' order.

    The ids are read back by the rows' unique key within the school (``key``), 900 at a time:
    the ORM's RETURNING goes row by row, and so does Core's on SQLite with these column types.
    """
    if not rows:
        return []
    execute_many(session, insert(table_of(model)), rows)
    column = getattr(model, key)
    found: dict[Any, int] = {}
    keys = [r[key] for r in rows]
    for start in range(0, len(keys), 900):
        chunk = session.execute(select(column, model.id).where(
            model.school_id == school_id, column.in_(keys[start : start + 900])))
        found.update((k, row_id) for k, row_id in chunk)
    return [found[k] for k in keys]


def execute_many(session: Any, stmt: Any, rows: list[dict[str, Any]], size: int = CHUNK) -> None:
    """``session.execute(stmt, rows)`` in chunks: the driver's processed copy stays small (issue 7, item 6)."""
    for start in range(0, len(rows), size):
        session.execute(stmt, rows[start : start + size])




def class_state(c: SchoolClass) -> tuple[Any, ...]:
    """What an import compares to tell an updated class from an unchanged one."""
    return (c.name, c.grade, c.class_teacher_id, c.pupils_total, c.left_behind_count)


def table_of(model: Any) -> Table:
    """The Core table of a mapped class (for executemany INSERT/UPDATE/DELETE without the ORM's bookkeeping)."""
    table = model.__table__
    if not isinstance(table, Table):  # pragma: no cover - every model here is a plain table
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table
