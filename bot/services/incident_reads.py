"""What the outbox drain and the views read of an incident: when its chain starts, who was told, whether a row waits.

Moved out of :mod:`bot.services.incidents` (re-exported there): :func:`chain_starts_at`,
:func:`class_teacher_told`, :func:`cancel_if_closed`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import IncidentStatus, Severity
from bot.services.incident_close import CANCELLED
from bot.services.incident_roles import kept_away_ids
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep, OutboxMessage, Person


def chain_starts_at(uow: UnitOfWork, incident_id: int) -> datetime | None:
    """When the incident's chain starts: at the report, or when the quiet hours end (a minor incident only).

    Not the earliest step's send time: with everyone of step 1 left out of the
    chain, step 2 is sent at once (:func:`send_step` passes an empty step
    over), though its planned send time is later. An emergency never waits.
    """
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None:
        return None
    deferred = s.scalars(select(IncidentEvent.detail).where(IncidentEvent.incident_id == incident_id,
                                                            IncidentEvent.kind == "deferred")).first()
    if deferred and incident.severity == Severity.MINOR and deferred.get("until"):
        return datetime.fromisoformat(str(deferred["until"]))
    return incident.reported_at


def class_teacher_told(uow: UnitOfWork, incident_id: int) -> str | None:
    """The name of the class teacher told of the incident at the report (:func:`_tell_class_teacher`), or None."""
    return uow.session.scalar(
        select(Person.name).join(OutboxMessage, OutboxMessage.person_id == Person.id)
        .where(OutboxMessage.key.like(f"incident:{incident_id}:class_teacher:to:%")).limit(1)
    )


def cancel_if_closed(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> bool:
    """The drain's check before sending an incident message: cancel it if its incident is closed.

    Covers rows a close could not cancel because a drain was sending them at
    that moment and must now try again (transient failure, expired lease).
    The incident's "closed" notices (``incident:{id}:closed:to:{q}``) are
    always sent. Likewise a step message to a person left out of the chain
    meanwhile (:mod:`bot.services.incident_exclusions`) is cancelled, and so is any other notice about the
    incident to someone left out of it (the "nobody on record" notice queued at the report).

    Returns:
        True when the row is (now) cancelled: do not send it. The caller commits.
    """
    if not row.key.startswith("incident:") or ":closed:to:" in row.key:
        return False
    parts = row.key.split(":")
    try:
        incident_id = int(parts[1])
    except (IndexError, ValueError):
        return False
    status = uow.session.scalar(select(Incident.status).where(Incident.id == incident_id))
    left_out = (row.incident_step_id is not None and uow.session.scalar(
        select(IncidentStep.excluded_at).where(IncidentStep.id == row.incident_step_id)) is not None) or (
        row.person_id is not None and row.person_id in kept_away_ids(uow, incident_id))  # any notice (break9)
    if status != IncidentStatus.CLOSED and not left_out:
        return False
    row.cancelled_at = now
    row.claimed_until = None
    row.last_error = CANCELLED
    return True
