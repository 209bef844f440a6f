"""Guardians' consent (PIPL art. 31): who answered the privacy notice, when, where, and what it gates.

A child's status is the latest answer recorded for it by any of its
guardians or parents, in chat or on paper (:class:`~bot.store.models.Consent`,
append-only). Until the status is *granted* only the child's name and class
(and the school's own registration form, a legal duty) are kept: no check-in
goes to the family and no talk record is written. Incident alerts still reach
the family and the chain whatever the answer: they protect the child's life
and health in an emergency (PIPL art. 13(4)); docs/privacy.md says so.

A decline or a withdrawal is told to the child's class teacher and the
school's admins and leaders. A withdrawal also stops the check-ins still
open for the child at once; the records not needed for an open incident are
deleted by the next daily purge (``bot.services.retention``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import aliased

from bot.domain.enums import ADMIN_ROLES, Priority, RelationKind, Role
from bot.domain.privacy import ALL_SCOPES, NOTICE_VERSION, ConsentChannel, ConsentDecision, ConsentStatus, status_of
from bot.messages.prompt import N_, Prompt, msg, phone, text
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    Consent,
    OutboxMessage,
    Person,
    PersonRole,
    School,
    SchoolClass,
)

log = logging.getLogger(__name__)

FAMILY_KINDS = (RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value)
CONTACT_ROLES = (Role.SAFEGUARDING_LEAD.value, Role.ADMIN.value, Role.SCHOOL_LEADER.value)  # in this order

DECLINED_NOTE = N_("{guardian} declined the privacy notice for {child} ({class_name}). Only the name and class are "
                   "kept: no weekly check-ins and no talk records for this child. Please talk with the family; a "
                   "signed paper form can be entered with “guanai consent”.")
WITHDRAWN_NOTE = N_("{guardian} withdrew consent for {child} ({class_name}). Messages about the child have stopped; "
                    "the records will be deleted at the next daily purge, except what an open incident needs.")


@dataclass(frozen=True)
class FamilyChild:
    """A child of a guardian or parent, with its consent status."""

    id: int
    name: str
    class_name: str | None
    status: ConsentStatus


def granted_filter() -> ColumnElement[bool]:
    """A SQL condition on :class:`Child`: its latest consent answer is *granted*.

    A correlated lookup per child, so a planner's query over one school never
    reads every answer of every school (``benchmarks/reminders.py``): one seek
    into ``ix_consents_child_latest`` (child, id, decision), read backwards
    without touching the table or sorting (issue 7: with ``ix_consents_child_at``
    each child's answers were fetched and sorted, most of a city's check-in query).
    """
    latest = (select(Consent.decision).where(Consent.child_id == Child.id).order_by(Consent.id.desc()).limit(1)
              .correlate(Child).scalar_subquery())
    return latest == ConsentDecision.GRANTED.value


def statuses(uow: UnitOfWork, child_ids: list[int]) -> dict[int, ConsentStatus]:
    """Each child's status (pending when nobody answered)."""
    if not child_ids:
        return {}
    rows = uow.session.execute(
        select(Consent.child_id, Consent.decision).where(Consent.id.in_(
            select(func.max(Consent.id)).where(Consent.child_id.in_(child_ids)).group_by(Consent.child_id)))
    ).all()
    found = {c: status_of(d) for c, d in rows}
    return {c: found.get(c, ConsentStatus.PENDING) for c in child_ids}


def granted_at(uow: UnitOfWork, child_ids: list[int]) -> dict[int, datetime]:
    """When the consent in force was given, for the children whose latest answer is *granted*."""
    if not child_ids:
        return {}
    return {c: at for c, at, decision in uow.session.execute(
        select(Consent.child_id, Consent.at, Consent.decision).where(Consent.id.in_(
            select(func.max(Consent.id)).where(Consent.child_id.in_(child_ids)).group_by(Consent.child_id)))
    ).all() if decision == ConsentDecision.GRANTED.value}


def granted_at_in_schools(uow: UnitOfWork, school_ids: list[int]) -> dict[int, datetime]:
    """:func:`granted_at` of every child of these schools, in one query by school (no list of children)."""
    if not school_ids:
        return {}
    latest = aliased(Consent)
    newest = select(func.max(latest.id)).where(latest.child_id == Consent.child_id).correlate(Consent)
    return {c: at for c, at in uow.session.execute(
        select(Consent.child_id, Consent.at).join(Child, Child.id == Consent.child_id)
        .where(Child.school_id.in_(school_ids), Consent.id == newest.scalar_subquery(),
               Consent.decision == ConsentDecision.GRANTED.value)
    ).all()}


def status(uow: UnitOfWork, child_id: int) -> ConsentStatus:
    """One child's status."""
    return statuses(uow, [child_id])[child_id]


def latest_answer(uow: UnitOfWork, child_id: int) -> tuple[ConsentStatus, datetime | None]:
    """One child's status and when its latest answer was given (pending and None when nobody answered)."""
    row = uow.session.execute(select(Consent.decision, Consent.at).where(Consent.child_id == child_id)
                              .order_by(Consent.id.desc()).limit(1)).first()
    if row is None:
        return ConsentStatus.PENDING, None
    at = row[1] if row[1].tzinfo is not None else row[1].replace(tzinfo=UTC)
    return status_of(row[0]), at


def is_granted(uow: UnitOfWork, child_id: int) -> bool:
    """Whether more than the child's name and class may be recorded or sent to the family."""
    return status(uow, child_id) is ConsentStatus.GRANTED


def family_children(uow: UnitOfWork, person_id: int) -> list[FamilyChild]:
    """The active children this person is entrusted guardian, father or mother of, with their status."""
    rows = uow.session.execute(
        select(Child.id, Child.name, SchoolClass.name)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(ChildRelation.person_id == person_id, ChildRelation.kind.in_(FAMILY_KINDS), Child.active.is_(True))
        .distinct()
        .order_by(Child.id)
    ).all()
    found = statuses(uow, [r[0] for r in rows])
    return [FamilyChild(r[0], r[1], r[2], found[r[0]]) for r in rows]


def record(uow: UnitOfWork, *, child_ids: list[int], decision: ConsentDecision, channel: str, now: datetime,
           person_id: int | None = None, recorded_by_id: int | None = None) -> int:
    """Record one answer for each child, with the notice's version and scope; tell the school of a refusal.

    Args:
        uow: the unit of work (the caller commits).
        child_ids: the children the answer is about.
        decision: granted, declined or withdrawn.
        channel: ``bot.domain.privacy.ConsentChannel`` value.
        now: UTC now.
        person_id: the guardian or parent who answered (None: a paper form whose signer is not on record).
        recorded_by_id: the staff member who entered a paper form (None: the guardian answered in chat).

    Returns:
        The number of rows written.
    """
    s = uow.session
    for child_id in child_ids:
        s.add(Consent(child_id=child_id, person_id=person_id, decision=decision.value, at=now, channel=channel,
                      notice_version=NOTICE_VERSION, scope=list(ALL_SCOPES), recorded_by_id=recorded_by_id))
    s.flush()
    if decision is ConsentDecision.WITHDRAWN:
        _stop_checkins(uow, child_ids, now)
    if decision is not ConsentDecision.GRANTED:
        for child_id in child_ids:
            _tell_school(uow, child_id, person_id, decision, now)
    log.info("consent %s recorded for %s children via %s", decision.value, len(child_ids), channel)
    return len(child_ids)


def _stop_checkins(uow: UnitOfWork, child_ids: list[int], now: datetime) -> None:
    """Close the child's unanswered check-ins and cancel their unsent question and reminder."""
    s = uow.session
    open_ids = list(s.scalars(select(Checkin.id).where(
        Checkin.child_id.in_(child_ids), Checkin.answered_at.is_(None), Checkin.cancelled_at.is_(None))))
    if not open_ids:
        return
    s.execute(update(Checkin).where(Checkin.id.in_(open_ids)).values(cancelled_at=now))
    keys = [f"checkin-reminder:{i}" for i in open_ids]
    pending = s.execute(select(Checkin.child_id, Checkin.guardian_id, Checkin.period).where(Checkin.id.in_(open_ids)))
    keys += [f"checkin:{c}:{g}:{p}" for c, g, p in pending]
    s.execute(update(OutboxMessage).where(OutboxMessage.key.in_(keys), OutboxMessage.sent_at.is_(None),
                                          OutboxMessage.cancelled_at.is_(None)).values(cancelled_at=now))


def _tell_school(uow: UnitOfWork, child_id: int, person_id: int | None, decision: ConsentDecision,
                 now: datetime) -> None:
    s = uow.session
    child = s.get(Child, child_id)
    if child is None:
        return
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    guardian = s.get(Person, person_id) if person_id is not None else None
    admins = s.scalars(select(PersonRole.person_id).join(Person, Person.id == PersonRole.person_id).where(
        Person.school_id == child.school_id, PersonRole.role.in_([r.value for r in ADMIN_ROLES]))).all()
    to = dict.fromkeys([*([klass.class_teacher_id] if klass and klass.class_teacher_id else []), *admins])
    note = DECLINED_NOTE if decision is ConsentDecision.DECLINED else WITHDRAWN_NOTE
    prompt = Prompt(note, {"guardian": text(guardian.name if guardian else "—"), "child": text(child.name),
                           "class_name": text(klass.name if klass else "—")})
    stamp = now.strftime("%Y%m%d%H%M%S")
    for person in to:
        enqueue(s, key=f"consent:{child_id}:{decision.value}:{stamp}:to:{person}", person_id=person, prompt=prompt,
                priority=Priority.BULK, now=now)


def record_from_roster(uow: UnitOfWork, *, school_id: int, rows: Sequence[Any], now: datetime) -> int:
    """The roster's consent column (监护人同意): a 是 records a paper form for a child not yet granted.

    A 否 or a blank records nothing (the child stays as it is: pending, or
    what the guardian answered in chat); a guardian's answer in chat is never
    overwritten by the roster. Returns the number of children recorded.
    """
    numbers = [str(r["student_no"]) for r in rows if r["consent"] is True and r["student_no"]]
    if not numbers:
        return 0
    ids = list(uow.session.scalars(select(Child.id).where(Child.school_id == school_id,
                                                          Child.student_no.in_(numbers))))
    todo = [c for c, st in statuses(uow, ids).items() if st is ConsentStatus.PENDING]
    if todo:
        record(uow, child_ids=todo, decision=ConsentDecision.GRANTED, channel=ConsentChannel.ROSTER, now=now)
    return len(todo)


def contact(uow: UnitOfWork, school_id: int) -> dict[str, Any]:
    """The school's designated contact for privacy questions, as a prompt parameter.

    The safeguarding lead, else an admin, else a leader; with the school's
    phone when it has one.
    """
    s = uow.session
    school = s.get(School, school_id)
    name = None
    for role in CONTACT_ROLES:
        name = s.scalar(select(Person.name).join(PersonRole, PersonRole.person_id == Person.id)
                        .where(Person.school_id == school_id, PersonRole.role == role).order_by(Person.id).limit(1))
        if name:
            break
    school_name = school.name if school else ""
    who = text(f"{school_name} {name}".strip()) if name else text(school_name)
    if school is not None and school.phone:
        return msg(N_("{who}, {phone}"), who=who, phone=phone(school.phone))
    return who


def rate(uow: UnitOfWork, school_id: int | None = None) -> tuple[int, int]:
    """``(children with consent granted, active children)`` of one school, or of every school."""
    query = select(func.count(Child.id)).where(Child.active.is_(True))
    if school_id is not None:
        query = query.where(Child.school_id == school_id)
    total = int(uow.session.scalar(query) or 0)
    granted = int(uow.session.scalar(query.where(granted_filter())) or 0)
    return granted, total


def rate_of(uow: UnitOfWork, child_ids: list[int]) -> tuple[int, int]:
    """``(children with consent granted, active children)`` among ``child_ids`` (by chunks: IN lists stay short)."""
    granted = total = 0
    for start in range(0, len(child_ids), 1000):
        query = select(func.count(Child.id)).where(Child.active.is_(True), Child.id.in_(child_ids[start:start + 1000]))
        total += int(uow.session.scalar(query) or 0)
        granted += int(uow.session.scalar(query.where(granted_filter())) or 0)
    return granted, total


def history(uow: UnitOfWork, child_id: int) -> list[Consent]:
    """Every answer recorded for a child, oldest first."""
    return list(uow.session.scalars(select(Consent).where(Consent.child_id == child_id).order_by(Consent.id)))
