"""A minor incident closed before its chain started still reaches the family, when the quiet hours end (break6 F6).

王老师 reports at 21:30 that 杨婷 has a cough and a slight fever (minor); she is told "将于07:00通知家人". At 22:00 she
closes it ("孩子在学校，安全"). The close cancelled the alert waiting for 07:00 and told only those already reached,
so the family never heard of it. A school expects the family to be told anyway: each person of the chain's first
step who was waiting for the quiet hours to end gets, at that time, one message with the incident and its outcome
(the close notice, with what was reported), instead of the alert.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority, Severity
from bot.messages.prompt import N_, Prompt, text
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep

REPORTED = N_("What was reported: {description}")


def chain_start(uow: UnitOfWork, incident: Incident) -> datetime | None:
    """When a minor incident's deferred chain starts (UTC), None when it was not deferred.

    The same reading as :func:`bot.services.incidents.chain_starts_at` (not imported: that module imports the
    close), from the incident's ``deferred`` event.
    """
    if incident.severity != Severity.MINOR:
        return None
    detail = uow.session.scalars(select(IncidentEvent.detail).where(
        IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "deferred")).first()
    until = (detail or {}).get("until")
    return datetime.fromisoformat(str(until)) if until else None


def tell_waiting(uow: UnitOfWork, incident: Incident, prompt: Prompt, *, told: list[int], closer: int,
                 now: datetime) -> list[int]:
    """Enqueue the close notice for the first step's people whose alert waited for the quiet hours' end.

    Args:
        uow: the close's unit of work (the caller commits).
        incident: the incident just closed.
        prompt: its close notice (outcome and note).
        told: the people already sent the close notice (everyone the incident reached).
        closer: who closed it (told nothing).
        now: UTC now.

    Returns:
        Who will be told, at the chain's planned start (``not_before``); empty when the chain had started.
    """
    start = chain_start(uow, incident)
    if start is None or start <= now:
        return []
    steps = uow.session.scalars(select(IncidentStep).where(
        IncidentStep.incident_id == incident.id, IncidentStep.sent_at.is_(None),
        IncidentStep.excluded_at.is_(None), IncidentStep.person_id.is_not(None))).all()
    if not steps:
        return []
    first = min(step.step_no for step in steps)
    waiting = [step.person_id for step in steps if step.step_no == first and step.person_id is not None]
    notice = replace(prompt, lines=(*prompt.lines, (REPORTED, {"description": text(incident.description or "")})))
    whom = [p for p in dict.fromkeys(waiting) if p not in told and p != closer]
    for to in whom:
        enqueue(uow.session, key=f"incident:{incident.id}:closed:to:{to}", person_id=to, prompt=notice,
                priority=Priority.URGENT, now=now, not_before=start, child_id=incident.child_id)
    return whom
