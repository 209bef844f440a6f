"""A family member's "all clear" (没事了) after answering an alert reaches everyone the incident reached (conv6l c).

The grandmother confirmed the alert about 刘帅; the chain had gone on to the
father and the officials meanwhile. Her ``好了没事了`` a little later is news
for all of them, not only for the class teacher: it reaches the reporter (with
a Reply, as her other words to the alert do) and everyone else the incident
reached, naming the child, and stays on the incident's timeline (a ``replied``
event with ``{"all_clear": true}``). It goes so once per person and incident,
however long after the acknowledgement while the incident is open; a further
all clear of the same person reaches the reporter only, with its close, as the first (issue 6). A
person left out of the chain is not among those who acknowledged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority
from bot.services import incident_all_clear_notice as notice
from bot.services import incident_privacy as privacy
from bot.services.incident_answered import knows
from bot.services.incident_escalation import event, incident_summary, roles_of
from bot.services.incident_limits import reached
from bot.services.incident_replies import answered_lately, relay_to_reporter
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep, Person

log = logging.getLogger(__name__)


@dataclass
class Cleared:
    """Where an all clear went.

    Attributes:
        told: names of the people told, the reporter first (the urgent news to everyone the incident reached).
        again: names of the reporters who got it as ordinary words: the writer's all clear about that incident
            had reached everyone already (sent once per person and incident, never again urgent to all).
    """

    told: list[str] = field(default_factory=list)
    again: list[str] = field(default_factory=list)


def pass_all_clear(uow: UnitOfWork, *, person_id: int, child_id: int, words: str, now: datetime) -> Cleared:
    """``words`` to everyone the open incidents about ``child_id`` reached, when ``person_id`` answered their alert.

    Only open incidents whose alert ``person_id`` acknowledged, at any time, and that did not leave them out
    (:func:`bot.services.incident_replies.answered_lately` with no window: ``没事了`` two hours on is still the
    news the parents wait for). A second all clear of the same person about the same incident goes to its
    reporter only, with its close, as the first (issue 6).
    """
    s = uow.session
    ids = answered_lately(uow, person_id=person_id, child_id=child_id, now=now, within=None)
    cleared = Cleared()
    writer = s.get(Person, person_id)
    for incident_id in ids:
        incident = s.get(Incident, incident_id)
        if incident is None:
            continue
        if _passed_before(uow, incident_id, person_id):
            if incident.reporter_id != person_id:
                # Still an all clear to its reader: it offers the close as the first did (issue 6).
                name = relay_to_reporter(uow, incident=incident, person_id=person_id, words=words, now=now,
                                         detail=ALL_CLEAR_AGAIN)
                cleared.again += [name] if name else []
            continue
        if incident.reporter_id != person_id:
            name = relay_to_reporter(uow, incident=incident, person_id=person_id, words=words, now=now,
                                     detail=ALL_CLEAR)
            cleared.told += [name] if name else []
        else:
            event(uow, incident_id, "replied", now, person_id=person_id, detail=ALL_CLEAR, note=words)
        step_no = s.scalar(select(IncidentStep.step_no).where(
            IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id).limit(1))
        role = roles_of(uow, incident_id).get((step_no or 0, person_id), "")
        summary = incident_summary(uow, incident)
        for to in reached(uow, incident):
            if to in (person_id, incident.reporter_id):
                continue
            prompt = notice.all_clear_prompt(summary, name=writer.name if writer else "", role=role, words=words,
                                             at=now, named=privacy.named(role, knows(uow, to, incident.child_id)))
            prompt = notice.with_close(uow, prompt, incident=incident, reader_id=to, child=summary.child)
            enqueue(s, key=f"incident:{incident_id}:all_clear:{person_id}:{now.isoformat()}:to:{to}", person_id=to,
                    prompt=prompt, priority=Priority.URGENT, now=now)
            person = s.get(Person, to)
            cleared.told += [person.name] if person else []
    s.flush()
    log.info("all clear from person %s about child %s passed to %d, again to %d", person_id, child_id,
             len(cleared.told), len(cleared.again))
    return Cleared(list(dict.fromkeys(cleared.told)), list(dict.fromkeys(cleared.again)))


ALL_CLEAR = {"all_clear": True}
"""The ``detail`` of the ``replied`` event of an all clear passed to everyone: once per person and incident."""

ALL_CLEAR_AGAIN = {"all_clear": True, "again": True}
"""The ``detail`` of a further all clear of the same person: to the reporter only, with the close as the first."""


def _passed_before(uow: UnitOfWork, incident_id: int, person_id: int) -> bool:
    """Whether an all clear of ``person_id`` about the incident reached everyone already."""
    details = uow.session.scalars(select(IncidentEvent.detail).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.person_id == person_id,
        IncidentEvent.kind == "replied")).all()
    return any(isinstance(d, dict) and d.get("all_clear") for d in details)
