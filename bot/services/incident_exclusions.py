"""Leaving a named person out of an incident's chain, with the reason on the timeline (issue 10, item 9).

Before the report the reporter leaves people out through
``report_incident(..., excluded=…)``; after it, the reporter or the school's
admins (leaders, for a safeguarding report) use :func:`exclude_from_chain`.
A grandmother who must not hear before the mother does, a father a court keeps
away, a relative the child names as the one who hurts them: they get nothing
more about the incident, and the chain goes on without them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update

from bot.domain.enums import IncidentStatus
from bot.domain.escalation import Audience, EscalationPolicy
from bot.services import incident_stand_in_notice as stand_in_notice
from bot.services import tasks
from bot.services.incident_close import CANCELLED, may_close
from bot.services.incident_escalation import (
    event,
    incident_summary,
    lock_incident,
    locked,
    roles_of,
    school_id_of,
    send_alert,
    send_step,
)
from bot.services.incident_limits import reached
from bot.services.incident_people import is_safeguarding, stand_ins
from bot.services.incident_privacy import FAMILY_ROLES
from bot.services.incident_roles import chain_missed_to, kept_away_ids, still_excluded
from bot.services.ports import UnitOfWork
from bot.store.models import Incident, IncidentEvent, IncidentStep, OutboxMessage, Person, Task

log = logging.getLogger(__name__)

MAX_REASON = 500


@dataclass(frozen=True)
class ChainPerson:
    """Someone in an open incident's chain who may still be left out."""

    person_id: int
    name: str
    role: str


def excludable(uow: UnitOfWork, incident_id: int, *, by: int | None = None) -> list[ChainPerson]:
    """Everyone who would still hear of or see the incident, not left out yet: whom ``by`` may leave out.

    The people of its chain in step order (each once), then anyone else it reached or asked to act: sent one
    of its notices (:func:`~bot.services.incident_limits.reached`), holding one of its open tasks, sent its
    nobody-reached summary (issue 9: 刘主任, asked to phone round about an abuse report, could not be left
    out, having no step); of those, never ``by`` nor the reporter, and nobody kept away already.
    """
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None:
        return []
    gone = kept_away_ids(uow, incident_id) | {incident.reporter_id} | ({by} if by is not None else set())
    roles = roles_of(uow, incident_id)
    rows = s.execute(
        select(IncidentStep.step_no, IncidentStep.person_id, Person.name)
        .join(Person, Person.id == IncidentStep.person_id)
        .where(IncidentStep.incident_id == incident_id, IncidentStep.excluded_at.is_(None))
        .order_by(IncidentStep.step_no, IncidentStep.id)
    ).all()
    seen: dict[int, ChainPerson] = {}
    for step_no, person_id, name in rows:
        if person_id is not None:  # the join keeps only steps with a person
            seen.setdefault(person_id, ChainPerson(person_id, name, roles.get((step_no, person_id), "")))
    holders = s.scalars(select(Task.assignee_id).where(
        Task.key.like(f"incident:{incident_id}:%"), Task.done_at.is_(None), Task.cancelled_at.is_(None))).all()
    others = [p for p in dict.fromkeys([*reached(uow, incident), *holders, *chain_missed_to(uow, incident_id)])
              if p not in seen and p not in gone]
    if others:
        found = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(others)))}
        for person_id in others:
            person = found.get(person_id)
            if person is not None:
                role = next(iter(sorted(person.role_set)), "")  # their school role names them in the list
                seen[person_id] = ChainPerson(person_id, person.name, str(role))
    return list(seen.values())


def left_out(uow: UnitOfWork, incident_id: int) -> list[tuple[int | None, str, str]]:
    """``(person id, name, reason)`` of everyone left out of the chain, before or after the report, in order.

    Once the child is erased neither is kept: None, "—" and "" (:mod:`bot.services.retention_links`).
    """
    rows = uow.session.execute(
        select(IncidentEvent.note, IncidentEvent.person_id, func.coalesce(Person.name, "—"))
        .outerjoin(Person, Person.id == IncidentEvent.person_id)
        .where(IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "excluded")
        .order_by(IncidentEvent.id)
    ).all()
    return [(person_id, name, note or "") for note, person_id, name in rows]


def exclude_from_chain(uow: UnitOfWork, *, incident_id: int, by: int, person_id: int, reason: str,
                       now: datetime) -> bool:
    """Leave a person out of an open incident's chain from now on.

    Their step rows get ``excluded_at`` and no next action (no alert, reminder
    or missed notice); their unsent, unclaimed messages about the incident are
    cancelled (the drain cancels one it holds: ``incidents.cancel_if_closed``);
    an ``excluded`` event keeps who did it and why. When they were the last
    unacknowledged recipient of a step that nobody acknowledged and that was
    already sent, the next step is sent at once (the chain must not wait for
    nobody).

    Args:
        uow: the unit of work (the caller commits).
        incident_id: the open incident.
        by: who leaves them out: the reporter or an admin (:func:`~bot.services.incident_close.may_close`).
        person_id: the person left out.
        reason: why (1–500 characters, kept on the timeline, never logged).
        now: UTC.

    Returns:
        True when they were left out; False when the incident is closed or they are not in its chain.

    Raises:
        PermissionError: ``by`` may not change this incident's chain; nothing is written.
        ValueError: an empty or over-long reason; nothing is written.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValueError("a person left out of the chain needs a reason of 1 to 500 characters")
    return leave_out_now(uow, incident_id=incident_id, by=by, person_id=person_id, now=now, reason=reason)


def leave_out_now(uow: UnitOfWork, *, incident_id: int, by: int, person_id: int, now: datetime,
                  reason: str | None = None) -> bool:
    """:func:`exclude_from_chain` from the moment the person is picked, before the reason is typed.

    The reporter picks the accused principal and is then asked why: until the reason was typed, his
    reminders kept coming (fix9t). So he is left out at the pick; the reason follows with
    :func:`record_reason`. A reporter who never types it (called away, ``/cancel``) leaves him left out:
    keeping him away is the safer reading for the child, and his step is not lost — it goes on to the
    others of the step, the leaders' stand-ins, or the next step, as for any person left out.

    Returns, raises: as :func:`exclude_from_chain` (a ``reason`` of None is kept as none yet).
    """
    s = uow.session
    incident = s.get(Incident, incident_id)
    if incident is None or not may_close(uow, incident, by):
        raise PermissionError(f"person {by} may not change the chain of incident {incident_id}")
    incident = lock_incident(uow, incident_id)
    if incident is None or incident.status != IncidentStatus.OPEN:
        return False
    steps = s.scalars(locked(uow, select(IncidentStep).where(
        IncidentStep.incident_id == incident_id, IncidentStep.person_id == person_id,
        IncidentStep.excluded_at.is_(None)))).all()
    if not steps and person_id not in {p.person_id for p in excludable(uow, incident_id, by=by)}:
        return False  # neither in its chain nor reached by it otherwise (notices, tasks)
    for step in steps:
        step.excluded_at = now
        step.next_action_at = None
    s.execute(
        update(OutboxMessage)
        .where(OutboxMessage.incident_step_id.in_([st.id for st in steps]),
               OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.cancelled_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now))
        .values(cancelled_at=now, last_error=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    event(uow, incident_id, "excluded", now, person_id=person_id, detail={"by": by}, note=reason or None)
    s.flush()
    _hand_to_stand_ins(uow, incident, steps, now)
    _their_tasks(uow, incident, person_id, by, now)
    for step_no in sorted({st.step_no for st in steps if st.sent_at is not None}):
        mates = s.scalars(select(IncidentStep).where(IncidentStep.incident_id == incident_id,
                                                     IncidentStep.step_no == step_no)).all()
        reached = any(m.acknowledged_at is not None for m in mates)
        waiting = [m for m in mates if m.excluded_at is None and m.missed_at is None]
        if not reached and not waiting:
            send_step(uow, incident, step_no + 1, now, reason=f"step {step_no} left without recipients")
    log.info("incident %s: person %s left out of the chain by person %s", incident_id, person_id, by)
    return True


def record_reason(uow: UnitOfWork, *, incident_id: int, by: int, person_id: int, reason: str) -> bool:
    """The reason, typed after the pick, on the person's latest 'excluded' event by ``by`` (:func:`leave_out_now`).

    Returns:
        False when there is no such event (nothing written).

    Raises:
        ValueError: an empty or over-long reason; nothing is written.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValueError("a person left out of the chain needs a reason of 1 to 500 characters")
    found = [e for e in uow.session.scalars(select(IncidentEvent).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "excluded",
        IncidentEvent.person_id == person_id).order_by(IncidentEvent.id.desc())) if (e.detail or {}).get("by") == by]
    if not found:
        return False
    found[0].note = reason
    uow.session.flush()
    return True


def _their_tasks(uow: UnitOfWork, incident: Incident, person_id: int, by: int, now: datetime) -> None:
    """The open tasks of the incident of the person just left out: to ``by``, who left them out; none about them.

    A task they were given before (phone a chain member, the nobody-reached call-backs) would keep the
    report on their ``/tasks`` and digest (issue 9); whoever left them out may close the incident, so it
    goes to them, told at once (:func:`~bot.services.tasks.hand_over`). A task to phone the person left
    out is cancelled: nobody phones the accused about the report.
    """
    s = uow.session
    found = s.scalars(select(Task).where(
        Task.key.like(f"incident:{incident.id}:%"), Task.done_at.is_(None), Task.cancelled_at.is_(None),
        or_(Task.assignee_id == person_id, Task.about_person_id == person_id)).order_by(Task.id)).all()
    for task in found:
        if task.about_person_id not in (person_id, by) and by != person_id and tasks.hand_over(
                uow, None, task_id=task.id, to_person_id=by, now=now,
                school_id=school_id_of(uow, incident)) is tasks.Outcome.HANDED:
            continue
        task.cancelled_at = now
        task.done_at = now
        log.info("incident %s: task %s cancelled, person %s left out", incident.id, task.id, person_id)
    s.flush()


def _hand_to_stand_ins(uow: UnitOfWork, incident: Incident, steps: Sequence[IncidentStep], now: datetime) -> None:
    """The last leader of a safeguarding report left out: its leaders' stand-ins are added to that step and alerted.

    The report must not be left with nobody at the school to carry it (break9: the accused principal was
    the only leader; :func:`~bot.services.incident_people.stand_ins`). Their role is added to the
    'reported' event's recipients, so the timeline names it.
    """
    if not is_safeguarding(incident.kind):
        return
    s = uow.session
    policy = EscalationPolicy.from_dict(incident.policy)
    summary = incident_summary(uow, incident)
    gone = kept_away_ids(uow, incident.id)
    for step in steps:
        if step.step_no > len(policy.steps) or policy.steps[step.step_no - 1].audience is not Audience.SCHOOL_LEADERS:
            continue
        mates = s.scalars(select(IncidentStep).where(IncidentStep.incident_id == incident.id,
                                                     IncidentStep.step_no == step.step_no)).all()
        if any(m.excluded_at is None for m in mates):
            continue
        have = {m.person_id for m in mates}
        reported = s.scalar(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id,
                                                        IncidentEvent.kind == "reported").limit(1))
        added = [(p, r) for p, r in stand_ins(uow, school_id_of(uow, incident), gone) if p not in have]
        for person_id, role in added:
            row = IncidentStep(incident_id=incident.id, step_no=step.step_no, person_id=person_id,
                               send_by=step.send_by, due_by=max(step.due_by, now + timedelta(minutes=30)),
                               reminders_sent=0, next_action_at=step.send_by)
            s.add(row)
            s.flush()
            if reported is not None:
                detail = dict(reported.detail or {})
                detail["recipients"] = [*(detail.get("recipients") or []), [step.step_no, person_id, role]]
                reported.detail = detail
            if step.sent_at is not None:
                send_alert(uow, incident, row, now, policy, summary)
            log.info("incident %s: person %s stands in for the leaders left out", incident.id, person_id)
        stand_in_notice.tell_reporter(uow, incident, added, gone, now=now,  # after their alert
                                      not_before=None if step.sent_at is not None else step.send_by)


def left_out_child(uow: UnitOfWork, *, person_id: int, child_ids: Collection[int]) -> int | None:
    """Of ``child_ids``, the child of the latest open incident that left ``person_id`` out of its chain; else None.

    The grandfather suspected (``家属涉嫌，不再通知``) still writes ``没事了``: his words go to the school as ordinary
    words about the child (:mod:`bot.flows.all_clear`), never to the chain, and never tell him who is in it.
    """
    if not child_ids:
        return None
    # The ``excluded`` event, not the step: one left out at the report's confirm step has no step row (fixl).
    return uow.session.scalar(
        select(Incident.child_id).join(IncidentEvent, IncidentEvent.incident_id == Incident.id)
        .where(Incident.child_id.in_(list(child_ids)), Incident.status == IncidentStatus.OPEN.value,
               IncidentEvent.kind == "excluded", IncidentEvent.person_id == person_id, still_excluded())
        .order_by(Incident.id.desc()).limit(1))


def readers(uow: UnitOfWork, incident_id: int, person_id: int) -> list[tuple[int, str, str]]:
    """``(person id, name, role)`` of everyone an addition by ``person_id`` would reach (role "" outside the chain)."""
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        return []
    roles = {p.person_id: p.role for p in excludable(uow, incident_id)}
    found: list[tuple[int, str, str]] = []
    for to in reached(uow, incident):
        person = uow.session.get(Person, to)
        if to != person_id and person is not None:
            found.append((to, person.name, roles.get(to, "")))
    return found


def leave_out_family(uow: UnitOfWork, *, incident_id: int, by: int, reason: str, now: datetime) -> int:
    """Leave every family member out of an open incident's chain (a safeguarding report made from it); how many."""
    family = [p.person_id for p in excludable(uow, incident_id) if p.role in FAMILY_ROLES]
    return sum(exclude_from_chain(uow, incident_id=incident_id, by=by, person_id=p, reason=reason, now=now)
               for p in family)
