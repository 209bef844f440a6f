"""Closing an incident with its outcome (issue 6, item 2).

A close is irreversible: it stops every pending alert. The flow
(``bot.flows.incident_manage``) therefore asks for the outcome and a
confirmation naming the child and the report time before it calls
:func:`close_incident`, and everyone the chain reached is told how it ended —
not only "closed".
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update

from bot.domain.enums import IncidentOutcome, IncidentStatus, Priority
from bot.services import incident_close_deferred
from bot.services import incident_notices as notices
from bot.services.incident_escalation import event, incident_summary, lock_incident, locked, school_id_of
from bot.services.incident_limits import reached
from bot.services.incident_people import may_close_incident
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentStep, OutboxMessage, Person, Task

log = logging.getLogger(__name__)

CANCELLED = "cancelled: incident closed"  # OutboxMessage.last_error of messages stopped by a close
MAX_NOTE = 500  # characters of the closer's note


class CloseResult(StrEnum):
    """What a close did."""

    CLOSED = "closed"
    ALREADY = "already"
    DENIED = "denied"


def may_close(uow: UnitOfWork, incident: Incident, person_id: int) -> bool:
    """Whether the person may close the incident (:func:`bot.services.incident_people.may_close_incident`)."""
    return may_close_incident(uow, incident, school_id_of(uow, incident), person_id)


def check_outcome(outcome: str, note: str | None) -> str | None:
    """The note to keep for an outcome (stripped, None when empty).

    Raises:
        ValueError: unknown outcome; "other" without a note; a note over 500 characters.
    """
    if outcome not in {o.value for o in IncidentOutcome}:
        raise ValueError(f"unknown outcome {outcome!r}")
    kept = (note or "").strip() or None
    if outcome == IncidentOutcome.OTHER and kept is None:
        raise ValueError("the outcome 'other' needs a note")
    if kept is not None and len(kept) > MAX_NOTE:
        raise ValueError(f"note over {MAX_NOTE} characters")
    return kept


def close_incident(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime, outcome: str,
                   note: str | None = None) -> CloseResult:
    """Close an incident with its outcome, stopping pending sends (idempotent).

    Allowed to whoever :func:`may_close`. Unsent outbox rows of the incident
    that no drain is sending (no live ``claimed_until`` lease) are cancelled
    (``cancelled_at`` set, ``last_error`` = :data:`CANCELLED`; the drain skips
    them); a row being sent is left to the drain, which records it sent, or,
    if it must try again, cancels it (``incidents.cancel_if_closed``). A row
    never ends with more than one of ``sent_at``, ``failed_at``,
    ``cancelled_at``. Every step's ``next_action_at`` is cleared, the
    "nobody reached" tasks are done, and everyone the incident reached
    (:func:`bot.services.incident_limits.reached`) but the closer is told the
    outcome and the note.

    Args:
        uow: the unit of work (the caller commits).
        person_id: who closes.
        incident_id: the incident.
        now: UTC.
        outcome: ``IncidentOutcome`` value.
        note: the closer's words (required for ``other``; at most 500 characters).

    Returns:
        ``CLOSED``; ``ALREADY`` when it was closed before (nothing changes);
        ``DENIED`` for anyone else or an unknown incident.

    Raises:
        ValueError: a bad outcome or note (:func:`check_outcome`); nothing is written.
    """
    kept_note = check_outcome(outcome, note)
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
    incident.outcome = outcome
    incident.outcome_note = kept_note
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
    for step in steps:
        step.next_action_at = None
    s.execute(update(Task).where(Task.key.like(f"incident:{incident_id}:chain_missed:task%"),
                                 Task.done_at.is_(None)).values(done_at=now)
              .execution_options(synchronize_session=False))
    event(uow, incident_id, "closed", now, person_id=person_id, detail={"outcome": outcome}, note=kept_note)
    s.flush()
    closer = s.get(Person, person_id)
    prompt = notices.closed_prompt(incident_summary(uow, incident), closer=closer.name if closer else "",
                                   closed_at=now, outcome=outcome, note=kept_note)
    told = reached(uow, incident)
    for to in told:
        if to != person_id:
            enqueue(s, key=f"incident:{incident_id}:closed:to:{to}", person_id=to, prompt=prompt,
                    priority=Priority.URGENT, now=now)
    # Closed before a minor incident's chain started (quiet hours): the family is told at 07:00 all the same.
    incident_close_deferred.tell_waiting(uow, incident, prompt, told=told, closer=person_id, now=now)
    log.info("incident %s closed by person %s (%s)", incident_id, person_id, outcome)
    return CloseResult.CLOSED
