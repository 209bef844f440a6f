"""Missed deadlines of the incident chain: who phones whom, and the one summary when nobody was reached.

Split from :mod:`bot.services.incident_escalation` (the tick calls these).
Functions here flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import Priority, TaskKind
from bot.domain.escalation import EscalationPolicy
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services import incident_messages as m
from bot.services import incident_notices as notices
from bot.services import incident_privacy as privacy
from bot.services import tasks
from bot.services.incident_messages import IncidentSummary
from bot.services.incident_people import chain_missed_ids, may_close_incident
from bot.services.incident_roles import roles_of
from bot.services.incident_steps import event, incident_summary, missed_after_step, school_id_of, step_key
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import Incident, IncidentStep, Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Notice:
    """One missed recipient as told to one person: alone, or as a line of a summary."""

    key: str
    alone: Prompt
    line: tuple[str, dict[str, Any]]


def notify_missed(uow: UnitOfWork, incident: Incident, steps: list[IncidentStep], now: datetime,
                  policy: EscalationPolicy) -> None:
    """Tell whoever phones (:func:`bot.services.incident_privacy.callers`) who was not reached, with the numbers.

    ``steps`` are the recipients missed in one run of the tick. Each person who
    phones gets ONE message about them: the usual notice for one, a summary
    listing them all for several (a tick catching up after an outage misses
    the parents and the officials together; five notices at once read as
    five emergencies). Each missed recipient still gets their own phone task
    and timeline entry. The deadline named is the one their alert stated
    (:func:`~bot.services.incident_steps.missed_after_step`: a late alert gave
    them one reminder interval from its sending).
    """
    if not steps:
        return
    summary = incident_summary(uow, incident)
    school_id = school_id_of(uow, incident)
    roles = roles_of(uow, incident.id)
    told: dict[int, list[_Notice]] = {}
    for step in steps:
        person = get_or_raise(uow.session, Person, step.person_id)
        role = roles.get((step.step_no, step.person_id), "")
        answer_by = missed_after_step(step, policy)
        callers, aside = privacy.callers(uow, incident, summary, role=role, step_no=step.step_no, due_by=answer_by)
        if aside is not None:
            told.setdefault(incident.reporter_id, []).append(_Notice(
                step_key(step, f"missed:to:{incident.reporter_id}"), aside,
                (N_("• the child's {role} (step {step}), by {due_by}: {phoners} has been asked to phone them."),
                 {k: aside.params[k] for k in ("role", "step", "due_by", "phoners")})))
        step.missed_at = now
        step.next_action_at = None
        for to in callers:
            told.setdefault(to, []).append(_Notice(
                step_key(step, f"missed:to:{to}"),
                m.missed_prompt(summary, name=person.name, role=role, step_no=step.step_no, due_by=answer_by,
                                phone=person.phone, closable=may_close_incident(uow, incident, school_id, to)),
                (N_("• {name} ({role}, step {step}), by {due_by}: {phone}"),
                 {"name": text(person.name), "role": m.role_param(role), "step": step.step_no, "due_by": dt(answer_by),
                  "phone": phone_param(person.phone) if person.phone else msg(N_("no phone number on record"))})))
            tasks.create(uow, key=step_key(step, f"missed:task:{to}"), kind=TaskKind.INCIDENT_STEP_MISSED,
                         assignee_id=to, child_id=incident.child_id, about_person_id=step.person_id,
                         detail=f"incident {incident.id} step {step.step_no}", now=now)
        event(uow, incident.id, "missed", now, person_id=step.person_id, step_no=step.step_no,
              detail={"answer_by": answer_by.isoformat()})
    uow.session.flush()
    # Whoever the nobody-reached summary goes to reads that one message, not a missed notice as well: the
    # admin who reported read both at once (fix9w). The summary lists everyone with their numbers.
    summed_up = set(notify_chain_missed(uow, incident, now))
    for to, notices_to in told.items():
        if to in summed_up:
            continue
        if len(notices_to) == 1:
            key, prompt = notices_to[0].key, notices_to[0].alone
        else:
            ids = "-".join(str(step.id) for step in steps)
            key = f"incident:{incident.id}:missed:{ids}:to:{to}"
            prompt = missed_summary_prompt(summary, [n.line for n in notices_to],
                                           closable=may_close_incident(uow, incident, school_id, to))
        enqueue(uow.session, key=key, person_id=to, prompt=prompt, priority=Priority.URGENT, now=now)
    uow.session.flush()


def missed_summary_prompt(s: IncidentSummary, lines: list[tuple[str, dict[str, Any]]], *,
                          closable: bool) -> Prompt:
    """To whoever phones: several recipients missed their deadlines at once, one line each (phone, or who phones)."""
    return Prompt(
        # No "please phone them" here: a duty teacher's lines about the family name who was asked to phone instead.
        N_("Not reached in time: these people have not acknowledged the incident about {child} ({class_name}), "
           "{kind} reported at {reported_at}, by their deadlines:"),
        {**s.params(), "reported_at": dt(s.reported_at)},
        choices=(m.close_choice(s.incident_id),) if closable else (),
        lines=tuple(lines),
        kind=PromptKind.INCIDENT_NOTICE,
    )


def notify_chain_missed(uow: UnitOfWork, incident: Incident, now: datetime) -> list[int]:
    """When nobody in the whole chain acknowledged and nobody is left to try: one summary and a phone task each.

    Goes to the school's admins, leaders and safeguarding lead who were not in
    the chain themselves, else the education bureau
    (:func:`bot.services.incident_people.chain_missed_ids`), once per incident
    (issue 6, item 5: the admins get ONE summary instead of a notice per
    person); the incident stays on their ``/due`` until closed.

    Returns:
        Whom the summary went to (none: someone acknowledged, or a step is still waiting).
    """
    s = uow.session
    steps = [st for st in s.scalars(select(IncidentStep).where(IncidentStep.incident_id == incident.id)
                                    .order_by(IncidentStep.step_no, IncidentStep.id)) if st.excluded_at is None]
    if not steps or any(st.acknowledged_at is not None or st.missed_at is None for st in steps):
        return []
    roles = roles_of(uow, incident.id)
    people: list[tuple[str, str, str | None]] = []
    for st in steps:
        person = get_or_raise(s, Person, st.person_id)
        people.append((person.name, roles.get((st.step_no, st.person_id), ""), person.phone))
    prompt = notices.chain_missed_prompt(incident_summary(uow, incident), people)
    school_id = school_id_of(uow, incident)
    ids = chain_missed_ids(uow, incident, school_id, {st.person_id for st in steps if st.person_id is not None})
    for to in ids:
        enqueue(s, key=f"incident:{incident.id}:chain_missed:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
    # fig9d: ONE task for the school (not one per admin, which /tasks listed twice), with the first admin
    # other than the reporter (who has a call task per person already); the others see it among the school's.
    if owner := next((q for q in ids if q != incident.reporter_id), ids[0] if ids else None):
        tasks.create(uow, key=f"incident:{incident.id}:chain_missed:task", kind=TaskKind.INCIDENT_NOT_REACHED,
                     assignee_id=owner, child_id=incident.child_id, detail=f"incident {incident.id}", now=now)
    event(uow, incident.id, "chain_missed", now, detail={"to": ids})
    log.warning("incident %s: nobody in the chain acknowledged", incident.id)
    return ids
