"""Who an incident's step rows were for, as the report resolved them: roles, and the person of a step.

The 'reported' event keeps ``[step_no, person_id, role]`` per step row, in the
order the rows were made (:func:`bot.services.incidents.report_incident`).
Once the incident's child is erased the person ids are gone from both the rows
and the event (:mod:`bot.services.retention_links`); the roles stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, and_, cast, exists, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.enums import IncidentKind, RelationKind
from bot.services.ports import UnitOfWork
from bot.store.models import ChildRelation, Incident, IncidentEvent, IncidentStep, Task

FAMILY_RELATIONS = (RelationKind.ENTRUSTED_GUARDIAN, RelationKind.FATHER, RelationKind.MOTHER)


def is_safeguarding(kind: str) -> bool:
    """Whether an incident of this kind is a safeguarding report (its chain skips the family)."""
    return kind == IncidentKind.SUSPECTED_ABUSE.value


def family_ids(uow: UnitOfWork, child_id: int) -> set[int]:
    """The child's entrusted guardians and parents: never told of a safeguarding report, whatever role they hold.

    A teacher or the principal may be the child's guardian (one person with both roles, issue 9.4); the
    accused may be among the family, so a safeguarding report leaves them out as staff too.
    """
    return {int(p) for p in uow.session.scalars(select(ChildRelation.person_id).where(  # type: ignore[arg-type]
        ChildRelation.child_id == child_id, ChildRelation.person_id.is_not(None),
        ChildRelation.kind.in_([k.value for k in FAMILY_RELATIONS])))}


def _recipients(uow: UnitOfWork, incident_id: int) -> list[Any]:
    """The 'reported' event's ``[step_no, person_id, role]`` per step row, in the order the rows were made."""
    detail = uow.session.scalar(
        select(IncidentEvent.detail).where(IncidentEvent.incident_id == incident_id,
                                           IncidentEvent.kind == "reported")
    ) or {}
    return list(detail.get("recipients") or [])


def roles_of(uow: UnitOfWork, incident_id: int) -> dict[tuple[int, int | None], str]:
    """``(step_no, person_id) -> role`` as resolved at report time (kept in the 'reported' event).

    An erased child's incident keeps no person ids (:mod:`bot.services.retention_links`): no entry
    then; :func:`roles_in_order` still has the roles.
    """
    return {(int(n), int(p)): role for n, p, role in _recipients(uow, incident_id) if p is not None}


def roles_in_order(uow: UnitOfWork, incident_id: int) -> list[str]:
    """The roles of the incident's step rows, in step-row order (rows are made in the order resolved)."""
    return [str(role) for _n, _p, role in _recipients(uow, incident_id)]


def recipient(step: IncidentStep) -> int:
    """The step's person.

    Raises:
        LookupError: the step has none: its child was erased (its incident is closed: never acted on).
    """
    if step.person_id is None:
        raise LookupError(f"incident step {step.id} has no person (child erased)")
    return step.person_id


def left_out_ids(uow: UnitOfWork, incident_id: int) -> set[int]:
    """Everyone left out of the incident's chain, before the report or after it, and not let back in since.

    Someone is left out when their latest 'excluded' or 'readmitted' event is 'excluded'
    (:mod:`bot.services.incident_readmit` lets them back in). The event, not the step row: one left out
    at the report's confirm step has no step row (fixl). Someone left out never hears of, sees, or
    closes the incident (break9: the accused principal, left out of an abuse report, was told of it,
    read who had left him out and why, and closed it).
    """
    latest: dict[int, str] = {}
    for person_id, kind in uow.session.execute(
            select(IncidentEvent.person_id, IncidentEvent.kind).where(
                IncidentEvent.incident_id == incident_id, IncidentEvent.kind.in_(("excluded", "readmitted")),
                IncidentEvent.person_id.is_not(None)).order_by(IncidentEvent.id)):
        latest[int(person_id)] = kind  # type: ignore[arg-type]  # filtered: never None
    return {p for p, kind in latest.items() if kind == "excluded"}


def still_excluded() -> ColumnElement[bool]:
    """A condition on an ``IncidentEvent`` of kind 'excluded': no 'readmitted' event of that person came after it.

    The SQL of :func:`left_out_ids`: an 'excluded' event with no later 'readmitted' one is the latest of the two.
    """
    later = aliased(IncidentEvent)
    return ~exists().where(later.incident_id == IncidentEvent.incident_id, later.kind == "readmitted",
                           later.person_id == IncidentEvent.person_id, later.id > IncidentEvent.id)


def kept_away_ids(uow: UnitOfWork, incident_id: int) -> set[int]:
    """Everyone kept away from the incident: those left out of it, and a safeguarding report's family.

    Left out: :func:`left_out_ids`; the family: :func:`family_ids`, whatever school role they hold.

    The one rule of who never hears of, sees, or closes an incident: the principal who is the
    child's guardian must not find an abuse report about her child anywhere (issue 9).
    """
    incident = uow.session.get(Incident, incident_id)
    left_out = left_out_ids(uow, incident_id)
    if incident is None:
        return left_out
    return kept_away_from(uow, kind=incident.kind, child_id=incident.child_id, left_out=left_out)


def kept_away_from(uow: UnitOfWork, *, kind: str, child_id: int, left_out: Iterable[int | str]) -> set[int]:
    """The rule of :func:`kept_away_ids` for a report not sent yet (a draft) as for one sent.

    Args:
        uow: the unit of work.
        kind: the incident's kind (an ``IncidentKind`` value).
        child_id: the child it is about.
        left_out: whom the reporter left out, or picked to leave out before typing why (a draft's
            ``left_out`` keys and ``leaving_out``): the accused is never told first (fix9s).
    """
    gone = {int(p) for p in left_out}
    if is_safeguarding(kind):
        gone |= family_ids(uow, child_id)
    return gone


def tasks_not_kept_away(reader_id: int) -> ColumnElement[bool]:
    """A condition on ``Task``: not a task about an incident ``reader_id`` is kept away from (:func:`kept_away_ids`).

    A school's task list shows its leaders every open task; the call-backs of an abuse report the principal
    was left out of would tell him the report exists (break9), as they would tell the principal who is the
    child's guardian (issue 9).
    """
    prefix = literal("incident:") + cast(IncidentEvent.incident_id, String) + literal(":%")
    left_out = exists().where(IncidentEvent.kind == "excluded", IncidentEvent.person_id == reader_id,
                              Task.key.like(prefix), still_excluded())
    about = literal("incident:") + cast(Incident.id, String) + literal(":%")
    family = exists().where(and_(
        Incident.kind == IncidentKind.SUSPECTED_ABUSE.value, Task.key.like(about),
        ChildRelation.child_id == Incident.child_id, ChildRelation.person_id == reader_id,
        ChildRelation.kind.in_([k.value for k in FAMILY_RELATIONS])))
    return ~left_out & ~family


def incidents_not_kept_away(reader_id: int) -> ColumnElement[bool]:
    """A condition on ``Incident``: not one ``reader_id`` is kept away from (:func:`kept_away_ids`), in SQL.

    The school's figures count incidents per class: the abuse report that left the principal out (or
    that is about a child of his family) must not appear in the figures he reads (issue 9, fix9p).
    """
    left_out = exists().where(IncidentEvent.incident_id == Incident.id, IncidentEvent.kind == "excluded",
                              IncidentEvent.person_id == reader_id, still_excluded())
    family = and_(Incident.kind == IncidentKind.SUSPECTED_ABUSE.value, exists().where(
        ChildRelation.child_id == Incident.child_id, ChildRelation.person_id == reader_id,
        ChildRelation.kind.in_([k.value for k in FAMILY_RELATIONS])))
    return ~left_out & ~family


def chain_missed_to(uow: UnitOfWork, incident_id: int) -> list[int]:
    """Who was sent the incident's nobody-reached summary (its 'chain_missed' event), less anyone left out since."""
    detail = uow.session.scalar(
        select(IncidentEvent.detail).where(IncidentEvent.incident_id == incident_id,
                                           IncidentEvent.kind == "chain_missed").limit(1)
    ) or {}
    gone = kept_away_ids(uow, incident_id)
    return [int(p) for p in detail.get("to") or [] if int(p) not in gone]


def asked_to_phone(uow: UnitOfWork, incident_id: int, person_id: int) -> bool:
    """Whether the person was asked to act on the incident: sent its nobody-reached summary, or given a phone task.

    Whoever is asked to phone someone about an open incident must find it on
    ``/due`` with its timeline (fix6d: the class teacher was given call tasks
    about a colleague's report and could not see it).
    """
    if person_id in kept_away_ids(uow, incident_id):
        return False
    if person_id in chain_missed_to(uow, incident_id):
        return True
    return uow.session.scalar(
        select(Task.id).where(Task.key.like(f"incident:{incident_id}:%"), Task.assignee_id == person_id).limit(1)
    ) is not None
