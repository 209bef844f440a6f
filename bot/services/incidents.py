"""Incidents and the escalation chain (contract stub; implemented by the escalation work)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.store.uow import UnitOfWork


class AckResult(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"  # this person had acknowledged before: nothing changes
    CLOSED = "closed"  # the incident is closed
    NOT_RECIPIENT = "not_recipient"  # this person is not in the chain (deny)


class CloseResult(StrEnum):
    CLOSED = "closed"
    ALREADY = "already"
    DENIED = "denied"


def report_incident(
    uow: UnitOfWork, *, reporter_id: int, child_id: int, kind: str, severity: str,
    description: str, now: datetime, request_key: str | None = None,
) -> int:
    """Record an incident, snapshot the school's policy into steps, enqueue step 1. Returns the incident id."""
    raise NotImplementedError


def acknowledge(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime) -> AckResult:
    """Acknowledge the person's step(s) of an incident (idempotent)."""
    raise NotImplementedError


def close_incident(uow: UnitOfWork, *, person_id: int, incident_id: int, now: datetime) -> CloseResult:
    """Close an incident (reporter or admin), stopping pending sends (idempotent)."""
    raise NotImplementedError


def run_escalations(uow: UnitOfWork, *, now: datetime) -> int:
    """Send due steps, reminders and missed-deadline notices. Returns how many actions were taken."""
    raise NotImplementedError
