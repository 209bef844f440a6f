"""Erasure of the links: an erased child's rows no longer point at, or name, the people around the child.

``guanai erase`` and the daily purge (:mod:`bot.services.retention`) clear a
child's name, archive and texts; the rows that stay for the school's figures
(a check-in's answer, an incident's steps and their times, the delivery of a
message) would otherwise still tie the child, by id, to named relatives: the
guardian who answered, the mother alerted at step 2, the grandparent who wrote
to the class teacher. This step cuts those ties (issue 10, item 4), in the
same transaction as the rest of the erasure:

=========================================  ==========================================================
rows of the erased child                   what changes
=========================================  ==========================================================
check-ins                                  ``guardian_id`` → NULL (those still waiting are closed first)
incident steps                             ``person_id`` → NULL, no next action (the incident is closed)
incident events                            ``person_id`` → NULL, but for the report's and the close's
                                           (the member of staff, kept on the incident too); the
                                           report's ``recipients`` keep their step and role, not the id
family messages                            ``from_person_id`` and ``to_person_id`` → NULL
tasks                                      ``about_person_id`` → NULL, the key (which names people) →
                                           ``erased:task:<id>``; open ones are closed
outbox                                     unsent rows cancelled; then ``person_id``, ``to_account``,
                                           ``last_error`` → NULL, key → ``erased:outbox:<id>``, text "—"
consents                                   ``person_id`` → NULL (decision, time and notice version stay)
family calls                               ``parent_id``, ``requested_by_id``, ``note`` → NULL; calls still
                                           to come are called off (the slot is freed)
letters' replies                           ``parent_id`` → NULL
education plans' responsible people        deleted
monthly news' notes                        → NULL
=========================================  ==========================================================

Staff ids stay where the figures count them (a talk's author, an incident's
reporter, a task's assignee). Every reader of these columns copes with NULL
(they show "—" or leave the row out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.messages.prompt import Prompt
from bot.services.family_calls import CallStatus
from bot.store.models import (
    Checkin,
    Consent,
    EducationPlan,
    EducationPlanPerson,
    FamilyCall,
    FamilyMessage,
    FamilyNews,
    Incident,
    IncidentEvent,
    IncidentStep,
    Letter,
    LetterReply,
    OutboxMessage,
    Task,
)

if TYPE_CHECKING:
    from datetime import datetime

# Events whose person is the member of staff who reported or closed the incident (kept on the incident).
_STAFF_EVENTS = ("reported", "closed")


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def unlink(s: Session, child_ids: list[int], now: datetime) -> int:
    """Cut the erased children's rows from the people around them (module doc); returns the rows changed.

    Args:
        s: the session (the caller commits; every step is an idempotent UPDATE or DELETE).
        child_ids: the children being erased.
        now: UTC now (unsent messages and open tasks are closed at it).
    """
    if not child_ids:
        return 0
    n = _outbox(s, child_ids, now)  # first: older rows are found by keys holding the guardians' ids
    # Unanswered check-ins still waiting for a reminder or a phone task are closed (nobody to remind);
    # older unanswered ones stay as they are, so the figures' answer rates do not change.
    n += _rowcount(s.execute(update(Checkin).where(
        Checkin.child_id.in_(child_ids), Checkin.answered_at.is_(None), Checkin.cancelled_at.is_(None),
        Checkin.escalated_at.is_(None)).values(cancelled_at=now)))
    n += _rowcount(s.execute(update(Checkin).where(Checkin.child_id.in_(child_ids), Checkin.guardian_id.is_not(None))
                             .values(guardian_id=None)))
    n += _incidents(s, child_ids)
    n += _rowcount(s.execute(update(FamilyMessage).where(
        FamilyMessage.child_id.in_(child_ids),
        or_(FamilyMessage.from_person_id.is_not(None), FamilyMessage.to_person_id.is_not(None)))
        .values(from_person_id=None, to_person_id=None)))
    n += _tasks(s, child_ids, now)
    n += _rowcount(s.execute(update(Consent).where(Consent.child_id.in_(child_ids), Consent.person_id.is_not(None))
                             .values(person_id=None)))
    n += _rowcount(s.execute(delete(EducationPlanPerson).where(EducationPlanPerson.plan_id.in_(
        select(EducationPlan.id).where(EducationPlan.child_id.in_(child_ids))))))
    n += _family_calls(s, child_ids, now)
    n += _rowcount(s.execute(update(LetterReply).where(
        LetterReply.letter_id.in_(select(Letter.id).where(Letter.child_id.in_(child_ids))),
        LetterReply.parent_id.is_not(None)).values(parent_id=None)))
    n += _rowcount(s.execute(update(FamilyNews).where(FamilyNews.child_id.in_(child_ids), FamilyNews.note.is_not(None))
                             .values(note=None)))
    s.flush()
    return n


def _family_calls(s: Session, child_ids: list[int], now: datetime) -> int:
    """The children's family calls: those still to come are called off (freeing the slot); none names the parent."""
    mine = FamilyCall.child_id.in_(child_ids)
    n = _rowcount(s.execute(update(FamilyCall).where(
        mine, FamilyCall.status.in_((CallStatus.REQUESTED.value, CallStatus.BOOKED.value)))
        .values(status=CallStatus.CANCELLED.value, slot_key=None, decided_at=now)))
    n += _rowcount(s.execute(update(FamilyCall).where(mine, or_(
        FamilyCall.parent_id.is_not(None), FamilyCall.requested_by_id.is_not(None), FamilyCall.note.is_not(None)))
        .values(parent_id=None, requested_by_id=None, note=None)))
    return n


def _incidents(s: Session, child_ids: list[int]) -> int:
    """Steps and events of the children's incidents (all closed: erasure waits for an open one)."""
    incident_ids = select(Incident.id).where(Incident.child_id.in_(child_ids))
    n = _rowcount(s.execute(update(IncidentStep).where(
        IncidentStep.incident_id.in_(incident_ids),
        or_(IncidentStep.person_id.is_not(None), IncidentStep.next_action_at.is_not(None)))
        .values(person_id=None, next_action_at=None)))
    n += _rowcount(s.execute(update(IncidentEvent).where(
        IncidentEvent.incident_id.in_(incident_ids), IncidentEvent.person_id.is_not(None),
        IncidentEvent.kind.not_in(_STAFF_EVENTS)).values(person_id=None)))
    for row in s.scalars(select(IncidentEvent).where(IncidentEvent.incident_id.in_(incident_ids),
                                                     IncidentEvent.kind == "reported")):
        detail = dict(row.detail or {})
        recipients = detail.get("recipients") or []
        if any(person is not None for _step, person, _role in recipients):
            # Step and role stay, in the order of the steps (the timeline pairs them): who it was goes.
            detail["recipients"] = [[step, None, role] for step, _person, role in recipients]
            row.detail = detail
            n += 1
    return n


def _tasks(s: Session, child_ids: list[int], now: datetime) -> int:
    """The children's tasks: closed if open, no person they are about, a key that names nobody."""
    mine = Task.child_id.in_(child_ids)
    n = _rowcount(s.execute(update(Task).where(mine, Task.done_at.is_(None)).values(done_at=now, cancelled_at=now)))
    for task in s.scalars(select(Task).where(mine, or_(Task.about_person_id.is_not(None),
                                                        Task.key.not_like("erased:task:%")))):
        task.about_person_id = None
        task.key = f"erased:task:{task.id}"
        n += 1
    return n


def _tied_to(s: Session, child_ids: list[int]) -> ColumnElement[bool]:
    """Outbox rows about these children: by ``child_id``, and rows from before it by incident, letter and check-in."""
    incidents = list(s.scalars(select(Incident.id).where(Incident.child_id.in_(child_ids))))
    letters = list(s.scalars(select(Letter.id).where(Letter.child_id.in_(child_ids))))
    checkins = s.execute(select(Checkin.id, Checkin.child_id, Checkin.guardian_id, Checkin.period)
                         .where(Checkin.child_id.in_(child_ids))).all()
    keys = [f"checkin-reminder:{i}" for i, _c, _g, _p in checkins]
    keys += [f"checkin:{c}:{g}:{p}" for _i, c, g, p in checkins if g is not None]
    steps = select(IncidentStep.id).join(Incident, Incident.id == IncidentStep.incident_id).where(
        Incident.child_id.in_(child_ids))
    return or_(OutboxMessage.child_id.in_(child_ids), OutboxMessage.incident_step_id.in_(steps),
               OutboxMessage.key.in_(keys or [""]),
               *[OutboxMessage.key.like(f"incident:{i}:%") for i in incidents],
               *[OutboxMessage.key.like(f"letter:{i}:%") for i in letters])


def _outbox(s: Session, child_ids: list[int], now: datetime) -> int:
    """Cancel what is unsent about the children, then keep only the delivery facts of every such row."""
    tied = _tied_to(s, child_ids)
    n = _rowcount(s.execute(update(OutboxMessage).where(
        tied, OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
        OutboxMessage.cancelled_at.is_(None)).values(cancelled_at=now)))
    erased = Prompt("—").to_dict()
    for row in s.scalars(select(OutboxMessage).where(tied, or_(
            OutboxMessage.person_id.is_not(None), OutboxMessage.to_account.is_not(None),
            OutboxMessage.last_error.is_not(None), OutboxMessage.key.not_like("erased:outbox:%")))):
        row.person_id, row.to_channel, row.to_account, row.last_error = None, None, None, None
        row.key = f"erased:outbox:{row.id}"
        row.payload = dict(erased)
        n += 1
    return n
