"""Who an incident's step rows were for, as the report resolved them: roles, and the person of a step.

The 'reported' event keeps ``[step_no, person_id, role]`` per step row, in the
order the rows were made (:func:`bot.services.incidents.report_incident`).
Once the incident's child is erased the person ids are gone from both the rows
and the event (:mod:`bot.services.retention_links`); the roles stay.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.sql.elements import ColumnElement

from bot.services.ports import UnitOfWork
from bot.store.models import IncidentEvent, IncidentStep, Task


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
    """Everyone left out of the incident's chain, before the report or after it (its 'excluded' events).

    The event, not the step row: one left out at the report's confirm step has
    no step row (fixl). Someone left out never hears of, sees, or closes the
    incident (break9: the accused principal, left out of an abuse report, was
    told of it, read who had left him out and why, and closed it).
    """
    return {int(p) for p in uow.session.scalars(  # type: ignore[arg-type]  # filtered: never None
        select(IncidentEvent.person_id).where(IncidentEvent.incident_id == incident_id,
                                              IncidentEvent.kind == "excluded",
                                              IncidentEvent.person_id.is_not(None)))}


def tasks_not_left_out(reader_id: int) -> ColumnElement[bool]:
    """A condition on ``Task``: not a task about an incident ``reader_id`` was left out of.

    A school's task list shows its leaders every open task; the call-backs of an abuse report the principal
    was left out of would tell him the report exists (break9).
    """
    prefix = literal("incident:") + cast(IncidentEvent.incident_id, String) + literal(":%")
    return ~exists().where(IncidentEvent.kind == "excluded", IncidentEvent.person_id == reader_id,
                           Task.key.like(prefix))


def chain_missed_to(uow: UnitOfWork, incident_id: int) -> list[int]:
    """Who was sent the incident's nobody-reached summary (its 'chain_missed' event), less anyone left out since."""
    detail = uow.session.scalar(
        select(IncidentEvent.detail).where(IncidentEvent.incident_id == incident_id,
                                           IncidentEvent.kind == "chain_missed").limit(1)
    ) or {}
    gone = left_out_ids(uow, incident_id)
    return [int(p) for p in detail.get("to") or [] if int(p) not in gone]


def asked_to_phone(uow: UnitOfWork, incident_id: int, person_id: int) -> bool:
    """Whether the person was asked to act on the incident: sent its nobody-reached summary, or given a phone task.

    Whoever is asked to phone someone about an open incident must find it on
    ``/due`` with its timeline (fix6d: the class teacher was given call tasks
    about a colleague's report and could not see it).
    """
    if person_id in left_out_ids(uow, incident_id):
        return False
    if person_id in chain_missed_to(uow, incident_id):
        return True
    return uow.session.scalar(
        select(Task.id).where(Task.key.like(f"incident:{incident_id}:%"), Task.assignee_id == person_id).limit(1)
    ) is not None
