"""Which incident an outbox row is about, so that whatever is done with the row keeps the kept-away rule.

An undeliverable row is forwarded (:mod:`bot.services.delivery_fallbacks`) and a row stuck
on its way raises the no-signal alarm (:mod:`bot.services.no_signal`): both tell people the row
was not meant for. When the row is about an incident, nobody it keeps away
(:func:`bot.services.incident_roles.kept_away_ids`: the accused principal left out of an abuse
report, the child's family for a safeguarding report) may be among them (fix9s: the principal
read 「转给您：这条消息原本发给刘科长……」 about the report he was left out of).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.services.incident_people import class_teacher_of, notice_ids, stand_ins
from bot.services.incident_roles import is_safeguarding, kept_away_ids
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentStep, OutboxMessage, Task

_INCIDENT_KEY = re.compile(r"^incident:(\d+):")
_TASK_KEY = re.compile(r"^task:(\d+):")
# A copy of another row: forwarded (bot.services.delivery_fallbacks.FORWARD_KEY_PREFIX + the row's id), or
# the no-signal alarm about it (bot.services.no_signal).
_COPY_KEY = re.compile(r"^(?:fwd|alarm:urgent):(\d+):")


def incident_of(uow: UnitOfWork, row: OutboxMessage) -> Incident | None:
    """The incident a row is about, or None.

    Found from the row's step, its key (``incident:<id>:…``), its task's key, or, for a forwarded copy or a
    no-signal alarm (``fwd:<row>:…``, ``alarm:urgent:<row>:…``), the original row's.
    """
    s = uow.session
    if row.incident_step_id is not None:
        return s.scalar(select(Incident).join(IncidentStep, IncidentStep.incident_id == Incident.id)
                        .where(IncidentStep.id == row.incident_step_id))
    key = row.key
    if (copied := _COPY_KEY.match(key)) is not None:  # a copy, or an alarm about a row: that row's
        original = s.get(OutboxMessage, int(copied[1]))
        return incident_of(uow, original) if original is not None and original.id != row.id else None
    if (task := _TASK_KEY.match(key)) is not None:  # a notice about a task: the task's key names its incident
        key = s.scalar(select(Task.key).where(Task.id == int(task[1]))) or ""
    if (match := _INCIDENT_KEY.match(key)) is not None:
        return s.get(Incident, int(match[1]))
    return None


def kept_away_from_row(uow: UnitOfWork, row: OutboxMessage) -> set[int]:
    """Everyone the row's incident keeps away (nobody when the row is about no incident)."""
    incident = incident_of(uow, row)
    return kept_away_ids(uow, incident.id) if incident is not None else set()


def stand_ins_for(uow: UnitOfWork, incident: Incident, unreachable: int) -> list[int]:
    """Who takes an incident's message meant for ``unreachable``, never anyone the incident keeps away.

    A family incident's: the child's class teacher and the school's admins; a safeguarding report's: its
    leaders only (its details stay with its chain; the class teacher is not told). When all of them are kept
    away or are the unreachable person, the stand-ins the chain itself uses (:func:`stand_ins`: the admins,
    then the education bureau, then the town government).
    """
    child = uow.session.get(Child, incident.child_id)
    if child is None:
        return []
    gone = kept_away_ids(uow, incident.id) | {unreachable}
    teacher = None if is_safeguarding(incident.kind) else class_teacher_of(uow, child)
    to = [p for p in dict.fromkeys([*([teacher] if teacher is not None else []),
                                    *notice_ids(uow, incident, child.school_id)]) if p not in gone]
    return to or [p for p, _role in stand_ins(uow, child.school_id, gone)]
