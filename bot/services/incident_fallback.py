"""The incident chain's fallback when a recipient cannot be reached on any chat account.

The outbox drain (``bot.services.delivery``) calls :func:`on_recipient_unreachable`
when an alert or reminder failed permanently on every channel (DESIGN.md,
"Outbox": the fallback is the next contact, or a task for a teacher to phone).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import IncidentStatus, Priority, TaskKind
from bot.domain.escalation import EscalationPolicy
from bot.services import incident_messages as m
from bot.services.identity import school_admin_ids
from bot.services.incident_escalation import (
    event,
    incident_summary,
    is_unreachable,
    lock_incident,
    missed_after_step,
    roles_of,
    send_step,
    step_key,
)
from bot.services.incident_people import incident_leaders, is_safeguarding, stand_ins
from bot.services.incident_roles import kept_away_ids
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import Child, IncidentStep, Person, SchoolClass, Task


def on_recipient_unreachable(uow: UnitOfWork, *, incident_step_id: int, now: datetime) -> None:
    """The outbox's fallback when a step message failed permanently on every channel.

    Writes the timeline event 'unreachable', gives the child's class teacher
    (or, without one, the school admins; for a safeguarding report the
    school's leaders, never the class teacher) a phone-call task
    (``TaskKind.PHONE_CONTACT``, one per incident and person) and an urgent
    message with the person's phone number, stops this person's reminders
    (their deadline still brings the missed notice), and when every recipient
    of the step is unreachable and none acknowledged, sends the next step at
    once (DESIGN.md: the fallback is the next contact). Idempotent; does
    nothing for an unknown step or a closed incident.
    """
    s = uow.session
    step = s.get(IncidentStep, incident_step_id)
    if step is None:
        return
    incident = lock_incident(uow, step.incident_id)  # before the step rows, like every use case
    if incident is None or incident.status == IncidentStatus.CLOSED:
        return
    if uow.dialect == "postgresql":
        s.refresh(step)
    if step.person_id is None or is_unreachable(uow, incident.id, step):  # None: an erased child's (closed)
        return
    event(uow, incident.id, "unreachable", now, person_id=step.person_id, step_no=step.step_no)
    step_reached = s.scalar(select(IncidentStep.id).where(
        IncidentStep.incident_id == incident.id, IncidentStep.step_no == step.step_no,
        IncidentStep.acknowledged_at.is_not(None),
    ).limit(1)) is not None
    if not step_reached and step.missed_at is None and step.sent_at is not None:
        step.next_action_at = missed_after_step(step, EscalationPolicy.from_dict(incident.policy))
    s.flush()

    child = get_or_raise(s, Child, incident.child_id)
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    # Never anyone left out of it (break9), nor the unreachable person: 刘科长, the bureau standing in for the
    # leaders of an abuse report, was told that 刘科长 cannot be reached and to phone himself (fix9w).
    gone = kept_away_ids(uow, incident.id) | {step.person_id}
    if is_safeguarding(incident.kind):
        teachers = [p for p in incident_leaders(uow, incident, child.school_id) if p not in gone] or [
            p for p, _role in stand_ins(uow, child.school_id, gone)]
    elif klass and klass.class_teacher_id and klass.class_teacher_id not in gone:
        teachers = [klass.class_teacher_id]
    else:
        teachers = [p for p in school_admin_ids(uow, child.school_id) if p not in gone] or [
            p for p, _role in stand_ins(uow, child.school_id, gone)]
    person = get_or_raise(s, Person, step.person_id)
    role = roles_of(uow, incident.id).get((step.step_no, step.person_id), "")
    prompt = m.unreachable_prompt(incident_summary(uow, incident), name=person.name, role=role, phone=person.phone)
    for teacher in teachers:
        key = f"incident:{incident.id}:person:{step.person_id}:phone:{teacher}"
        if s.scalar(select(Task.id).where(Task.key == key)) is None:
            s.add(Task(key=key, kind=TaskKind.PHONE_CONTACT.value, child_id=child.id, assignee_id=teacher,
                       about_person_id=step.person_id, created_at=now,
                       detail=f"incident {incident.id} step {step.step_no}"))
        enqueue(s, key=step_key(step, f"unreachable:to:{teacher}"), person_id=teacher, prompt=prompt,
                priority=Priority.URGENT, now=now, child_id=child.id)
    s.flush()

    others = s.scalars(
        select(IncidentStep).where(IncidentStep.incident_id == incident.id, IncidentStep.step_no == step.step_no)
    ).all()
    if all(o.acknowledged_at is None and (o.excluded_at is not None or is_unreachable(uow, incident.id, o))
           for o in others):
        send_step(uow, incident, step.step_no + 1, now, reason=f"step {step.step_no} unreachable")
    s.flush()
