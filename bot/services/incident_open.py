"""Whether a child has an emergency incident still open: the weekly check-in about that child waits (fix6o).

A grandfather who taps ``1`` twice on the alert that his granddaughter split her head open must not record "a good
week" for her (:mod:`bot.flows.checkin_hold`).

Always asked for one reader: an incident the reader is kept away from (the family of a safeguarding report, anyone
left out of it: :func:`bot.services.incident_roles.kept_away_ids`) does not exist for them. A breaker found the
accused grandmother's Friday check-in held "until 刘帅's incident is closed" behind 王老师's abuse report (fix9z).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.enums import IncidentKind, IncidentStatus, Severity
from bot.services.incident_roles import incidents_not_kept_away
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, Child, Incident, IncidentEvent


def checkin_child(uow: UnitOfWork, checkin_id: int) -> tuple[int, str] | None:
    """The child (id, name) of a check-in, None when it or the child's record is gone."""
    checkin = uow.session.get(Checkin, checkin_id)
    child = uow.session.get(Child, checkin.child_id) if checkin is not None else None
    return (child.id, child.name) if child is not None else None


def owned_by(uow: UnitOfWork, checkin_id: int, person_id: int | None) -> bool:
    """Whether the check-in exists and was sent to ``person_id`` (only its guardian may press its buttons)."""
    checkin = uow.session.get(Checkin, checkin_id)
    return checkin is not None and person_id is not None and checkin.guardian_id == person_id


def open_emergency(uow: UnitOfWork, child_id: int, *, reader_id: int | None) -> bool:
    """Whether an emergency incident about ``child_id`` is open, as ``reader_id`` may know of it.

    Args:
        uow: the unit of work.
        child_id: the child.
        reader_id: whom the answer is for; an incident they are kept away from is not counted. None (nobody
            known): no safeguarding report is counted, so none is ever named.
    """
    unseen = (incidents_not_kept_away(reader_id) if reader_id is not None
              else Incident.kind != IncidentKind.SUSPECTED_ABUSE.value)
    return uow.session.scalar(
        select(Incident.id).where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
                                  Incident.severity == Severity.EMERGENCY.value, unseen).limit(1)) is not None


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
