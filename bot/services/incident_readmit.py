"""Letting someone left out of an incident back in, with the reason on the timeline (the undo of 排除某人).

A 'readmitted' event keeps who let them back in and why; someone is left out while their latest
'excluded' or 'readmitted' event is 'excluded' (:func:`bot.services.incident_roles.left_out_ids`). Their
steps are opened again: a step not sent yet is scheduled again, a step sent and still open sends them the
alert again (a fresh acknowledge question), otherwise they are told the incident so far, with no question.

Who may: whoever may close an ordinary incident (its reporter, the child's class teacher, an admin); for a
safeguarding report only its leaders (:func:`~bot.services.incident_people.incident_leaders`), never the
reporter alone, and never the child's family, who that report keeps away whatever anyone types.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus, Priority
from bot.domain.escalation import EscalationPolicy
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import incident_privacy
from bot.services.incident_close import may_close
from bot.services.incident_escalation import event, incident_summary, lock_incident, locked, school_id_of, send_alert
from bot.services.incident_exclusions import MAX_REASON
from bot.services.incident_people import incident_leaders
from bot.services.incident_roles import family_ids, is_safeguarding, kept_away_ids, left_out_ids
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep, Person

log = logging.getLogger(__name__)

BACK_IN = N_("You are in the contact chain again for the incident about {child}, reported by {reporter} at "
             "{reported_at}. It is still open; you will be told how it ends.")


@dataclass(frozen=True)
class LeftOutPerson:
    """Someone left out of an open incident who may be let back in."""

    person_id: int
    name: str


def may_readmit(uow: UnitOfWork, incident: Incident, person_id: int) -> bool:
    """Whether ``person_id`` may let someone back into the incident.

    A safeguarding report: its leaders only, never the reporter on their own word (the reporter may have
    been talked round by the accused); an ordinary incident: whoever may close it.
    """
    if person_id in kept_away_ids(uow, incident.id):
        return False
    if is_safeguarding(incident.kind):
        return person_id in incident_leaders(uow, incident, school_id_of(uow, incident))
    return may_close(uow, incident, person_id)


def refusal(uow: UnitOfWork, incident_id: int, person_id: int) -> str | None:
    """Why ``person_id`` may not let anyone back in: "leaders" (a safeguarding report), "denied"; None: they may."""
    incident = uow.session.get(Incident, incident_id)
    if incident is not None and may_readmit(uow, incident, person_id):
        return None
    return "leaders" if incident is not None and is_safeguarding(incident.kind) else "denied"


def shown_to(uow: UnitOfWork, incident_id: int, reader: int) -> dict[str, dict[str, Any]]:
    """Whom :func:`readmittable` names, as ``reader`` may read them: by name, or by relation only (an outsider)."""
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        return {}
    knows = incident_privacy.knows_family(uow, reader, incident.child_id)
    shown: dict[str, dict[str, Any]] = {}
    for p in readmittable(uow, incident_id):
        role = incident_privacy.family_role(uow, incident.child_id, p.person_id)
        shown[str(p.person_id)] = incident_privacy.who(p.name, role, knows) if role else text(p.name)
    return shown


def readmittable(uow: UnitOfWork, incident_id: int) -> list[LeftOutPerson]:
    """Everyone left out of the incident who may be let back in, in the order they were left out.

    Never the child's family on a safeguarding report: the report keeps them away, left out or not.
    """
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        return []
    gone = left_out_ids(uow, incident_id)
    if is_safeguarding(incident.kind):
        gone -= family_ids(uow, incident.child_id)
    order = uow.session.execute(
        select(IncidentEvent.person_id, Person.name).join(Person, Person.id == IncidentEvent.person_id)
        .where(IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "excluded")
        .order_by(IncidentEvent.id)).all()
    return list({p: LeftOutPerson(p, n) for p, n in order if p in gone}.values())


def readmitted(uow: UnitOfWork, incident_id: int) -> list[tuple[int | None, str, str]]:
    """``(person id, name, reason)`` of every 'readmitted' event of the incident, in order (the timeline)."""
    rows = uow.session.execute(
        select(IncidentEvent.note, IncidentEvent.person_id, func.coalesce(Person.name, "—"))
        .outerjoin(Person, Person.id == IncidentEvent.person_id)
        .where(IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "readmitted")
        .order_by(IncidentEvent.id)).all()
    return [(person_id, name, note or "") for note, person_id, name in rows]


def readmit(uow: UnitOfWork, *, incident_id: int, by: int, person_id: int, reason: str, now: datetime) -> bool:
    """Let a person left out of an open incident back in, from now on.

    Args:
        uow: the unit of work (the caller commits).
        incident_id: the open incident.
        by: who lets them back in (:func:`may_readmit`).
        person_id: the person left out.
        reason: why (1–500 characters, kept on the timeline, never logged).
        now: UTC.

    Returns:
        True when they are back in; False when the incident is closed or they are not left out of it (or are
        the family of a safeguarding report's child).

    Raises:
        PermissionError: ``by`` may not; nothing is written.
        ValueError: an empty or over-long reason; nothing is written.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValueError("letting someone back in needs a reason of 1 to 500 characters")
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None or not may_readmit(uow, incident, by):
        raise PermissionError(f"person {by} may not let anyone back into incident {incident_id}")
    incident = lock_incident(uow, incident_id)
    if incident is None or incident.status != IncidentStatus.OPEN:
        return False
    if person_id not in {p.person_id for p in readmittable(uow, incident_id)}:
        return False
    event(uow, incident_id, "readmitted", now, person_id=person_id, detail={"by": by}, note=reason)
    s.flush()
    _reopen(uow, incident, person_id, now)
    log.info("incident %s: person %s let back in by person %s", incident_id, person_id, by)
    return True


def _reopen(uow: UnitOfWork, incident: Incident, person_id: int, now: datetime) -> None:
    """Their steps opened again: scheduled, alerted again, or (nothing to answer) the incident so far."""
    s = uow.session
    steps = s.scalars(locked(uow, select(IncidentStep).where(
        IncidentStep.incident_id == incident.id, IncidentStep.person_id == person_id,
        IncidentStep.excluded_at.is_not(None)).order_by(IncidentStep.step_no, IncidentStep.id))).all()
    policy = EscalationPolicy.from_dict(incident.policy)
    summary = incident_summary(uow, incident)
    asked = False
    for step in steps:
        step.excluded_at = None
        if step.acknowledged_at is not None or step.missed_at is not None:
            continue
        if step.sent_at is None:
            step.next_action_at = max(step.send_by, now)  # the tick sends it when its step comes
            asked = True
        elif not asked:
            send_alert(uow, incident, step, now, policy, summary, again=True)  # one acknowledge question only
            asked = True
    if not asked:
        enqueue(s, key=f"incident:{incident.id}:readmitted:{person_id}:{now.isoformat()}", person_id=person_id,
                prompt=Prompt(BACK_IN, {"child": text(summary.child), "reporter": text(summary.reporter),
                                        "reported_at": dt(incident.reported_at)}),
                priority=Priority.URGENT, now=now, child_id=incident.child_id)
    s.flush()
