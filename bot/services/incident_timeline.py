"""An incident's timeline: per person of the chain, due by / sent at / acknowledged at.

DESIGN.md ("Escalation"): the timeline shows, per party, when each was due,
sent and acknowledged — what a school shows its superiors. Access is the
caller's check (:func:`may_view_incident`).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.messages.prompt import Prompt
from bot.services import incident_messages as m
from bot.services.incident_escalation import incident_summary, roles_of
from bot.services.incident_messages import TimelineRow
from bot.services.incidents import may_close
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentStep, Person


def may_view_incident(uow: UnitOfWork, *, person_id: int, incident_id: int) -> bool:
    """Whether a person may see an incident's timeline: its reporter, the school's admins, its recipients."""
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None:
        return False
    if may_close(uow, incident, person_id):
        return True
    return s.scalar(
        select(IncidentStep.id).where(IncidentStep.incident_id == incident_id,
                                      IncidentStep.person_id == person_id).limit(1)
    ) is not None


def timeline(uow: UnitOfWork, incident_id: int) -> list[TimelineRow]:
    """Per person of the chain: due by / sent at / acknowledged at (what a school shows its superiors).

    Rows are in step order, then in the order recipients were resolved. Times
    are aware UTC; render them with the school's zone. Access is the caller's
    check (:func:`may_view_incident`).

    Raises:
        LookupError: no such incident.
    """
    s = uow.session
    if s.get(Incident, incident_id) is None:
        raise LookupError(f"no incident {incident_id}")
    roles = roles_of(uow, incident_id)
    rows = s.execute(
        select(IncidentStep, Person.name)
        .join(Person, Person.id == IncidentStep.person_id)
        .where(IncidentStep.incident_id == incident_id)
        .order_by(IncidentStep.step_no, IncidentStep.id)
    ).all()
    return [
        TimelineRow(
            person_id=step.person_id, name=name, role=roles.get((step.step_no, step.person_id), ""),
            step_no=step.step_no, due_by=step.due_by, sent_at=step.sent_at,
            acknowledged_at=step.acknowledged_at, missed=step.missed_at is not None,
        )
        for step, name in rows
    ]


def timeline_prompt(uow: UnitOfWork, incident_id: int) -> Prompt:
    """The timeline as a prompt for a status command (``/incident`` status); close button while open.

    Raises:
        LookupError: no such incident.
    """
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        raise LookupError(f"no incident {incident_id}")
    return m.timeline_rows_prompt(incident_summary(uow, incident), timeline(uow, incident_id))
