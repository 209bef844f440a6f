"""Incidents and the escalation chain (issue 2, item 7).

Use cases: :func:`report_incident`, :func:`acknowledge`, :func:`close_incident`,
:func:`run_escalations` (the scheduler's tick), :func:`on_recipient_unreachable`
(the outbox's fallback hook) and :func:`timeline` / :func:`timeline_prompt`.

The policy (who, by when, how often) is :mod:`bot.domain.escalation`. Each
recipient of each step is an ``IncidentStep`` row whose ``next_action_at`` says
when the tick must look at it again (send, remind, or the deadline); every
message goes through the outbox with an idempotency key
``incident:{id}:step:{n}:person:{p}:{send|remind:k|missed:to:q|…}``, so a late,
repeated or concurrent tick neither loses nor repeats anything. Every send,
reminder, acknowledgement, miss, unreachable contact and close is an
``IncidentEvent`` (the timeline).

Transactions: these functions flush but never commit; the caller commits the
unit of work (``with uow_factory() as uow: …; uow.commit()``), so the state
change and its messages are written together or not at all.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.enums import (
    ADMIN_ROLES,
    IncidentKind,
    IncidentStatus,
    Priority,
    RelationKind,
    Role,
    Severity,
    TaskKind,
)
from bot.domain.escalation import Audience, EscalationPolicy, due_reminder, missed_after, next_action_at
from bot.flows.prompt import Prompt
from bot.services import incident_messages as m
from bot.services.incident_messages import IncidentSummary, TimelineRow, ack_reply, close_reply
from bot.services.outbox import enqueue
from bot.store.models import (
    Child,
    ChildRelation,
    Incident,
    IncidentEvent,
    IncidentStep,
    OutboxMessage,
    Person,
    PersonRole,
    School,
    SchoolClass,
    Task,
)
from bot.store.uow import UnitOfWork

__all__ = [
    "AckResult",
    "CloseResult",
    "TimelineRow",
    "ack_reply",
    "acknowledge",
    "cancel_if_closed",
    "close_incident",
    "close_reply",
    "may_view_incident",
    "on_recipient_unreachable",
    "report_incident",
    "run_escalations",
    "set_school_policy",
    "timeline",
    "timeline_prompt",
]

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 2000  # characters; a short description, not a report
CANCELLED = "cancelled: incident closed"  # OutboxMessage.last_error of messages stopped by a close
_BATCH = 200  # steps claimed per round of a tick


class AckResult(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"  # this person had acknowledged before: nothing changes
    CLOSED = "closed"  # the incident is closed
    NOT_RECIPIENT = "not_recipient"  # this person is not in the chain (deny)
    NOT_ASKED = "not_asked"  # in the chain, but none of their steps was sent yet: nothing changes


class CloseResult(StrEnum):
    CLOSED = "closed"
    ALREADY = "already"
    DENIED = "denied"


# --- helpers -----------------------------------------------------------------------------------


def _event(uow: UnitOfWork, incident_id: int, kind: str, now: datetime, *, person_id: int | None = None,
           step_no: int | None = None, detail: dict[str, Any] | None = None) -> None:
    uow.session.add(IncidentEvent(incident_id=incident_id, at=now, kind=kind, person_id=person_id,
                                  step_no=step_no, detail=detail))


def _key(step: IncidentStep, suffix: str) -> str:
    return f"incident:{step.incident_id}:step:{step.step_no}:person:{step.person_id}:{suffix}"


def _summary(uow: UnitOfWork, incident: Incident) -> IncidentSummary:
    s = uow.session
    child = s.get(Child, incident.child_id)
    assert child is not None
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    reporter = s.get(Person, incident.reporter_id)
    return IncidentSummary(
        incident_id=incident.id,
        child=child.name,
        class_name=klass.name if klass else None,
        kind=incident.kind,
        severity=incident.severity,
        status=incident.status,
        description=incident.description,
        reporter=reporter.name if reporter else "",
        reported_at=incident.reported_at,
    )


def _school_id(uow: UnitOfWork, incident: Incident) -> int:
    child = uow.session.get(Child, incident.child_id)
    assert child is not None
    return child.school_id


def _admins(uow: UnitOfWork, school_id: int) -> list[int]:
    rows = uow.session.scalars(
        select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.school_id == school_id, PersonRole.role.in_([r.value for r in ADMIN_ROLES]))
        .order_by(Person.id)
    )
    return list(dict.fromkeys(rows))


def _recipients(uow: UnitOfWork, child: Child, audience: Audience) -> list[tuple[int, str]]:
    """``(person_id, role)`` pairs of an audience, in a stable order, without duplicates."""
    s = uow.session
    if audience is Audience.OFFICIALS:
        roles = [Role.EDUCATION_BUREAU.value, Role.TOWN_GOVERNMENT.value]
        found = s.execute(
            select(Person.id, PersonRole.role)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == child.school_id, PersonRole.role.in_(roles))
            .order_by(PersonRole.role, Person.id)
        ).all()
    else:
        kinds = (
            [RelationKind.ENTRUSTED_GUARDIAN.value]
            if audience is Audience.ENTRUSTED_GUARDIANS
            else [RelationKind.FATHER.value, RelationKind.MOTHER.value]
        )
        found = s.execute(
            select(ChildRelation.person_id, ChildRelation.kind)
            .where(ChildRelation.child_id == child.id, ChildRelation.kind.in_(kinds),
                   ChildRelation.person_id.is_not(None))
            .order_by(ChildRelation.kind, ChildRelation.id)
        ).all()
    seen: dict[int, str] = {}
    for person_id, role in found:
        seen.setdefault(person_id, role)
    return list(seen.items())


def _roles_of(uow: UnitOfWork, incident_id: int) -> dict[tuple[int, int], str]:
    """``(step_no, person_id) -> role`` as resolved at report time (kept in the 'reported' event)."""
    detail = uow.session.scalar(
        select(IncidentEvent.detail).where(IncidentEvent.incident_id == incident_id,
                                           IncidentEvent.kind == "reported")
    ) or {}
    return {(int(n), int(p)): role for n, p, role in detail.get("recipients", [])}


def _missed_after(step: IncidentStep, policy: EscalationPolicy) -> datetime:
    assert step.sent_at is not None
    return missed_after(step.sent_at, step.send_by, step.due_by, policy.reminder_interval)


def _next_action(step: IncidentStep, policy: EscalationPolicy) -> datetime:
    assert step.sent_at is not None
    return next_action_at(step.sent_at, step.due_by, step.reminders_sent, policy.reminder_interval,
                          _missed_after(step, policy))


def _send(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy,
          summary: IncidentSummary) -> None:
    """Send one recipient's alert now and schedule their reminders (or, sent late, the missed notice)."""
    enqueue(
        uow.session,
        key=_key(step, "send"),
        person_id=step.person_id,
        prompt=m.alert_prompt(summary, within_seconds=(step.due_by - now).total_seconds()),
        priority=Priority.URGENT,
        now=now,
        incident_step_id=step.id,
    )
    step.sent_at = now
    step.next_action_at = _next_action(step, policy)
    _event(uow, incident.id, "sent", now, person_id=step.person_id, step_no=step.step_no)


def _send_step(uow: UnitOfWork, incident: Incident, step_no: int, now: datetime, *, reason: str) -> int:
    """Send every unsent, unacknowledged recipient of ``step_no`` at once.

    A step without any recipient (no guardian on record, no official) is
    passed over to the next step at once: the chain must not wait for nobody.

    Returns:
        How many alerts were enqueued.
    """
    policy = EscalationPolicy.from_dict(incident.policy)
    last = len(policy.plan(incident.reported_at, minor=incident.severity == Severity.MINOR))
    summary = _summary(uow, incident)
    sent = 0
    while step_no <= last:
        query = (
            select(IncidentStep).where(IncidentStep.incident_id == incident.id, IncidentStep.step_no == step_no)
            .order_by(IncidentStep.id)
        )
        rows = uow.session.scalars(_locked(uow, query)).all()
        if rows:
            for step in rows:
                if step.sent_at is None and step.acknowledged_at is None:
                    _send(uow, incident, step, now, policy, summary)
                    sent += 1
            if sent:
                log.info("incident %s step %s sent (%s)", incident.id, step_no, reason)
            return sent
        # The reporter and the admins were told at the report (_notify_no_recipients).
        step_no += 1
        reason = "previous step has no recipients"
    return sent


def _notify_no_recipients(uow: UnitOfWork, incident: Incident, empty: list[tuple[int, str]], all_empty: bool,
                          now: datetime) -> None:
    """Tell the reporter and the school admins at once which steps have nobody on record (they phone).

    One timeline event ``no_recipients`` per empty step; one URGENT message per
    person listing the empty steps (key ``incident:{id}:no_recipients:to:{q}``).
    """
    for step_no, _audience in empty:
        _event(uow, incident.id, "no_recipients", now, step_no=step_no)
    prompt = m.no_recipients_prompt(_summary(uow, incident), empty_steps=empty, all_empty=all_empty)
    for to in dict.fromkeys([incident.reporter_id, *_admins(uow, _school_id(uow, incident))]):
        enqueue(uow.session, key=f"incident:{incident.id}:no_recipients:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
    log.warning("incident %s: nobody on record for step(s) %s", incident.id, [n for n, _ in empty])


def _lock_incident(uow: UnitOfWork, incident_id: int, *, skip_locked: bool = False) -> Incident | None:
    """Lock the incident row (PostgreSQL), before any of its step rows; return it with its latest state.

    Every use case that changes an incident's steps (acknowledge, close, the
    tick's per-incident work, the unreachable fallback) takes this lock first,
    so they serialise per incident and always lock in the same order (incident,
    then steps): two recipients acknowledging at the same moment wait for each
    other instead of deadlocking on each other's step rows.

    Args:
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


def _locked(uow: UnitOfWork, query: Any) -> Any:
    """On PostgreSQL, lock the rows too and read their latest committed state.

    Called with the incident row locked (:func:`_lock_incident`), so this never
    waits on another use case of the same incident; it refreshes what the
    session may have loaded before the incident lock was granted.
    """
    if uow.dialect != "postgresql":
        return query
    return query.with_for_update().execution_options(populate_existing=True)


def _notify_missed(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime) -> None:
    """Tell the reporter and the school admins who was not reached, with the phone number (once)."""
    person = uow.session.get(Person, step.person_id)
    assert person is not None
    role = _roles_of(uow, incident.id).get((step.step_no, step.person_id), "")
    prompt = m.missed_prompt(_summary(uow, incident), name=person.name, role=role, step_no=step.step_no,
                             due_by=step.due_by, phone=person.phone)
    for to in dict.fromkeys([incident.reporter_id, *_admins(uow, _school_id(uow, incident))]):
        enqueue(uow.session, key=_key(step, f"missed:to:{to}"), person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
    step.missed_at = now
    step.next_action_at = None
    _event(uow, incident.id, "missed", now, person_id=step.person_id, step_no=step.step_no)


def _act(uow: UnitOfWork, incident: Incident, step: IncidentStep, now: datetime, policy: EscalationPolicy) -> int:
    """Do what one claimed step row needs at ``now``. Returns the number of actions."""
    if step.sent_at is None:
        # Its send_by has come (an acknowledged previous step sends it at once in acknowledge()).
        _send(uow, incident, step, now, policy, _summary(uow, incident))
        return 1
    if now >= _missed_after(step, policy):
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
            key=_key(step, f"remind:{k}"),
            person_id=step.person_id,
            prompt=m.reminder_prompt(_summary(uow, incident), due_by=step.due_by),
            priority=Priority.URGENT,
            now=now,
            incident_step_id=step.id,
        )
        step.reminders_sent = k
        _event(uow, incident.id, "reminded", now, person_id=step.person_id, step_no=step.step_no,
               detail={"reminder": k})
    if _unreachable(uow, incident.id, step):
        # Reminders would fail like the alert did; wait for the missed notice only.
        step.next_action_at = _missed_after(step, policy)
    else:
        step.next_action_at = _next_action(step, policy)
    return 1 if k is not None else 0


def _unreachable(uow: UnitOfWork, incident_id: int, step: IncidentStep) -> bool:
    return uow.session.scalar(
        select(IncidentEvent.id).where(
            IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "unreachable",
            IncidentEvent.person_id == step.person_id, IncidentEvent.step_no == step.step_no,
        ).limit(1)
    ) is not None


# --- use cases ---------------------------------------------------------------------------------


def report_incident(
    uow: UnitOfWork, *, reporter_id: int, child_id: int, kind: str, severity: str,
    description: str, now: datetime, request_key: str | None = None,
) -> int:
    """Record an incident, snapshot the school's policy into steps, enqueue step 1 at once.

    Recipients are resolved from the child's archive now and kept: step
    ``entrusted_guardians`` from the child's entrusted-guardian relations,
    ``parents`` from the father/mother relations (a parent without a bound
    chat account still gets a step row: the outbox's fallback handles them),
    ``officials`` from the school's people with Role education_bureau /
    town_government. Steps with nobody on record are passed over, and the
    reporter and the school admins are told at once (URGENT) which steps had
    nobody, so they phone people themselves. The caller has checked the reporter's access to the child
    (``bot.services.access``) and commits.

    Args:
        reporter_id: the reporting teacher.
        child_id: the child concerned.
        kind: ``IncidentKind`` value; severity: ``Severity`` value.
        description: the reporter's short description (1–2000 characters).
        now: report time, aware UTC.
        request_key: unique per confirm step of the reporting conversation; a
            redelivered confirm returns the incident it already created.

    Returns:
        The incident id.

    Raises:
        ValueError: unknown kind or severity, empty or over-long description,
            unknown child or reporter; nothing is written. (An invalid stored
            school policy is logged and the default policy used instead: the
            alert must go out. Validate policies when a school saves them.)
    """
    s = uow.session
    if request_key is not None:
        existing = s.scalar(select(Incident.id).where(Incident.request_key == request_key))
        if existing is not None:
            return existing
    if kind not in {k.value for k in IncidentKind}:
        raise ValueError(f"unknown incident kind {kind!r}")
    if severity not in {v.value for v in Severity}:
        raise ValueError(f"unknown severity {severity!r}")
    description = (description or "").strip()
    if not description:
        raise ValueError("an incident needs a description")
    if len(description) > MAX_DESCRIPTION:
        raise ValueError(f"description over {MAX_DESCRIPTION} characters")
    child = s.get(Child, child_id)
    if child is None:
        raise ValueError(f"no child {child_id}")
    if s.get(Person, reporter_id) is None:
        raise ValueError(f"no person {reporter_id}")
    school = s.get(School, child.school_id)
    try:
        policy = EscalationPolicy.from_dict(school.escalation_policy if school else None)
    except ValueError as exc:
        # An emergency must go out even when a school's stored settings are broken: use the plan's default.
        log.warning("school %s has an invalid escalation policy (%s); using the default", child.school_id, exc)
        policy = EscalationPolicy.default()
    plan = policy.plan(now, minor=severity == Severity.MINOR)

    incident = Incident(
        child_id=child_id, reporter_id=reporter_id, kind=kind, severity=severity, description=description,
        reported_at=now, status=IncidentStatus.OPEN.value, policy=policy.to_dict(), request_key=request_key,
    )
    if uow.dialect == "postgresql" and request_key is not None:
        try:
            # A savepoint: a concurrent redelivery of the same confirm loses the race cleanly.
            with s.begin_nested():
                s.add(incident)
                s.flush()
        except IntegrityError:
            existing = s.scalar(select(Incident.id).where(Incident.request_key == request_key))
            if existing is None:
                raise
            return existing
    else:
        # Not on SQLite: pysqlite opens no transaction before the first write, so an outermost
        # SAVEPOINT's RELEASE would commit. SQLite serialises writers; the check above suffices.
        s.add(incident)
        s.flush()

    recipients: list[list[Any]] = []
    empty: list[tuple[int, str]] = []
    for planned in plan:
        found = _recipients(uow, child, planned.audience)
        if not found:
            empty.append((planned.step_no, planned.audience.value))
        for person_id, role in found:
            s.add(IncidentStep(
                incident_id=incident.id, step_no=planned.step_no, person_id=person_id,
                send_by=planned.send_by, due_by=planned.due_by, reminders_sent=0,
                next_action_at=planned.send_by,
            ))
            recipients.append([planned.step_no, person_id, role])
    _event(uow, incident.id, "reported", now, person_id=reporter_id,
           detail={"kind": kind, "severity": severity, "recipients": recipients})
    s.flush()
    if empty:
        # The reporter was told "the guardian is being contacted": whoever cannot be contacted
        # must be known at once, so that the school phones them itself.
        _notify_no_recipients(uow, incident, empty, all_empty=not recipients, now=now)
    _send_step(uow, incident, 1, now, reason="reported")
    s.flush()
    log.info("incident %s reported by person %s for child %s (%s, %s)", incident.id, reporter_id, child_id,
             kind, severity)
    return incident.id


def acknowledge(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime) -> AckResult:
    """Acknowledge the person's step(s) of an incident (idempotent).

    Only a recipient of the incident may acknowledge, and only for the steps
    already sent to them (an acknowledgement before their alert changes
    nothing: ``NOT_ASKED``). The first
    acknowledgement of a step sends the next step at once (the school plans:
    "sent when step n is acknowledged"); a step counts as acknowledged when any
    of its recipients acknowledged, so reminders and missed-deadline notices
    stop for every recipient of that step (the others may still acknowledge;
    the timeline shows who did). The reporter is told of every
    acknowledgement at once (URGENT).

    Returns:
        ``ACKNOWLEDGED``; ``ALREADY`` on a repeat (nothing changes);
        ``CLOSED`` for a closed incident; ``NOT_ASKED`` for a recipient none of
        whose steps was sent yet; ``NOT_RECIPIENT`` for anyone else or an
        unknown incident.
    """
    s = uow.session
    # The incident row first (PostgreSQL): a double tap handled by two workers acknowledges once,
    # and two recipients of one step acknowledging together serialise instead of deadlocking.
    incident = _lock_incident(uow, incident_id)
    if incident is None:
        return AckResult.NOT_RECIPIENT
    mine = s.scalars(_locked(uow,
        select(IncidentStep).where(IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id)
        .order_by(IncidentStep.step_no)
    )).all()
    if not mine:
        return AckResult.NOT_RECIPIENT
    if incident.status == IncidentStatus.CLOSED:
        return AckResult.CLOSED
    # Only steps already sent to this person count: a parent who heard of the incident early must
    # not silence the other parent and jump the chain to step 3 before step 2 was even sent.
    asked = [step for step in mine if step.sent_at is not None]
    if not asked:
        return AckResult.NOT_ASKED
    pending = [step for step in asked if step.acknowledged_at is None]
    if not pending:
        return AckResult.ALREADY
    for step in pending:
        first_of_step = s.scalar(
            select(IncidentStep.id).where(
                IncidentStep.incident_id == incident_id, IncidentStep.step_no == step.step_no,
                IncidentStep.acknowledged_at.is_not(None),
            ).limit(1)
        ) is None
        step.acknowledged_at = now
        step.next_action_at = None
        _event(uow, incident_id, "acknowledged", now, person_id=person_id, step_no=step.step_no)
        s.flush()
        if first_of_step:
            # The step is reached: its other recipients are neither reminded nor reported missed
            # (DESIGN.md: "an acknowledgement stops repeats of that step").
            for mate in s.scalars(select(IncidentStep).where(
                IncidentStep.incident_id == incident_id, IncidentStep.step_no == step.step_no,
                IncidentStep.acknowledged_at.is_(None),
            )):
                mate.next_action_at = None
            s.flush()
            _send_step(uow, incident, step.step_no + 1, now, reason=f"step {step.step_no} acknowledged")
    if person_id != incident.reporter_id:
        # The reporter was promised "you will hear when people acknowledge" (flows.incident).
        step = pending[0]
        person = s.get(Person, person_id)
        role = _roles_of(uow, incident_id).get((step.step_no, person_id), "")
        enqueue(s, key=_key(step, f"ack:to:{incident.reporter_id}"), person_id=incident.reporter_id,
                prompt=m.acknowledged_prompt(_summary(uow, incident), name=person.name if person else "",
                                             role=role, acknowledged_at=now),
                priority=Priority.URGENT, now=now)
    s.flush()
    return AckResult.ACKNOWLEDGED


def _may_close(uow: UnitOfWork, incident: Incident, person_id: int) -> bool:
    return person_id == incident.reporter_id or person_id in _admins(uow, _school_id(uow, incident))


def close_incident(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime) -> CloseResult:
    """Close an incident, stopping pending sends (idempotent).

    Allowed to the reporter and the school's admins and leaders. Unsent
    outbox rows of the incident that no drain is sending (no live
    ``claimed_until`` lease) are cancelled (``cancelled_at`` set,
    ``last_error`` = :data:`CANCELLED`; the drain skips them); a row being
    sent is left to the drain, which records it sent, or, if it must try
    again, cancels it (:func:`cancel_if_closed`). A row never ends with more
    than one of ``sent_at``, ``failed_at``, ``cancelled_at``.
    every step's ``next_action_at`` is cleared, and everyone who was alerted
    gets a "closed" notice.

    Returns:
        ``CLOSED``; ``ALREADY`` when it was closed before (nothing changes);
        ``DENIED`` for anyone else or an unknown incident.
    """
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None or not _may_close(uow, incident, person_id):
        return CloseResult.DENIED
    # Two closes at once (a double tap, reporter and admin together): the second waits and sees ALREADY;
    # a tick or an acknowledgement working on this incident finishes first.
    incident = _lock_incident(uow, incident_id)
    assert incident is not None
    if incident.status == IncidentStatus.CLOSED:
        return CloseResult.ALREADY
    steps = s.scalars(_locked(uow, select(IncidentStep).where(IncidentStep.incident_id == incident_id))).all()
    incident.status = IncidentStatus.CLOSED.value
    incident.closed_at = now
    incident.closed_by_id = person_id
    # One guarded UPDATE: a row a drain has claimed (live lease) is being sent and is left to the
    # drain; a row sent or failed meanwhile no longer matches (PostgreSQL re-checks the condition
    # on the latest row version). The drain cancels a claimed row of a closed incident it did not
    # send yet (cancel_if_closed) and never records a cancelled row as sent.
    s.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.key.like(f"incident:{incident_id}:%"),
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
            OutboxMessage.cancelled_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
        )
        .values(cancelled_at=now, last_error=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    alerted: list[int] = []
    for step in steps:
        step.next_action_at = None
        if step.sent_at is not None:
            alerted.append(step.person_id)
    _event(uow, incident_id, "closed", now, person_id=person_id)
    s.flush()
    closer = s.get(Person, person_id)
    prompt = m.closed_prompt(_summary(uow, incident), closer=closer.name if closer else "", closed_at=now)
    for to in dict.fromkeys(p for p in [*alerted, incident.reporter_id] if p != person_id):
        enqueue(s, key=f"incident:{incident_id}:closed:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
    log.info("incident %s closed by person %s", incident_id, person_id)
    return CloseResult.CLOSED


def cancel_if_closed(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> bool:
    """The drain's check before sending an incident message: cancel it if its incident is closed.

    Covers rows a close could not cancel because a drain was sending them at
    that moment and must now try again (transient failure, expired lease).
    The incident's "closed" notices (``incident:{id}:closed:to:{q}``) are
    always sent.

    Returns:
        True when the row is (now) cancelled: do not send it. The caller commits.
    """
    if not row.key.startswith("incident:") or ":closed:to:" in row.key:
        return False
    try:
        incident_id = int(row.key.split(":", 2)[1])
    except ValueError:
        return False
    status = uow.session.scalar(select(Incident.status).where(Incident.id == incident_id))
    if status != IncidentStatus.CLOSED:
        return False
    row.cancelled_at = now
    row.claimed_until = None
    row.last_error = CANCELLED
    return True


def run_escalations(uow: UnitOfWork, *, now: datetime) -> int:
    """Send due steps, reminders and missed-deadline notices (the scheduler's tick).

    Finds open incidents with unacknowledged step rows whose ``next_action_at``
    has come and works on each under its incident row lock (PostgreSQL:
    ``FOR UPDATE SKIP LOCKED``, then its steps), so two workers never act on
    the same incident and never deadlock with an acknowledgement or a close
    (all lock the incident row first); the outbox keys guard the rest (a tick repeated at the same time enqueues nothing new). A late
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
    incident = _lock_incident(uow, incident_id, skip_locked=True)
    if incident is None or incident.status != IncidentStatus.OPEN:
        return 0
    policy = EscalationPolicy.from_dict(incident.policy)
    steps = s.scalars(_locked(uow, _due_steps(now).where(IncidentStep.incident_id == incident_id)
                              .order_by(IncidentStep.next_action_at, IncidentStep.id))).all()
    actions = 0
    for step in steps:
        actions += _act(uow, incident, step, now, policy)
        s.flush()
    return actions


def on_recipient_unreachable(uow: UnitOfWork, *, incident_step_id: int, now: datetime) -> None:
    """The outbox's fallback when a step message failed permanently on every channel.

    Writes the timeline event 'unreachable', gives the child's class teacher
    (or, without one, the school admins) a phone-call task
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
    incident = _lock_incident(uow, step.incident_id)  # before the step rows, like every use case
    if incident is None or incident.status == IncidentStatus.CLOSED:
        return
    if uow.dialect == "postgresql":
        s.refresh(step)
    if _unreachable(uow, incident.id, step):
        return
    _event(uow, incident.id, "unreachable", now, person_id=step.person_id, step_no=step.step_no)
    step_reached = s.scalar(select(IncidentStep.id).where(
        IncidentStep.incident_id == incident.id, IncidentStep.step_no == step.step_no,
        IncidentStep.acknowledged_at.is_not(None),
    ).limit(1)) is not None
    if not step_reached and step.missed_at is None and step.sent_at is not None:
        step.next_action_at = _missed_after(step, EscalationPolicy.from_dict(incident.policy))
    s.flush()

    child = s.get(Child, incident.child_id)
    assert child is not None
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    teachers = [klass.class_teacher_id] if klass and klass.class_teacher_id else _admins(uow, child.school_id)
    person = s.get(Person, step.person_id)
    assert person is not None
    role = _roles_of(uow, incident.id).get((step.step_no, step.person_id), "")
    prompt = m.unreachable_prompt(_summary(uow, incident), name=person.name, role=role, phone=person.phone)
    for teacher in teachers:
        key = f"incident:{incident.id}:person:{step.person_id}:phone:{teacher}"
        if s.scalar(select(Task.id).where(Task.key == key)) is None:
            s.add(Task(key=key, kind=TaskKind.PHONE_CONTACT.value, child_id=child.id, assignee_id=teacher,
                       about_person_id=step.person_id, created_at=now,
                       detail=f"incident {incident.id} step {step.step_no}"))
        enqueue(s, key=_key(step, f"unreachable:to:{teacher}"), person_id=teacher, prompt=prompt,
                priority=Priority.URGENT, now=now)
    s.flush()

    others = s.scalars(
        select(IncidentStep).where(IncidentStep.incident_id == incident.id, IncidentStep.step_no == step.step_no)
    ).all()
    if all(o.acknowledged_at is None and _unreachable(uow, incident.id, o) for o in others):
        _send_step(uow, incident, step.step_no + 1, now, reason=f"step {step.step_no} unreachable")
    s.flush()


def set_school_policy(uow: UnitOfWork, *, school_id: int, overrides: dict[str, Any] | None) -> EscalationPolicy:
    """Store a school's escalation policy overrides (None: back to the plan's default).

    Applies to incidents reported afterwards; open incidents keep their snapshot.

    Returns:
        The effective policy.

    Raises:
        ValueError: the overrides are invalid (the reason says which value), or no such school;
            nothing is written.
    """
    policy = EscalationPolicy.from_dict(overrides)
    school = uow.session.get(School, school_id)
    if school is None:
        raise ValueError(f"no school {school_id}")
    school.escalation_policy = overrides
    uow.session.flush()
    return policy


def may_view_incident(uow: UnitOfWork, *, person_id: int, incident_id: int) -> bool:
    """Whether a person may see an incident's timeline: its reporter, the school's admins, its recipients."""
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None:
        return False
    if _may_close(uow, incident, person_id):
        return True
    return s.scalar(
        select(IncidentStep.id).where(IncidentStep.incident_id == incident_id,
                                      IncidentStep.person_id == person_id).limit(1)
    ) is not None


def timeline(uow: UnitOfWork, incident_id: int) -> list[TimelineRow]:
    """Per person of the chain: due by / sent at / acknowledged at (what a school shows its superiors).

    Rows are in step order, then in the order recipients were resolved. Times
    are aware UTC; render them with the school's zone. Access is the caller's
    check (:func:`may_view_incident`).

    Raises:
        LookupError: no such incident.
    """
    s = uow.session
    if s.get(Incident, incident_id) is None:
        raise LookupError(f"no incident {incident_id}")
    roles = _roles_of(uow, incident_id)
    rows = s.execute(
        select(IncidentStep, Person.name)
        .join(Person, Person.id == IncidentStep.person_id)
        .where(IncidentStep.incident_id == incident_id)
        .order_by(IncidentStep.step_no, IncidentStep.id)
    ).all()
    return [
        TimelineRow(
            person_id=step.person_id, name=name, role=roles.get((step.step_no, step.person_id), ""),
            step_no=step.step_no, due_by=step.due_by, sent_at=step.sent_at,
            acknowledged_at=step.acknowledged_at, missed=step.missed_at is not None,
        )
        for step, name in rows
    ]


def timeline_prompt(uow: UnitOfWork, incident_id: int) -> Prompt:
    """The timeline as a prompt for a status command (``/incident`` status); close button while open.

    Raises:
        LookupError: no such incident.
    """
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        raise LookupError(f"no incident {incident_id}")
    return m.timeline_rows_prompt(_summary(uow, incident), timeline(uow, incident_id))
