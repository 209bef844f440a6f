"""Incidents (突发事件): report and acknowledge.

Use cases: :func:`report_incident`, :func:`acknowledge` and
:func:`cancel_if_closed` (the outbox drain's check). Closing with an outcome
is :mod:`bot.services.incident_close`; leaving a person out after the report
:mod:`bot.services.incident_exclusions`; limits and merging
:mod:`bot.services.incident_limits`. The timeline is
:mod:`bot.services.incident_timeline`; the chain's tick is
:func:`bot.services.incident_escalation.run_escalations`; the fallback for an
unreachable recipient is :func:`bot.services.incident_fallback.on_recipient_unreachable`.

Transactions: these functions flush but never commit; the caller commits the
unit of work (``with uow_factory() as uow: …; uow.commit()``), so the state
change and its messages are written together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain.enums import (
    IncidentKind,
    IncidentStatus,
    Priority,
    Severity,
)
from bot.services import incident_answered, incident_limits
from bot.services import incident_messages as m
from bot.services import incident_notices as notices
from bot.services import incident_privacy as privacy
from bot.services import incident_stand_in_notice as stand_in_notice
from bot.services.incident_escalation import (
    event,
    incident_summary,
    lock_incident,
    locked,
    roles_of,
    school_id_of,
    send_step,
    step_key,
)
from bot.services.incident_people import (
    class_teacher_of,
    family_ids,
    is_safeguarding,
    notice_ids,
    plan_for,
    step_reach,
)
from bot.services.incident_reads import cancel_if_closed as cancel_if_closed  # re-exported for their callers
from bot.services.incident_reads import chain_starts_at as chain_starts_at
from bot.services.incident_reads import class_teacher_told as class_teacher_told
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    Incident,
    IncidentStep,
    Person,
)

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 2000  # characters; a short description, not a report
MAX_REASON = 500  # characters of a reason for leaving someone out


class AckResult(StrEnum):
    """What an acknowledgement did."""

    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"  # this person had acknowledged before: nothing changes
    CLOSED = "closed"  # the incident is closed
    NOT_RECIPIENT = "not_recipient"  # this person is not in the chain (deny)
    NOT_ASKED = "not_asked"  # in the chain, but none of their steps was sent yet: nothing changes


def _notify_no_recipients(uow: UnitOfWork, incident: Incident, empty: list[tuple[int, str]], all_empty: bool,
                          now: datetime, start: datetime) -> None:
    """Tell the reporter and the school admins (leaders: safeguarding) which steps have nobody on record.

    One timeline event ``no_recipients`` per empty step; one URGENT message per
    person listing the empty steps (key ``incident:{id}:no_recipients:to:{q}``),
    at once, or when the quiet hours end for a minor incident (``start``).
    """
    for step_no, _audience in empty:
        event(uow, incident.id, "no_recipients", now, step_no=step_no)
    prompt = m.no_recipients_prompt(incident_summary(uow, incident), empty_steps=empty, all_empty=all_empty)
    for to in dict.fromkeys([incident.reporter_id, *notice_ids(uow, incident, school_id_of(uow, incident))]):
        enqueue(uow.session, key=f"incident:{incident.id}:no_recipients:to:{to}", person_id=to, prompt=prompt,
                priority=Priority.URGENT, now=now, not_before=start)
    log.warning("incident %s: nobody on record for step(s) %s", incident.id, [n for n, _ in empty])


def _check(uow: UnitOfWork, *, reporter_id: int, child_id: int, kind: str, severity: str,
           description: str) -> tuple[Child, str]:
    if kind not in {k.value for k in IncidentKind}:
        raise ValueError(f"unknown incident kind {kind!r}")
    if severity not in {v.value for v in Severity}:
        raise ValueError(f"unknown severity {severity!r}")
    if is_safeguarding(kind) and severity != Severity.EMERGENCY:
        raise ValueError("a safeguarding report is always an emergency")
    description = (description or "").strip()
    if not description:
        raise ValueError("an incident needs a description")
    if len(description) > MAX_DESCRIPTION:
        raise ValueError(f"description over {MAX_DESCRIPTION} characters")
    child = uow.session.get(Child, child_id)
    if child is None:
        raise ValueError(f"no child {child_id}")
    if uow.session.get(Person, reporter_id) is None:
        raise ValueError(f"no person {reporter_id}")
    return child, description


def report_incident(
    uow: UnitOfWork, *, reporter_id: int, child_id: int, kind: str, severity: str,
    description: str, now: datetime, request_key: str | None = None,
    excluded: Mapping[int, str] | None = None, quiet_hours: tuple[time, time] | None = None,
) -> int:
    """Record an incident, snapshot the school's policy into steps, enqueue step 1 at once.

    Recipients are resolved now and kept (:func:`bot.services.incident_people.step_recipients`):
    for a family incident the child's entrusted guardians, then the parents
    (a parent without a bound chat account still gets a step row: the
    outbox's fallback handles them), then the school's officials; for a
    safeguarding report (``IncidentKind.SUSPECTED_ABUSE``) the school's
    leaders, then the child-protection contacts — never the family. Steps
    with nobody on record are passed over, and the reporter and the school
    admins (leaders) are told at once (URGENT), so they phone people
    themselves. The child's class teacher, when someone else reported, is
    told at once (not of a safeguarding report). The caller has checked the
    reporter's access to the child (``bot.services.access``) and commits.

    Args:
        uow: the unit of work (the caller commits).
        reporter_id: the reporting member of staff.
        child_id: the child concerned.
        kind: ``IncidentKind`` value.
        severity: ``Severity`` value (a safeguarding report is an emergency).
        description: the reporter's short description (1–2000 characters).
        now: report time, aware UTC.
        request_key: unique per confirm step of the reporting conversation; a
            redelivered confirm returns the incident it already created.
        excluded: people the reporter leaves out of the chain, with the reason
            (1–500 characters): no step row, an ``excluded`` event with the
            reason as its note (issue 10, item 9).
        quiet_hours: the school-time window (``settings.quiet_start``,
            ``quiet_end``) a minor incident waits out
            (:func:`bot.services.incident_people.plan_for`).

    Returns:
        The incident id.

    Raises:
        ValueError: unknown kind or severity, empty or over-long description or
            reason, unknown child or reporter; nothing is written.
        IncidentRateLimited: over a rate limit (:mod:`bot.services.incident_limits`);
            nothing is written.
    """
    s = uow.session
    if request_key is not None:
        existing = s.scalar(select(Incident.id).where(Incident.request_key == request_key))
        if existing is not None:
            return existing
    child, description = _check(uow, reporter_id=reporter_id, child_id=child_id, kind=kind, severity=severity,
                                description=description)
    left_out = {int(p): (r or "").strip() for p, r in (excluded or {}).items()}
    if any(not r or len(r) > MAX_REASON for r in left_out.values()):
        raise ValueError("a person left out of the chain needs a reason of 1 to 500 characters")
    incident_limits.enforce(uow, reporter_id=reporter_id, child_id=child_id, kind=kind, now=now)
    policy, start = plan_for(uow, child=child, kind=kind, severity=severity, now=now, quiet_hours=quiet_hours)
    plan = policy.plan(start, minor=severity == Severity.MINOR)

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
    stood_in: list[tuple[int, str]] = []
    # A safeguarding report never reaches the child's family, not even one on the staff (issue 9.4).
    gone = set(left_out) | (family_ids(uow, child.id) if is_safeguarding(kind) else set())
    for planned in plan:
        # Every leader left out (the accused is the principal): their stand-ins (break9), as the confirm screen says.
        reach = step_reach(uow, child, planned.audience, gone)
        stood_in = reach.told if reach.stood_in else stood_in
        if not reach.found:
            empty.append((planned.step_no, planned.audience.value))
        for person_id, role in reach.told:
            s.add(IncidentStep(
                incident_id=incident.id, step_no=planned.step_no, person_id=person_id,
                send_by=planned.send_by, due_by=planned.due_by, reminders_sent=0,
                next_action_at=planned.send_by,
            ))
            recipients.append([planned.step_no, person_id, role])
    event(uow, incident.id, "reported", now, person_id=reporter_id,
          detail={"kind": kind, "severity": severity, "recipients": recipients})
    for person_id, reason in left_out.items():
        event(uow, incident.id, "excluded", now, person_id=person_id, detail={"by": reporter_id}, note=reason)
    if start > now:
        event(uow, incident.id, "deferred", now, detail={"until": start.isoformat()})
    s.flush()
    _tell_class_teacher(uow, incident, child, now=now, start=start, left_out=left_out)
    if start <= now:
        send_step(uow, incident, 1, now, reason="reported")
    stand_in_notice.tell_reporter(uow, incident, stood_in, left_out, now=now, not_before=start)  # after the alert
    if empty:
        # The reporter was told "the guardian is being contacted": whoever cannot be contacted
        # must be known at once, so that the school phones them itself. Written after step 1, so
        # that a step-1 recipient who also gets this notice (the principal of a safeguarding
        # report) reads the alert first (the outbox sends one person's messages of one priority
        # in the order written; fix6j).
        _notify_no_recipients(uow, incident, empty, all_empty=not recipients, now=now, start=start)
    s.flush()
    log.info("incident %s reported by person %s for child %s (%s, %s)", incident.id, reporter_id, child_id,
             kind, severity)
    return incident.id


def _tell_class_teacher(uow: UnitOfWork, incident: Incident, child: Child, *, now: datetime, start: datetime,
                        left_out: Mapping[int, str]) -> None:
    """The child's class teacher hears at once when another member of staff reported (not a safeguarding report)."""
    teacher = class_teacher_of(uow, child)
    if teacher is None or teacher == incident.reporter_id or teacher in left_out or is_safeguarding(incident.kind):
        return
    enqueue(uow.session, key=f"incident:{incident.id}:class_teacher:to:{teacher}", person_id=teacher,
            prompt=notices.class_teacher_prompt(incident_summary(uow, incident)), priority=Priority.URGENT,
            now=now, not_before=start)


def acknowledge(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime,
                tell_reporter: bool = True) -> AckResult:
    """Acknowledge the person's step(s) of an incident (idempotent).

    Only a recipient of the incident may acknowledge, and only for the steps
    already sent to them (an acknowledgement before their alert changes
    nothing: ``NOT_ASKED``). The first
    acknowledgement of a step sends the next step at once (the school plans:
    "sent when step n is acknowledged"); a step counts as acknowledged when any
    of its recipients acknowledged, so reminders and missed-deadline notices
    stop for every recipient of that step (the others may still acknowledge;
    the timeline shows who did). The reporter is told of every
    acknowledgement at once (URGENT) — unless ``tell_reporter`` is False: the caller
    tells them with the words that acknowledged it (``救命``, never a bare "confirmed").

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
    mine = [step for step in s.scalars(locked(uow,
        select(IncidentStep).where(IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id)
        .order_by(IncidentStep.step_no)
    )).all() if step.excluded_at is None]  # a person left out of the chain is no longer in it
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
        summary = incident_summary(uow, incident)
        prompt = m.acknowledged_prompt(summary, name=person.name if person else "", role=role, acknowledged_at=now) \
            if privacy.named(role, privacy.knows_family(uow, incident.reporter_id, incident.child_id)) \
            else privacy.acknowledged_to_outsider(summary, role=role, acknowledged_at=now)  # by relation only
        if tell_reporter:
            enqueue(s, key=step_key(step, f"ack:to:{incident.reporter_id}"), person_id=incident.reporter_id,
                    prompt=prompt, priority=Priority.URGENT, now=now)
        incident_answered.tell_others(uow, incident, person_id=person_id, step=step, now=now)  # nobody keeps phoning
    s.flush()
    return AckResult.ACKNOWLEDGED
