"""The children a family message is about, as its reader was told (issue 6 trial).

A message about two children with one class teacher is kept once, under the
first child (:func:`bot.services.family_together.pass_on_together`); the
reader's copy names both. The teacher's Reply prompt and the answer the family
reads must name both too, not only the child it is filed under: the names are
read back from the reader's copy in the outbox (no column holds them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, OutboxMessage


def children(uow: UnitOfWork, row: FamilyMessage) -> list[str]:
    """The names of the children ``row`` is about: those its reader's copy names, else the one it is filed under."""
    s = uow.session
    child = s.get(Child, row.child_id) if row.child_id is not None else None
    own = [child.name] if child is not None else []
    payload: dict[str, Any] | None = s.scalar(select(OutboxMessage.payload).where(
        OutboxMessage.key == f"family:{row.id}:to:{row.to_person_id}"))
    named = (payload or {}).get("params", {}).get("child")
    if not isinstance(named, list):
        return own
    names = [p["v"] for p in named if isinstance(p, dict) and p.get("$t") == "text" and isinstance(p.get("v"), str)]
    return names if len(names) > 1 and (not own or own[0] in names) else own


def children_of(uow: UnitOfWork, message_id: int) -> list[str]:
    """:func:`children` of the family message ``message_id`` (empty when it is gone)."""
    row = uow.session.get(FamilyMessage, message_id)
    return children(uow, row) if row is not None else []
