"""Whether a child has an emergency incident still open: the weekly check-in about that child waits (fix6o).

A grandfather who taps ``1`` twice on the alert that his granddaughter split her head open must not record "a good
week" for her (:mod:`bot.flows.checkin_hold`).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.enums import IncidentStatus, Severity
from bot.services.incident_roles import incidents_not_kept_away
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, Incident, IncidentEvent


def checkin_child(uow: UnitOfWork, checkin_id: int) -> tuple[int, str] | None:
    """The child (id, name) of a check-in, None when it or the child's record is gone."""
    checkin = uow.session.get(Checkin, checkin_id)
    child = uow.session.get(Child, checkin.child_id) if checkin is not None else None
    return (child.id, child.name) if child is not None else None


def open_emergency(uow: UnitOfWork, child_id: int, reader_id: int | None = None) -> bool:
    """Whether an emergency incident about ``child_id`` is open (to ``reader_id``: one not kept away from them).

    张强, left out of the report that 杨秀云 is hurt, read "the weekly question waits until the incident about
    杨秀云 is closed" (fix9w): to him there is no such incident; his check-in is asked as on any week.
    """
    found = select(Incident.id).where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
                                      Incident.severity == Severity.EMERGENCY.value)
    if reader_id is not None:
        found = found.where(incidents_not_kept_away(reader_id))
    return uow.session.scalar(found.limit(1)) is not None


def words_to_handlers(uow: UnitOfWork, *, child_id: int, person_id: int) -> list[str]:
    """What ``person_id`` wrote to those handling an open emergency about ``child_id`` (its ``replied`` events).

    李雪's ``Liu Shuai is fine`` reached the reporter; the held check-in must not then ask her to "tell me 刘帅
    is safe" as if she had said nothing (fix6ai).
    """
    return [note for note in uow.session.scalars(
        select(IncidentEvent.note).join(Incident, Incident.id == IncidentEvent.incident_id)
        .where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
               Incident.severity == Severity.EMERGENCY.value, IncidentEvent.kind == "replied",
               IncidentEvent.person_id == person_id).order_by(IncidentEvent.id)) if note]
