"""What later reports added to an incident (``added`` events): their words and any further kind.

A teacher who reports the same child again within a short while may add to the
open report instead (:func:`bot.services.incident_limits.add_to_incident`).
The teacher is told that everyone already told will read it; everyone told
later must read it too (fix6d: the parents and the bureau, alerted after the
addition, read only the first words and the first kind).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent


def additions(uow: UnitOfWork, incident: Incident) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(further kinds, added words)`` in the order added; a kind already named is not repeated."""
    kinds: list[str] = []
    notes: list[str] = []
    for detail, note in uow.session.execute(
        select(IncidentEvent.detail, IncidentEvent.note)
        .where(IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "added")
        .order_by(IncidentEvent.at, IncidentEvent.id)
    ).all():
        kind = (detail or {}).get("kind")
        if kind and kind != incident.kind and kind not in kinds:
            kinds.append(str(kind))
        if note:
            notes.append(note)
    return tuple(kinds), tuple(notes)
