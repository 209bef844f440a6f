"""The incident chain's shared step helpers: timeline events, outbox keys, the summary, the locks, step times.

Split from :mod:`bot.services.incident_escalation` (which re-exports them):
every incident use case uses these. Functions here flush but never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain.enums import Severity
from bot.domain.escalation import EscalationPolicy, missed_after, next_action_at
from bot.services.incident_additions import additions
from bot.services.incident_messages import IncidentSummary
from bot.services.ports import UnitOfWork
from bot.services.school_number import school_phone
from bot.store.errors import get_or_raise
from bot.store.models import Child, Incident, IncidentEvent, IncidentStep, Person, SchoolClass


class StepNotSent(RuntimeError):
    """A rule for sent steps (reminders, the missed deadline) was asked about a step not sent yet."""


def _sent_at(step: IncidentStep) -> datetime:
    if step.sent_at is None:
        raise StepNotSent(f"incident step {step.id} was not sent")
    return step.sent_at

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
    return missed_after(_sent_at(step), step.send_by, step.due_by, reminder_interval(step, policy))


def reminder_interval(step: IncidentStep, policy: EscalationPolicy) -> timedelta:
    """The time between reminders of this step (fewer for a minor incident: :meth:`EscalationPolicy.interval_for`)."""
    return policy.interval_for(minor=step.incident.severity == Severity.MINOR, window=step.due_by - step.send_by)


def next_action(step: IncidentStep, policy: EscalationPolicy) -> datetime:
    """When a sent step needs the tick again: its next reminder or its missed notice.

    Raises:
        StepNotSent: the step was not sent yet.
    """
    return next_action_at(_sent_at(step), step.due_by, step.reminders_sent, reminder_interval(step, policy),
                          missed_after_step(step, policy))

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
