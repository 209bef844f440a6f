"""After the chain escalated, a late answer is told to everyone else the incident reached (issue 6, conv6l b).

The guardian missed her step, the father was alerted, the officials after
him; then the father answers. The reporter hears of it as of every
acknowledgement (:func:`bot.services.incidents.acknowledge`); the others the
incident reached — the guardian who missed her step, the other backups, the
class teacher told at once, the admins told nobody answered — hear it too, in
one short notice, so nobody keeps phoning people who have already answered.

The child's family (guardian, parents) hears only of the family's own answers
("the father answered": nobody phones him again). An official's or a staff
member's confirmation (镇教育办张科长 acknowledged) is the school's business:
to a grandfather and two parents far away it was noise and a needless worry
(a new-user trial), so only staff and officials are told of it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority
from bot.services import incident_messages as m
from bot.services import incident_privacy as privacy
from bot.services.incident_escalation import incident_summary, roles_of
from bot.services.incident_limits import reached
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import ChildRelation, Incident, IncidentEvent, IncidentStep, Person


def escalated(uow: UnitOfWork, incident_id: int) -> bool:
    """Whether a step of the incident was missed (its deadline passed unacknowledged), so the chain went on."""
    return uow.session.scalar(select(IncidentEvent.id).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "missed").limit(1)) is not None


def knows(uow: UnitOfWork, person_id: int, child_id: int | None) -> bool:
    """Whether ``person_id`` reads the child's family by name: need-to-know staff, or the family itself."""
    if child_id is None:
        return False
    return privacy.knows_family(uow, person_id, child_id) or uow.session.scalar(select(ChildRelation.id).where(
        ChildRelation.child_id == child_id, ChildRelation.person_id == person_id).limit(1)) is not None


def family_of(uow: UnitOfWork, person_id: int, child_id: int | None) -> bool:
    """Whether ``person_id`` is one of the child's family (any relation to the child: guardian, parent)."""
    return child_id is not None and uow.session.scalar(select(ChildRelation.id).where(
        ChildRelation.child_id == child_id, ChildRelation.person_id == person_id).limit(1)) is not None


def tell_others(uow: UnitOfWork, incident: Incident, *, person_id: int, step: IncidentStep, now: datetime) -> int:
    """Tell everyone else the escalated incident reached that ``person_id`` acknowledged; how many were told.

    Nothing when no step was missed (the chain went as planned: the reporter's notice is enough), and never
    to the reporter (told already), the person who answered, or anyone alerted only by this answer. The
    child's family is told only of a family member's answer, never of an official's or staff member's.
    """
    if person_id == incident.reporter_id or not escalated(uow, incident.id):
        return 0
    s = uow.session
    just_alerted = set(s.scalars(select(IncidentStep.person_id).where(
        IncidentStep.incident_id == incident.id, IncidentStep.sent_at >= now)).all())
    alerted_before = set(s.scalars(select(IncidentStep.person_id).where(
        IncidentStep.incident_id == incident.id, IncidentStep.sent_at < now)).all())
    person = s.get(Person, person_id)
    role = roles_of(uow, incident.id).get((step.step_no, person_id), "")
    summary = incident_summary(uow, incident)
    told = 0
    by_family = family_of(uow, person_id, incident.child_id)
    for to in reached(uow, incident):
        if to in (person_id, incident.reporter_id) or (to in just_alerted and to not in alerted_before):
            continue
        if not by_family and family_of(uow, to, incident.child_id):
            continue  # an official's confirmation is for staff: to the family, noise and worry
        prompt = m.acknowledged_prompt(summary, name=person.name if person else "", role=role, acknowledged_at=now) \
            if privacy.named(role, knows(uow, to, incident.child_id)) \
            else privacy.acknowledged_to_outsider(summary, role=role, acknowledged_at=now)  # by relation only
        enqueue(s, key=f"incident:{incident.id}:answered:{person_id}:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
        told += 1
    return told
