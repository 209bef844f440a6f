"""A family member's "all clear" (没事了) after answering an alert reaches everyone the incident reached (conv6l c).

The grandmother confirmed the alert about 刘帅; the chain had gone on to the
father and the officials meanwhile. Her ``好了没事了`` a little later is news
for all of them, not only for the class teacher: it reaches the reporter (with
a Reply, as her other words to the alert do) and everyone else the incident
reached, naming the child, and stays on the incident's timeline.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import Priority
from bot.services import incident_privacy as privacy
from bot.services.incident_answered import knows
from bot.services.incident_escalation import incident_summary, roles_of
from bot.services.incident_limits import reached
from bot.services.incident_replies import answered_lately, relay_to_reporter, reply_prompt
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentStep, Person

log = logging.getLogger(__name__)


def pass_all_clear(uow: UnitOfWork, *, person_id: int, child_id: int, words: str, now: datetime) -> list[str]:
    """``words`` to everyone the open incidents about ``child_id`` reached, when ``person_id`` answered lately.

    Only incidents whose alert ``person_id`` acknowledged lately
    (:func:`bot.services.incident_replies.answered_lately`); returns the names of the people told (the reporter
    first), empty when there is no such incident.
    """
    s = uow.session
    ids = answered_lately(uow, person_id=person_id, child_id=child_id, now=now)
    told: list[str] = []
    writer = s.get(Person, person_id)
    for incident_id in ids:
        incident = s.get(Incident, incident_id)
        if incident is None:
            continue
        if incident.reporter_id != person_id:
            name = relay_to_reporter(uow, incident=incident, person_id=person_id, words=words, now=now)
            told += [name] if name else []
        step_no = s.scalar(select(IncidentStep.step_no).where(
            IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id).limit(1))
        role = roles_of(uow, incident_id).get((step_no or 0, person_id), "")
        summary = incident_summary(uow, incident)
        for to in reached(uow, incident):
            if to in (person_id, incident.reporter_id):
                continue
            prompt = reply_prompt(summary, name=writer.name if writer else "", role=role, words=words, at=now) \
                if privacy.named(role, knows(uow, to, incident.child_id)) \
                else privacy.reply_to_outsider(summary, role=role, words=words, at=now)  # by relation only
            enqueue(s, key=f"incident:{incident_id}:all_clear:{person_id}:{now.isoformat()}:to:{to}", person_id=to,
                    prompt=prompt, priority=Priority.URGENT, now=now)
            person = s.get(Person, to)
            told += [person.name] if person else []
    s.flush()
    log.info("all clear from person %s about child %s passed to %d", person_id, child_id, len(told))
    return list(dict.fromkeys(told))
