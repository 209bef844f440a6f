"""A family member's words while an incident about their child is open reach those handling it (issue 6, conv6p).

A grandfather who confirmed the alert about 杨秀云 writes an hour later
``孩子怎么样了`` or ``在哪个医院``. That is a question about the incident, not a
note for the class teacher's pile: while the incident is open, the words of
anyone its chain reached (an alert of theirs was sent; the guardian, the
parents) go URGENT to the incident's reporter and to the child's class teacher
when that is someone else, as a message about that incident (the child named,
the report time), with the writer's phone and the Reply every family message
has (:func:`bot.services.incident_replies.relay_to_handlers`); the words are on
the incident's timeline (a ``replied`` event). The teacher's answer goes back
to the writer (:func:`bot.services.family_messages.answer`).

A child who has left school since the incident was reported (its chain goes
on until it is closed) is still the alert's child for the family's emergency
words (:func:`left_alerted`).

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.enums import IncidentStatus
from bot.services import family_messages
from bot.services.family_messages import FAMILY_KINDS, FamilyChild
from bot.services.incident_replies import relay_to_handlers
from bot.services.incident_roles import incidents_not_kept_away
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Incident, IncidentStep, SchoolClass


@dataclass(frozen=True)
class Asked:
    """Where the words went: the incident's child and report time, and its readers as ``(name, role)``.

    ``role`` is ``reporter`` for the incident's reporter, else the reader's role (``class_teacher``).
    """

    child: str
    reported_at: datetime
    readers: tuple[tuple[str, str], ...]


def reached_open(uow: UnitOfWork, *, person_id: int, child_id: int) -> list[int]:
    """Ids of the open incidents about ``child_id`` whose chain reached ``person_id`` (a step sent), oldest first."""
    return list(uow.session.scalars(
        select(Incident.id).join(IncidentStep, IncidentStep.incident_id == Incident.id)
        .where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
               IncidentStep.person_id == person_id, IncidentStep.sent_at.is_not(None),
               IncidentStep.excluded_at.is_(None))
        .group_by(Incident.id).order_by(Incident.id)).all())


def ask(uow: UnitOfWork, *, person_id: int, child_id: int, words: str, now: datetime) -> Asked | None:
    """Pass ``words`` about ``child_id`` to those handling its latest open incident that reached the writer.

    None when no such incident is open (the words are an ordinary family message then).
    """
    ids = reached_open(uow, person_id=person_id, child_id=child_id)
    incident = uow.session.get(Incident, ids[-1]) if ids else None
    child = uow.session.get(Child, child_id)
    if incident is None or child is None or not words.strip():
        return None
    readers = relay_to_handlers(uow, incident=incident, person_id=person_id, words=words, now=now)
    uow.session.flush()
    return Asked(child.name, incident.reported_at, tuple(readers)) if readers else None


def to_reporter(uow: UnitOfWork, *, person_id: int, child_id: int, words: str, now: datetime) -> Asked | None:
    """Emergency ``words`` the class teacher has as 【紧急】 already: to the open incident's reporter too.

    None when no incident that reached the writer is open, or its reporter is the class teacher (told already).
    """
    ids = reached_open(uow, person_id=person_id, child_id=child_id)
    incident = uow.session.get(Incident, ids[-1]) if ids else None
    child = uow.session.get(Child, child_id)
    if incident is None or child is None or not words.strip():
        return None
    reader = family_messages.reader_of(uow, child)
    if reader is not None and reader[0] == incident.reporter_id:
        return None
    readers = relay_to_handlers(uow, incident=incident, person_id=person_id, words=words, now=now, teacher=False)
    uow.session.flush()
    return Asked(child.name, incident.reported_at, tuple(readers)) if readers else None


def left_alerted(uow: UnitOfWork, person_id: int) -> list[FamilyChild]:
    """The children who left school of whose open incident ``person_id`` (their family) got an alert.

    The alert stays open after the child left (the chain goes on until it is closed): the family's ``救命``
    at it still gets what to do now (:mod:`bot.flows.emergency`).
    """
    rows = uow.session.execute(
        select(Child.id, Child.name, SchoolClass.name, ChildRelation.kind, ChildRelation.relationship_label)
        .join(Incident, Incident.child_id == Child.id)
        .join(IncidentStep, IncidentStep.incident_id == Incident.id)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.active.is_(False), Child.erased_at.is_(None), Incident.status == IncidentStatus.OPEN.value,
               IncidentStep.person_id == person_id, IncidentStep.sent_at.is_not(None),
               IncidentStep.excluded_at.is_(None),  # a person left out of the chain is no longer alerted
               ChildRelation.person_id == person_id, ChildRelation.kind.in_(FAMILY_KINDS))
        .order_by(Child.id)).all()
    seen: dict[int, FamilyChild] = {}
    for child_id, name, class_name, kind, label in rows:
        seen.setdefault(child_id, FamilyChild(child_id, name, class_name, kind, label))
    return list(seen.values())


def incident_children(uow: UnitOfWork, *, person_id: int, child_ids: list[int]) -> list[int]:
    """Those of ``child_ids`` with an open incident that reached ``person_id`` and that she is not kept away from.

    A safeguarding report keeps the child's family away (:func:`bot.services.incident_roles.incidents_not_kept_away`):
    such an incident is never named to her, however its chain ran.
    """
    found = []
    for child_id in child_ids:
        ids = reached_open(uow, person_id=person_id, child_id=child_id)
        if ids and uow.session.scalar(select(Incident.id).where(Incident.id.in_(ids), incidents_not_kept_away(
                person_id)).limit(1)) is not None:
            found.append(child_id)
    return found
