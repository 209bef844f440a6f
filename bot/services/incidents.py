"""Incidents (突发事件): report, acknowledge, close, and the timeline a school shows its superiors.

Use cases: :func:`report_incident`, :func:`acknowledge`, :func:`close_incident`
and :func:`cancel_if_closed` (the outbox drain's check). The timeline is
:mod:`bot.services.incident_timeline`; the chain's tick is
:func:`bot.services.incident_escalation.run_escalations`; the fallback for an
unreachable recipient is :func:`bot.services.incident_fallback.on_recipient_unreachable`.

Transactions: these functions flush but never commit; the caller commits the
unit of work (``with uow_factory() as uow: …; uow.commit()``), so the state
change and its messages are written together or not at all.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.enums import (
    IncidentKind,
    IncidentStatus,
    Priority,
    Severity,
)
from bot.domain.escalation import EscalationPolicy
from bot.services import incident_messages as m
from bot.services.identity import school_admin_ids
from bot.services.incident_escalation import (
    event,
    incident_summary,
    lock_incident,
    locked,
    roles_of,
    school_id_of,
    send_step,
    step_key,
    step_recipients,
)
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    Incident,
    IncidentStep,
    OutboxMessage,
    Person,
    School,
)

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 2000  # characters; a short description, not a report
CANCELLED = "cancelled: incident closed"  # OutboxMessage.last_error of messages stopped by a close


class AckResult(StrEnum):
    """What an acknowledgement did."""

    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"  # this person had acknowledged before: nothing changes
    CLOSED = "closed"  # the incident is closed
    NOT_RECIPIENT = "not_recipient"  # this person is not in the chain (deny)
    NOT_ASKED = "not_asked"  # in the chain, but none of their steps was sent yet: nothing changes


class CloseResult(StrEnum):
    """What a close did."""

    CLOSED = "closed"
    ALREADY = "already"
    DENIED = "denied"


def _notify_no_recipients(uow: UnitOfWork, incident: Incident, empty: list[tuple[int, str]], all_empty: bool,
                          now: datetime) -> None:
    """Tell the reporter and the school admins at once which steps have nobody on record (they phone).

    One timeline event ``no_recipients`` per empty step; one URGENT message per
    person listing the empty steps (key ``incident:{id}:no_recipients:to:{q}``).
    """
    for step_no, _audience in empty:
        event(uow, incident.id, "no_recipients", now, step_no=step_no)
    prompt = m.no_recipients_prompt(incident_summary(uow, incident), empty_steps=empty, all_empty=all_empty)
    for to in dict.fromkeys([incident.reporter_id, *school_admin_ids(uow, school_id_of(uow, incident))]):
        enqueue(uow.session, key=f"incident:{incident.id}:no_recipients:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now)
    log.warning("incident %s: nobody on record for step(s) %s", incident.id, [n for n, _ in empty])


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
        uow: the unit of work (the caller commits).
        reporter_id: the reporting teacher.
        child_id: the child concerned.
        kind: ``IncidentKind`` value.
        severity: ``Severity`` value.
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
        found = step_recipients(uow, child, planned.audience)
        if not found:
            empty.append((planned.step_no, planned.audience.value))
        for person_id, role in found:
            s.add(IncidentStep(
                incident_id=incident.id, step_no=planned.step_no, person_id=person_id,
                send_by=planned.send_by, due_by=planned.due_by, reminders_sent=0,
                next_action_at=planned.send_by,
            ))
            recipients.append([planned.step_no, person_id, role])
    event(uow, incident.id, "reported", now, person_id=reporter_id,
           detail={"kind": kind, "severity": severity, "recipients": recipients})
    s.flush()
    if empty:
        # The reporter was told "the guardian is being contacted": whoever cannot be contacted
        # must be known at once, so that the school phones them itself.
        _notify_no_recipients(uow, incident, empty, all_empty=not recipients, now=now)
    send_step(uow, incident, 1, now, reason="reported")
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
    incident = lock_incident(uow, incident_id)
    if incident is None:
        return AckResult.NOT_RECIPIENT
    mine = s.scalars(locked(uow,
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
        event(uow, incident_id, "acknowledged", now, person_id=person_id, step_no=step.step_no)
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
            send_step(uow, incident, step.step_no + 1, now, reason=f"step {step.step_no} acknowledged")
    if person_id != incident.reporter_id:
        # The reporter was promised "you will hear when people acknowledge" (flows.incident).
        step = pending[0]
        person = s.get(Person, person_id)
        role = roles_of(uow, incident_id).get((step.step_no, person_id), "")
        enqueue(s, key=step_key(step, f"ack:to:{incident.reporter_id}"), person_id=incident.reporter_id,
                prompt=m.acknowledged_prompt(incident_summary(uow, incident), name=person.name if person else "",
                                             role=role, acknowledged_at=now),
                priority=Priority.URGENT, now=now)
    s.flush()
    return AckResult.ACKNOWLEDGED


def may_close(uow: UnitOfWork, incident: Incident, person_id: int) -> bool:
    """Whether the person may close the incident: its reporter or the school's admins and leaders."""
    return person_id == incident.reporter_id or person_id in school_admin_ids(uow, school_id_of(uow, incident))


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
    if incident is None or not may_close(uow, incident, person_id):
        return CloseResult.DENIED
    # Two closes at once (a double tap, reporter and admin together): the second waits and sees ALREADY;
    # a tick or an acknowledgement working on this incident finishes first.
    locked_incident = lock_incident(uow, incident_id)
    if locked_incident is None:  # deleted meanwhile: nothing to close
        return CloseResult.DENIED
    incident = locked_incident
    if incident.status == IncidentStatus.CLOSED:
        return CloseResult.ALREADY
    steps = s.scalars(locked(uow, select(IncidentStep).where(IncidentStep.incident_id == incident_id))).all()
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
    event(uow, incident_id, "closed", now, person_id=person_id)
    s.flush()
    closer = s.get(Person, person_id)
    prompt = m.closed_prompt(incident_summary(uow, incident), closer=closer.name if closer else "", closed_at=now)
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
