"""Individual education plans (个别教育管理方案) for a child in difficulty: goals, measures, people, reviews, notes.

A plan is opened for a child flagged by a talk card (follow-up or a safety
concern) or by the class teacher; the child's class teacher and the school's
admins and leaders open, review and close it, and every responsible person
may add progress notes. Each plan has one open review at a time (a local
date); on that school day (outside the quiet hours) each responsible person
gets a ``plan_review`` task and a message. Recording the review plans the
next one :data:`REVIEW_EVERY` later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import STAFF_ROLES, PlanReason, PlanStatus, Priority, RelationKind, Role, TaskKind
from bot.domain.periods import in_quiet_hours, local_date
from bot.messages.prompt import N_, Prompt, PromptKind, day, text
from bot.services import cards, tasks
from bot.services.identity import Actor
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Child,
    ChildRelation,
    EducationPlan,
    EducationPlanNote,
    EducationPlanPerson,
    EducationPlanReview,
    Person,
    School,
    SchoolClass,
    TalkRecord,
)

log = logging.getLogger(__name__)

REVIEW_EVERY = timedelta(days=30)
MAX_ITEMS = 10  # goals or measures per plan
MAX_NOTE = 500


@dataclass(frozen=True)
class PlanView:
    """A plan as shown in chat."""

    id: int
    child_id: int
    child_name: str
    status: str
    reason: str
    goals: list[str]
    measures: list[str]
    people: list[str]
    next_review: date | None
    review_id: int | None
    notes: list[tuple[datetime, str, str]]  # (written at, author, text), newest first (five)
    opened_at: datetime


def may_manage(uow: UnitOfWork, actor: Actor, child: Child) -> bool:
    """The child's class teacher and the school's admins and leaders open, review and close plans."""
    return cards.may_correct(uow, actor, child)


def may_see(uow: UnitOfWork, actor: Actor, plan: EducationPlan) -> bool:
    """Those who manage plans for the child, and the plan's responsible people."""
    child = uow.session.get(Child, plan.child_id)
    if child is None:
        return False
    if may_manage(uow, actor, child):
        return True
    return uow.session.scalar(select(EducationPlanPerson.id).where(
        EducationPlanPerson.plan_id == plan.id, EducationPlanPerson.person_id == actor.person_id)) is not None


def flagged_by_talk(uow: UnitOfWork, child_id: int) -> int | None:
    """The newest talk card of the child that asked for follow-up or noted a safety concern (its id), or None."""
    return uow.session.scalar(
        select(TalkRecord.id).where(TalkRecord.child_id == child_id,
                                    (TalkRecord.follow_up.is_(True)) | (TalkRecord.safety_concern.is_(True)))
        .order_by(TalkRecord.talked_at.desc()).limit(1))


def default_people(uow: UnitOfWork, child: Child) -> list[int]:
    """The class teacher and the paired helper teacher(s): the usual responsible people."""
    s = uow.session
    found: list[int] = []
    teacher = s.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id)) \
        if child.class_id else None
    if teacher is not None:
        found.append(teacher)
    found += [p for p in s.scalars(select(ChildRelation.person_id).where(
        ChildRelation.child_id == child.id, ChildRelation.kind == RelationKind.HELPER_TEACHER.value))
        if p is not None and p not in found]
    return found


def may_be_responsible(uow: UnitOfWork, child_id: int, person_id: int) -> bool:
    """Whether the person may be named responsible for a plan of this child (issue 9, found by testers).

    The school's staff (teachers, leaders, admins) of the child's school, or a caring-parent volunteer paired
    with the child: a volunteer not paired with the child could not open the plan she is reminded to review
    (``/plan`` follows the pairing), as a task about a child is handed only to them (``tasks.hand_over``).
    """
    s = uow.session
    person, child = s.get(Person, person_id), s.get(Child, child_id)
    if person is None or child is None or person.left_at is not None or person.school_id != child.school_id:
        return False
    if (STAFF_ROLES - {Role.CARING_PARENT}) & person.role_set:
        return True
    return Role.CARING_PARENT in person.role_set and s.scalar(select(ChildRelation.id).where(
        ChildRelation.child_id == child_id, ChildRelation.person_id == person_id,
        ChildRelation.kind == RelationKind.CARING_PARENT.value).limit(1)) is not None


def open_plan(uow: UnitOfWork, actor: Actor | None, *, child_id: int, goals: list[str], measures: list[str],
              people: list[int], first_review: date, now: datetime, request_key: str | None = None,
              reason: PlanReason | None = None) -> int | None:
    """Open a plan; returns its id, or None when the actor may not (``actor`` None: the importer). Caller commits."""
    s = uow.session
    if request_key is not None:
        existing = s.scalar(select(EducationPlan.id).where(EducationPlan.request_key == request_key))
        if existing is not None:
            return existing
    child = s.get(Child, child_id)
    if child is None or (actor is not None and (not child.active or not may_manage(uow, actor, child))):
        return None
    talk = flagged_by_talk(uow, child.id)
    plan = EducationPlan(
        child_id=child.id, school_id=child.school_id,
        reason=(reason or (PlanReason.TALK if talk else PlanReason.CLASS_TEACHER)).value, talk_record_id=talk,
        goals=[g for g in goals if g][:MAX_ITEMS], measures=[m for m in measures if m][:MAX_ITEMS],
        opened_by_id=actor.person_id if actor else None, opened_at=now, status=PlanStatus.OPEN.value,
        request_key=request_key)
    s.add(plan)
    s.flush()
    for person_id in dict.fromkeys(people or default_people(uow, child)):
        if actor is None or may_be_responsible(uow, child.id, person_id):  # the chat refuses the others first
            s.add(EducationPlanPerson(plan_id=plan.id, person_id=person_id))
    s.add(EducationPlanReview(plan_id=plan.id, due_on=first_review))
    s.flush()
    log.info("education plan %s opened for child %s by person %s", plan.id, child.id,
             actor.person_id if actor else None)
    return plan.id


def plans_of(uow: UnitOfWork, actor: Actor, child_id: int) -> list[PlanView]:
    """The child's plans the actor may see, open first, newest first."""
    s = uow.session
    rows = s.scalars(select(EducationPlan).where(EducationPlan.child_id == child_id)
                     .order_by(EducationPlan.status.desc(), EducationPlan.opened_at.desc())).all()
    return [view(uow, p) for p in rows if may_see(uow, actor, p)]


def view(uow: UnitOfWork, plan: EducationPlan) -> PlanView:
    """The plan as shown."""
    s = uow.session
    child = s.get(Child, plan.child_id)
    people = list(s.scalars(select(Person.name).join(EducationPlanPerson, EducationPlanPerson.person_id == Person.id)
                            .where(EducationPlanPerson.plan_id == plan.id).order_by(EducationPlanPerson.id)))
    review = s.scalar(select(EducationPlanReview).where(EducationPlanReview.plan_id == plan.id,
                                                        EducationPlanReview.done_at.is_(None))
                      .order_by(EducationPlanReview.due_on).limit(1))
    notes = s.execute(select(EducationPlanNote.written_at, Person.name, EducationPlanNote.text)
                      .outerjoin(Person, Person.id == EducationPlanNote.author_id)
                      .where(EducationPlanNote.plan_id == plan.id)
                      .order_by(EducationPlanNote.written_at.desc(), EducationPlanNote.id.desc()).limit(5)).all()
    return PlanView(plan.id, plan.child_id, child.name if child else "", plan.status, plan.reason, list(plan.goals),
                    list(plan.measures), people, review.due_on if review and plan.status == "open" else None,
                    review.id if review else None, [(at, name or "—", t) for at, name, t in notes], plan.opened_at)


def add_note(uow: UnitOfWork, actor: Actor, *, plan_id: int, note: str, now: datetime) -> bool:
    """A progress note by anyone who may see the plan (the text is never logged)."""
    plan = uow.session.get(EducationPlan, plan_id)
    if plan is None or not may_see(uow, actor, plan) or not note.strip():
        return False
    uow.session.add(EducationPlanNote(plan_id=plan.id, author_id=actor.person_id, written_at=now,
                                      text=note.strip()[:MAX_NOTE]))
    uow.session.flush()
    return True


def review_done(uow: UnitOfWork, actor: Actor, *, plan_id: int, note: str, now: datetime,
                timezone: str) -> date | None:
    """Record the open review (with its note) and plan the next one; returns its date, or None when refused."""
    s = uow.session
    plan = s.get(EducationPlan, plan_id)
    child = s.get(Child, plan.child_id) if plan else None
    if plan is None or child is None or plan.status != "open" or not may_manage(uow, actor, child):
        return None
    review = s.scalar(select(EducationPlanReview).where(EducationPlanReview.plan_id == plan.id,
                                                        EducationPlanReview.done_at.is_(None)).limit(1))
    if review is not None:
        review.done_at, review.done_by_id, review.note = now, actor.person_id, note.strip()[:MAX_NOTE] or None
    following = max(local_date(now, timezone), review.due_on if review else local_date(now, timezone)) + REVIEW_EVERY
    s.add(EducationPlanReview(plan_id=plan.id, due_on=following))
    for task in tasks.open_for(uow, key_prefix=f"plan:{plan.id}:review:"):
        task.done_at, task.closed_by_id, task.outcome = now, actor.person_id, "review recorded"
    s.flush()
    return following


def close_plan(uow: UnitOfWork, actor: Actor, *, plan_id: int, now: datetime) -> bool:
    """Close the plan (the goals were met, or the child left); its open review is dropped."""
    s = uow.session
    plan = s.get(EducationPlan, plan_id)
    child = s.get(Child, plan.child_id) if plan else None
    if plan is None or child is None or plan.status != "open" or not may_manage(uow, actor, child):
        return False
    plan.status, plan.closed_at, plan.closed_by_id = PlanStatus.CLOSED.value, now, actor.person_id
    for task in tasks.open_for(uow, key_prefix=f"plan:{plan.id}:review:"):
        task.done_at, task.closed_by_id, task.outcome = now, actor.person_id, "plan closed"
    s.flush()
    return True


def remind_reviews(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """On a review's day (school time, outside the quiet hours): a task and a message for each responsible person."""
    s = uow.session
    count = 0
    rows = s.execute(select(EducationPlanReview, EducationPlan, Child.name, School.timezone)
                     .join(EducationPlan, EducationPlan.id == EducationPlanReview.plan_id)
                     .join(Child, Child.id == EducationPlan.child_id)
                     .join(School, School.id == EducationPlan.school_id)
                     .where(EducationPlanReview.done_at.is_(None), EducationPlanReview.reminded_at.is_(None),
                            EducationPlan.status == PlanStatus.OPEN.value)).all()
    for review, plan, child_name, tz in rows:
        zone = tz or settings.timezone
        if review.due_on > local_date(now, zone) or in_quiet_hours(now, zone, settings.quiet_start,
                                                                    settings.quiet_end):
            continue
        if now.astimezone(ZoneInfo(zone)).hour < 8:
            continue
        review.reminded_at = now
        people = s.scalars(select(EducationPlanPerson.person_id).where(EducationPlanPerson.plan_id == plan.id))
        for person_id in people:
            task = tasks.create(uow, key=f"plan:{plan.id}:review:{review.id}:{person_id}", kind=TaskKind.PLAN_REVIEW,
                                assignee_id=person_id, child_id=plan.child_id, now=now)
            enqueue(s, key=f"task:{task.id}:notify", person_id=person_id, priority=Priority.BULK, now=now,
                    child_id=plan.child_id,
                    prompt=Prompt(N_("The education plan of {child} is due for review ({date}): send /plan {child}."),
                                  {"child": text(child_name), "date": day(review.due_on)}, kind=PromptKind.TASK))
            count += 1
    if count:
        log.info("education plan reviews: %d reminders", count)
    return count


def may_open(uow: UnitOfWork, actor: Actor, child_id: int) -> bool:
    """Whether the actor may open a plan for this child (class teacher, admins)."""
    child = uow.session.get(Child, child_id)
    return child is not None and child.active and may_manage(uow, actor, child)


