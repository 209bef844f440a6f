"""When the incident chain next needs attention, for the escalator that sleeps until then."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus
from bot.services import incident_escalation
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
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def escalate_due(uow_factory: UowFactory, *, now: datetime) -> int:
    """Act on every step due at ``now`` in one short transaction (:func:`incident_escalation.run_escalations`).

    Returns:
        How many actions were taken (alerts, reminders, missed notices).
    """
    with uow_factory() as uow:
        actions = incident_escalation.run_escalations(uow, now=now)
        uow.commit()
    return actions
