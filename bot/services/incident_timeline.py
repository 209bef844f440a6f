"""An incident's timeline: per person of the chain, due by / sent at / acknowledged at.

DESIGN.md ("Escalation"): the timeline shows, per party, when each was due,
sent and acknowledged — what a school shows its superiors. Access is the
caller's check (:func:`may_view_incident`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.messages.prompt import Prompt
from bot.services import incident_messages as m
from bot.services import incident_privacy as privacy
from bot.services.incident_close import may_close
from bot.services.incident_escalation import incident_summary
from bot.services.incident_exclusions import left_out
from bot.services.incident_messages import TimelineRow
from bot.services.incident_people import is_safeguarding
from bot.services.incident_readmit import may_readmit, readmittable, readmitted
from bot.services.incident_roles import asked_to_phone, kept_away_ids, roles_in_order, roles_of
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentStep, Person, SchoolClass

ERASED = "—"  # the name of a person the incident no longer names (its child was erased)


@dataclass(frozen=True)
class IncidentHeader:
    """What the close and leave-out questions name: the child, the kind and the report time."""

    incident_id: int
    child: str
    class_name: str | None
    kind: str
    status: str
    reported_at: datetime


def close_view(uow: UnitOfWork, *, person_id: int, incident_id: int) -> IncidentHeader | None:
    """The incident's header for someone who may close it (or change its chain); None for anyone else or unknown."""
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None or not may_close(uow, incident, person_id):
        return None
    child = s.get(Child, incident.child_id)
    klass = s.get(SchoolClass, child.class_id) if child is not None and child.class_id else None
    return IncidentHeader(incident.id, child.name if child else "", klass.name if klass else None, incident.kind,
                          incident.status, incident.reported_at)


def may_view_incident(uow: UnitOfWork, *, person_id: int, incident_id: int) -> bool:
    """Whether a person may see an incident's timeline: who may close it (reporter, admins), its recipients.

    A safeguarding report is seen by its reporter, the school's leaders and
    its recipients only: not the admins, not the class teacher, never a
    person left out of it (:func:`~bot.services.incident_close.may_close`).

    False alike for an unknown id and for anyone the incident keeps away
    (:func:`~bot.services.incident_roles.kept_away_ids`): the buttons of an
    incident answer both with the same words, so a typed ``close:<id>`` tells
    the accused nothing (fix9t).
    """
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None or person_id in kept_away_ids(uow, incident_id):
        return False
    if may_close(uow, incident, person_id):
        return True
    if asked_to_phone(uow, incident_id, person_id) and not (
            is_safeguarding(incident.kind) and privacy.family_role(uow, incident.child_id, person_id)):
        return True  # asked to phone about it: they must see who has confirmed (never the accused family)
    return s.scalar(
        select(IncidentStep.id).where(IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id,
                                      IncidentStep.excluded_at.is_(None)).limit(1)
    ) is not None


def timeline(uow: UnitOfWork, incident_id: int) -> list[TimelineRow]:
    """Per person of the chain: due by / sent at / acknowledged at (what a school shows its superiors).

    Rows are in step order, then in the order recipients were resolved. Once
    the child is erased a row keeps its role and times, not the person
    (``person_id`` None, name "—"). Times are aware UTC; render them with the school's zone. Access is the caller's
    check (:func:`may_view_incident`).

    Raises:
        LookupError: no such incident.
    """
    s = uow.session
    if s.get(Incident, incident_id) is None:
        raise LookupError(f"no incident {incident_id}")
    roles = roles_of(uow, incident_id)
    in_order = roles_in_order(uow, incident_id)
    rows = s.execute(
        select(IncidentStep, Person.name)
        .outerjoin(Person, Person.id == IncidentStep.person_id)
        .where(IncidentStep.incident_id == incident_id)
        .order_by(IncidentStep.step_no, IncidentStep.id)
    ).all()
    paired = len(in_order) == len(rows)  # the step rows were made in the order of the report's recipients
    return [
        TimelineRow(
            person_id=step.person_id, name=name or ERASED,
            role=roles.get((step.step_no, step.person_id)) or (in_order[n] if paired else ""),
            step_no=step.step_no, due_by=step.due_by, sent_at=step.sent_at,
            acknowledged_at=step.acknowledged_at, missed=step.missed_at is not None,
            excluded=step.excluded_at is not None,
        )
        for n, (step, name) in enumerate(rows)
    ]


def timeline_prompt(uow: UnitOfWork, incident_id: int, *, person_id: int | None = None) -> Prompt:
    """The timeline as a prompt (the incident view, ``inc:<id>``); Close and Leave someone out while open.

    Args:
        uow: the unit of work.
        incident_id: the incident.
        person_id: who reads it; the buttons are offered only when they may
            close it (None: offered).

    Raises:
        LookupError: no such incident.
    """
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        raise LookupError(f"no incident {incident_id}")
    manage = person_id is None or may_close(uow, incident, person_id)
    rows = timeline(uow, incident_id)
    # A reader outside the family's circle (a duty teacher who reported) reads the family by relation only.
    knows = person_id is None or privacy.knows_family(uow, person_id, incident.child_id)
    rows = [replace(r, named=privacy.named(r.role, knows)) for r in rows]
    roles = {r.person_id: r.role for r in rows}
    gone: list[tuple[str | dict[str, Any], str]] = []
    for pid, name, reason in left_out(uow, incident_id):  # left out before the report: no step, a relation maybe
        role = (roles.get(pid) or privacy.family_role(uow, incident.child_id, pid)) if pid is not None else ""
        gone.append((name if privacy.named(role, knows) else privacy.who(name, role, knows), reason))
    back: list[tuple[str | dict[str, Any], str]] = []
    for pid, name, reason in readmitted(uow, incident_id):  # the timeline shows both events
        role = (roles.get(pid) or privacy.family_role(uow, incident.child_id, pid)) if pid is not None else ""
        back.append((name if privacy.named(role, knows) else privacy.who(name, role, knows), reason))
    readmit = person_id is not None and bool(readmittable(uow, incident_id)) and may_readmit(uow, incident, person_id)
    return m.timeline_rows_prompt(incident_summary(uow, incident), rows, manage=manage, left_out=tuple(gone),
                                  readmit=readmit, let_back=tuple(back))
