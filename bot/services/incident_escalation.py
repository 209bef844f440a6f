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

from bot.domain.enums import IncidentStatus, Priority, Severity
from bot.domain.escalation import FAMILY_AUDIENCES, Audience, EscalationPolicy, due_reminder
from bot.services import incident_all_clear_notice as all_clear_notice
from bot.services import incident_messages as m
from bot.services.incident_messages import IncidentSummary
from bot.services.incident_missed import notify_missed
from bot.services.incident_roles import recipient, roles_of
from bot.services.incident_steps import (
    StepNotSent,
    event,
    incident_summary,
    lock_incident,
    locked,
    missed_after_step,
    next_action,
    reminder_interval,
    school_id_of,
    step_key,
)
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep

__all__ = [  # the shared helpers live in incident_steps; every incident use case imports them from here
    "StepNotSent", "event", "incident_summary", "is_unreachable", "lock_incident", "locked", "missed_after_step",
    "next_action", "roles_of", "run_escalations", "school_id_of", "send_alert", "send_step", "step_key",
]

log = logging.getLogger(__name__)


_BATCH = 200  # incidents claimed per round of a tick


def send_alert(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy,
          summary: IncidentSummary, *, again: bool = False) -> None:
    """Send one recipient's alert now and schedule their reminders (or, sent late, the missed notice).

    ``again``: sent once before, to someone let back in (:mod:`bot.services.incident_readmit`): a fresh message.

    The child's guardians and parents are told what to do — parents working away to phone, never whether to
    come (:mod:`bot.services.incident_advice`); officials and leaders are not (the step's audience in the
    incident's policy).
    """
    audience = policy.steps[step.step_no - 1].audience if step.step_no <= len(policy.steps) else None
    family = audience in FAMILY_AUDIENCES
    step.sent_at = now
    # The deadline the alert states is the one the tick keeps: sent late (a scheduler outage, a clock jump), it is
    # one reminder interval from now, never a time already past; the step's planned due_by stays on the timeline.
    answer_by = missed_after_step(step, policy)
    enqueue(
        uow.session,
        key=step_key(step, f"send:again:{now.isoformat()}" if again else "send"),
        person_id=recipient(step),
        prompt=all_clear_notice.alert(uow, m.alert_prompt(summary, due_by=answer_by, now=now, family=family,
                                                          away=audience is Audience.PARENTS), incident, step, now),
        priority=Priority.URGENT,
        now=now,
        incident_step_id=step.id,
        child_id=incident.child_id,
    )
    step.next_action_at = next_action(step, policy)
    late = {"send_by": step.send_by.isoformat(), "answer_by": answer_by.isoformat()} if now > step.send_by else None
    event(uow, incident.id, "sent", now, person_id=step.person_id, step_no=step.step_no, detail=late)


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




def _act(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy,
         missed: list[IncidentStep]) -> int:
    """Do what one claimed step row needs at ``now``. Returns the number of actions.

    A recipient whose deadline passed is added to ``missed``: the run tells the callers about all of them at once.
    """
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
            missed.append(step)
            return 1
        step.next_action_at = None
        return 0
    k = due_reminder(step.sent_at, step.due_by, step.reminders_sent, reminder_interval(step, policy), now)
    if k is not None:
        enqueue(
            uow.session,
            key=step_key(step, f"remind:{k}"),
            person_id=recipient(step),
            # Numbered as sent, not by the slot: after a late tick "Reminder 2" would name a first one never sent.
            prompt=all_clear_notice.reminder(uow, incident_summary(uow, incident), incident, step,
                                             _reminders_told(uow, incident.id, step) + 1, now),
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


def _reminders_told(uow: UnitOfWork, incident_id: int, step: IncidentStep) -> int:
    """How many reminders this recipient of this step was actually sent (the timeline's "reminded" entries)."""
    return uow.session.scalar(
        select(func.count(IncidentEvent.id)).where(
            IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "reminded",
            IncidentEvent.person_id == step.person_id, IncidentEvent.step_no == step.step_no,
        )
    ) or 0


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
    missed: list[IncidentStep] = []
    for step in steps:
        actions += _act(uow, incident, step, now, policy, missed)
        s.flush()
    notify_missed(uow, incident, missed, now, policy)
    return actions
