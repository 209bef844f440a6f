"""The incident contact chain as it runs: alerts, reminders, missed deadlines (the scheduler's tick).

:func:`run_escalations` is the tick's use case; the helpers here are shared by
the report / acknowledge / close use cases (:mod:`bot.services.incidents`) and
the unreachable fallback (:mod:`bot.services.incident_fallback`).

The policy (who, by when, how often) is :mod:`bot.domain.escalation`. Each
recipient of each step is an ``IncidentStep`` row whose ``next_action_at`` says
when the tick must look at it again (send, remind, or the deadline); every
message goes through the outbox with an idempotency key
``incident:{id}:step:{n}:person:{p}:{send|remind:k|missed:to:q|…}``, so a late,
repeated or concurrent tick neither loses nor repeats anything. Every send,
reminder, acknowledgement, miss, unreachable contact and close is an
``IncidentEvent`` (the timeline).

Locks: every use case that changes an incident's steps takes the incident row
first (:func:`lock_incident`), then its steps (:func:`locked`). Functions here
flush but never commit; the caller commits the unit of work.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus, Priority, Severity, TaskKind
from bot.domain.escalation import (
    FAMILY_AUDIENCES,
    Audience,
    EscalationPolicy,
    due_reminder,
    missed_after,
    next_action_at,
)
from bot.services import incident_all_clear_notice as all_clear_notice
from bot.services import incident_messages as m
from bot.services import incident_notices as notices
from bot.services import incident_privacy as privacy
from bot.services import tasks
from bot.services.incident_additions import additions
from bot.services.incident_messages import IncidentSummary
from bot.services.incident_people import chain_missed_ids, may_close_incident, school_phone
from bot.services.incident_roles import recipient, roles_of
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import (
    Child,
    Incident,
    IncidentEvent,
    IncidentStep,
    Person,
    SchoolClass,
)

log = logging.getLogger(__name__)


class StepNotSent(RuntimeError):
    """A rule for sent steps (reminders, the missed deadline) was asked about a step not sent yet."""


def _sent_at(step: IncidentStep) -> datetime:
    if step.sent_at is None:
        raise StepNotSent(f"incident step {step.id} was not sent")
    return step.sent_at

_BATCH = 200  # incidents claimed per round of a tick


def event(uow: UnitOfWork, incident_id: int, kind: str, now: datetime, *, person_id: int | None = None,
          step_no: int | None = None, detail: dict[str, Any] | None = None, note: str | None = None) -> None:
    """Add one entry to the incident's timeline (``IncidentEvent``); ``note`` is free text, never logged."""
    uow.session.add(IncidentEvent(incident_id=incident_id, at=now, kind=kind, person_id=person_id,
                                  step_no=step_no, detail=detail, note=note))


def step_key(step: IncidentStep, suffix: str) -> str:
    """The outbox key of a message about one recipient of one step (``incident:…:person:…:<suffix>``)."""
    return f"incident:{step.incident_id}:step:{step.step_no}:person:{step.person_id}:{suffix}"


def incident_summary(uow: UnitOfWork, incident: Incident) -> IncidentSummary:
    """What every message about the incident names: child, class, kind, reporter, time."""
    s = uow.session
    child = get_or_raise(s, Child, incident.child_id)
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    reporter = s.get(Person, incident.reporter_id)
    kinds, added = additions(uow, incident)  # later alerts carry what was added (fix6d)
    return IncidentSummary(
        incident_id=incident.id, child=child.name, class_name=klass.name if klass else None,
        kind=incident.kind, severity=incident.severity, status=incident.status,
        description="\n".join((incident.description, *added)), also_kinds=kinds,
        reporter=reporter.name if reporter else "",
        reported_at=incident.reported_at,
        school_phone=school_phone(uow, child.school_id),
        reporter_phone=reporter.phone if reporter else None,
    )


def school_id_of(uow: UnitOfWork, incident: Incident) -> int:
    """The school of the incident's child."""
    return get_or_raise(uow.session, Child, incident.child_id).school_id


def missed_after_step(step: IncidentStep, policy: EscalationPolicy) -> datetime:
    """When a sent step's recipient counts as not reached (:func:`bot.domain.escalation.missed_after`).

    Raises:
        StepNotSent: the step was not sent yet.
    """
    return missed_after(_sent_at(step), step.send_by, step.due_by, policy.reminder_interval)


def next_action(step: IncidentStep, policy: EscalationPolicy) -> datetime:
    """When a sent step needs the tick again: its next reminder or its missed notice.

    Raises:
        StepNotSent: the step was not sent yet.
    """
    return next_action_at(_sent_at(step), step.due_by, step.reminders_sent, policy.reminder_interval,
                          missed_after_step(step, policy))


def send_alert(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy,
          summary: IncidentSummary) -> None:
    """Send one recipient's alert now and schedule their reminders (or, sent late, the missed notice).

    The child's guardians and parents are told what to do — parents working away to phone, never whether to
    come (:mod:`bot.services.incident_advice`); officials and leaders are not (the step's audience in the
    incident's policy).
    """
    audience = policy.steps[step.step_no - 1].audience if step.step_no <= len(policy.steps) else None
    family = audience in FAMILY_AUDIENCES
    enqueue(
        uow.session,
        key=step_key(step, "send"),
        person_id=recipient(step),
        prompt=all_clear_notice.alert(uow, m.alert_prompt(summary, due_by=step.due_by, now=now, family=family,
                                                          away=audience is Audience.PARENTS), incident, step, now),
        priority=Priority.URGENT,
        now=now,
        incident_step_id=step.id,
        child_id=incident.child_id,
    )
    step.sent_at = now
    step.next_action_at = next_action(step, policy)
    event(uow, incident.id, "sent", now, person_id=step.person_id, step_no=step.step_no)


def send_step(uow: UnitOfWork, incident: Incident, step_no: int, now: datetime, *, reason: str) -> int:
    """Send every unsent, unacknowledged recipient of ``step_no`` at once.

    A step without any recipient (no guardian on record, no official, or
    everyone left out of the chain) is passed over to the next step at once:
    the chain must not wait for nobody.

    Returns:
        How many alerts were enqueued.
    """
    policy = EscalationPolicy.from_dict(incident.policy)
    last = len(policy.plan(incident.reported_at, minor=incident.severity == Severity.MINOR))
    summary = incident_summary(uow, incident)
    sent = 0
    while step_no <= last:
        query = (
            select(IncidentStep).where(IncidentStep.incident_id == incident.id, IncidentStep.step_no == step_no)
            .order_by(IncidentStep.id)
        )
        rows = [row for row in uow.session.scalars(locked(uow, query)).all() if row.excluded_at is None]
        if rows:
            for step in rows:
                if step.sent_at is None and step.acknowledged_at is None:
                    send_alert(uow, incident, step, now, policy, summary)
                    sent += 1
            if sent:
                log.info("incident %s step %s sent (%s)", incident.id, step_no, reason)
            return sent
        # The reporter and the admins were told at the report (_notify_no_recipients).
        step_no += 1
        reason = "previous step has no recipients"
    return sent


def lock_incident(uow: UnitOfWork, incident_id: int, *, skip_locked: bool = False) -> Incident | None:
    """Lock the incident row (PostgreSQL), before any of its step rows; return it with its latest state.

    Every use case that changes an incident's steps (acknowledge, close, the
    tick's per-incident work, the unreachable fallback) takes this lock first,
    so they serialise per incident and always lock in the same order (incident,
    then steps): two recipients acknowledging at the same moment wait for each
    other instead of deadlocking on each other's step rows.

    Args:
        uow: the use case's unit of work.
        incident_id: the incident.
        skip_locked: return None instead of waiting when another transaction holds it (the tick).

    Returns:
        The incident, or None when there is none (or it is locked and ``skip_locked``).
    """
    s = uow.session
    if uow.dialect != "postgresql":
        return s.get(Incident, incident_id)
    return s.scalar(
        select(Incident).where(Incident.id == incident_id)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )


def locked(uow: UnitOfWork, query: Any) -> Any:
    """On PostgreSQL, lock the rows too and read their latest committed state.

    Called with the incident row locked (:func:`_lock_incident`), so this never
    waits on another use case of the same incident; it refreshes what the
    session may have loaded before the incident lock was granted.
    """
    if uow.dialect != "postgresql":
        return query
    return query.with_for_update().execution_options(populate_existing=True)


def _notify_missed(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime) -> None:
    """Tell whoever phones (:func:`bot.services.incident_privacy.callers`) who was not reached, with the number."""
    person = get_or_raise(uow.session, Person, step.person_id)
    role = roles_of(uow, incident.id).get((step.step_no, step.person_id), "")
    summary = incident_summary(uow, incident)
    school_id = school_id_of(uow, incident)
    callers, aside = privacy.callers(uow, incident, summary, role=role, step_no=step.step_no, due_by=step.due_by)
    if aside is not None:
        enqueue(uow.session, key=step_key(step, f"missed:to:{incident.reporter_id}"), person_id=incident.reporter_id,
                prompt=aside, priority=Priority.URGENT, now=now)
    step.missed_at = now
    step.next_action_at = None
    for to in callers:
        enqueue(uow.session, key=step_key(step, f"missed:to:{to}"), person_id=to, priority=Priority.URGENT, now=now,
                prompt=m.missed_prompt(summary, name=person.name, role=role, step_no=step.step_no,
                                       due_by=step.due_by, phone=person.phone,
                                       closable=may_close_incident(uow, incident, school_id, to)))
        tasks.create(uow, key=step_key(step, f"missed:task:{to}"), kind=TaskKind.INCIDENT_STEP_MISSED,
                     assignee_id=to, child_id=incident.child_id, about_person_id=step.person_id,
                     detail=f"incident {incident.id} step {step.step_no}", now=now)
    event(uow, incident.id, "missed", now, person_id=step.person_id, step_no=step.step_no)
    uow.session.flush()
    _notify_chain_missed(uow, incident, now)


def _notify_chain_missed(uow: UnitOfWork, incident: Incident, now: datetime) -> None:
    """When nobody in the whole chain acknowledged and nobody is left to try: one summary and a phone task each.

    Goes to the school's admins, leaders and safeguarding lead who were not in
    the chain themselves, else the education bureau
    (:func:`bot.services.incident_people.chain_missed_ids`), once per incident
    (issue 6, item 5: the admins get ONE summary instead of a notice per
    person); the incident stays on their ``/due`` until closed.
    """
    s = uow.session
    steps = [st for st in s.scalars(select(IncidentStep).where(IncidentStep.incident_id == incident.id)
                                    .order_by(IncidentStep.step_no, IncidentStep.id)) if st.excluded_at is None]
    if not steps or any(st.acknowledged_at is not None or st.missed_at is None for st in steps):
        return
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


def _act(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy) -> int:
    """Do what one claimed step row needs at ``now``. Returns the number of actions."""
    if step.person_id is None:  # an erased child's (its incident closed first): nobody to act for
        step.next_action_at = None
        return 0
    if step.sent_at is None:
        # Its send_by has come (an acknowledged previous step sends it at once in acknowledge()).
        send_alert(uow, incident, step, now, policy, incident_summary(uow, incident))
        return 1
    if now >= missed_after_step(step, policy):
        # The deadline, or one interval after a late alert: never in the run that sent the alert.
        if step.missed_at is None:
            _notify_missed(uow, incident, step, now)
            return 1
        step.next_action_at = None
        return 0
    k = due_reminder(step.sent_at, step.due_by, step.reminders_sent, policy.reminder_interval, now)
    if k is not None:
        enqueue(
            uow.session,
            key=step_key(step, f"remind:{k}"),
            person_id=recipient(step),
            prompt=all_clear_notice.reminder(uow, incident_summary(uow, incident), incident, step, k, now),
            priority=Priority.URGENT,
            now=now,
            incident_step_id=step.id,
            child_id=incident.child_id,
        )
        step.reminders_sent = k
        event(uow, incident.id, "reminded", now, person_id=step.person_id, step_no=step.step_no,
               detail={"reminder": k})
    if is_unreachable(uow, incident.id, step):
        # Reminders would fail like the alert did; wait for the missed notice only.
        step.next_action_at = missed_after_step(step, policy)
    else:
        step.next_action_at = next_action(step, policy)
    return 1 if k is not None else 0


def is_unreachable(uow: UnitOfWork, incident_id: int, step: IncidentStep) -> bool:
    """Whether this recipient of this step was found unreachable on every chat account."""
    return uow.session.scalar(
        select(IncidentEvent.id).where(
            IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "unreachable",
            IncidentEvent.person_id == step.person_id, IncidentEvent.step_no == step.step_no,
        ).limit(1)
    ) is not None


def run_escalations(uow: UnitOfWork, *, now: datetime) -> int:
    """Send due steps, reminders and missed-deadline notices (the scheduler's tick).

    Finds open incidents with unacknowledged step rows whose ``next_action_at``
    has come and works on each under its incident row lock (PostgreSQL:
    ``FOR UPDATE SKIP LOCKED``, then its steps), so two workers never act on
    the same incident and never deadlock with an acknowledgement or a close
    (all lock the incident row first); the outbox keys guard the rest (a tick repeated at the same time
    enqueues nothing new). A late
    tick catches up: an overdue step is sent, only the latest due reminder is
    sent, a passed deadline is reported once.

    Returns:
        How many actions were taken (alerts, reminders, missed notices).
    """
    s = uow.session
    actions = 0
    handled: set[int] = set()  # incident ids looked at in this tick
    while True:
        due = _due_steps(now).with_only_columns(IncidentStep.incident_id).group_by(IncidentStep.incident_id)
        query = (
            due.join(Incident, Incident.id == IncidentStep.incident_id)
            .where(Incident.status == IncidentStatus.OPEN.value)
            .order_by(func.min(IncidentStep.next_action_at), IncidentStep.incident_id)
            .limit(_BATCH)
        )
        if handled:
            query = query.where(IncidentStep.incident_id.not_in(handled))
        incident_ids = s.scalars(query).all()
        if not incident_ids:
            break
        for incident_id in incident_ids:
            handled.add(incident_id)
            actions += _escalate(uow, incident_id, now)
    return actions


def _due_steps(now: datetime) -> Any:
    return select(IncidentStep).where(
        IncidentStep.acknowledged_at.is_(None),
        IncidentStep.next_action_at.is_not(None),
        IncidentStep.next_action_at <= now,
    )


def _escalate(uow: UnitOfWork, incident_id: int, now: datetime) -> int:
    """The tick's work on one incident, under its row lock. Returns the number of actions.

    On PostgreSQL an incident locked by another worker, an acknowledgement or
    a close is skipped (``SKIP LOCKED``): the next tick, a minute later, looks
    at it again.
    """
    s = uow.session
    incident = lock_incident(uow, incident_id, skip_locked=True)
    if incident is None or incident.status != IncidentStatus.OPEN:
        return 0
    policy = EscalationPolicy.from_dict(incident.policy)
    steps = s.scalars(locked(uow, _due_steps(now).where(IncidentStep.incident_id == incident_id)
                              .order_by(IncidentStep.next_action_at, IncidentStep.id))).all()
    actions = 0
    for step in steps:
        actions += _act(uow, incident, step, now, policy)
        s.flush()
    return actions

