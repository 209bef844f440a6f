"""When the incident chain (and an unanswered URGENT family message) next needs attention, for the escalator."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus
from bot.services import incident_escalation, urgent_escalation
from bot.services.incident_roles import kept_away_ids
from bot.services.ports import UnitOfWork, UowFactory
from bot.store.models import Child, Incident, IncidentStep


def next_escalation_at(uow_factory: UowFactory) -> datetime | None:
    """The earliest ``next_action_at`` of an unacknowledged step of an open incident; None: nothing planned."""
    with uow_factory() as uow:
        value = uow.session.scalar(
            select(func.min(IncidentStep.next_action_at))
            .join(Incident, Incident.id == IncidentStep.incident_id)
            .where(Incident.status == IncidentStatus.OPEN.value, IncidentStep.acknowledged_at.is_(None),
                   IncidentStep.next_action_at.is_not(None))
        )
        urgent = urgent_escalation.next_due_at(uow)  # an unanswered URGENT family message's next step
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return min((v for v in (value, urgent) if v is not None), default=None)


def escalate_due(uow_factory: UowFactory, *, now: datetime) -> int:
    """Act on every step due at ``now`` in one short transaction (:func:`incident_escalation.run_escalations`).

    Returns:
        How many actions were taken (alerts, reminders, missed notices).
    """
    with uow_factory() as uow:
        actions = incident_escalation.run_escalations(uow, now=now)
        uow.commit()
    with uow_factory() as uow:  # the URGENT family messages nobody answered (issue 6)
        actions += urgent_escalation.run_due(uow, now=now)
        uow.commit()
    return actions


def awaiting_acknowledgement(uow: UnitOfWork, person_id: int) -> list[tuple[int, str]]:
    """``(incident id, child's name)`` of the open incidents whose alert reached the person, not yet acknowledged.

    ``/due`` lists them: 镇教育办张科长 read "nothing is due" above his own alert waiting for his acknowledgement
    (a new-user trial, LOW-8). Someone left out of an incident, or the family of a safeguarding report's child,
    is never asked (:func:`bot.services.incident_roles.kept_away_ids`). Oldest report first.
    """
    rows = uow.session.execute(
        select(Incident.id, Child.name).join(IncidentStep, IncidentStep.incident_id == Incident.id)
        .join(Child, Child.id == Incident.child_id)
        .where(Incident.status == IncidentStatus.OPEN.value, IncidentStep.person_id == person_id,
               IncidentStep.sent_at.is_not(None), IncidentStep.acknowledged_at.is_(None),
               IncidentStep.excluded_at.is_(None))
        .order_by(Incident.reported_at, Incident.id)).all()
    found: dict[int, str] = {}
    for incident_id, child in rows:
        if incident_id not in found and person_id not in kept_away_ids(uow, incident_id):
            found[incident_id] = child
    return list(found.items())
