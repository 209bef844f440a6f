"""When the incident chain (and an unanswered URGENT family message) next needs attention, for the escalator."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus
from bot.services import incident_escalation, urgent_escalation
from bot.services.ports import UowFactory
from bot.store.models import Incident, IncidentStep


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
