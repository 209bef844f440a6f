"""Weekly guardian check-ins (每周联系): plan, remind, record answers.

School plans ask for a weekly contact with each entrusted guardian. Issue 2
fixes the rhythm: the question goes out on a configurable weekday and time
(default Friday 18:00 school time), one reminder 48 h after it without an
answer, and — 48 h after the reminder (:data:`ESCALATE_AFTER`, our figure:
the same patience again) — a task for the child's helper teacher to phone the
guardian. "Needs help" creates a follow-up task for the helper teacher and
tells them at once. A child with neither helper nor class teacher on record
sends both to the school's admins and leaders instead, so no request for
help ends in a log line only.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from bot import i18n
from bot.config import Settings
from bot.domain.enums import CheckinAnswer, Priority, RelationKind, TaskKind
from bot.domain.periods import local_date
from bot.messages.prompt import Prompt
from bot.services import checkin_messages as m
from bot.services import family_digest, family_messages, identity, relations, tasks
from bot.services.checkin_planning import REMIND_AFTER as REMIND_AFTER  # the planner's, named here as before
from bot.services.checkin_planning import plan_checkins as plan_checkins  # moved (issue 7), named here as before
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    Person,
    School,
    SchoolClass,
    Task,
)

log = logging.getLogger(__name__)

ESCALATE_AFTER = timedelta(hours=48)  # after the reminder, before the phone task (our choice: 48 h again)
NOTE_MAX_CHARS = 1000


class AnswerResult(StrEnum):
    """What recording a check-in answer or note did."""

    RECORDED = "recorded"
    ALREADY = "already"  # answered before: the first answer stands
    NOT_YOURS = "not_yours"  # not this guardian's check-in (deny)
    ENDED = "ended"  # theirs, but they are no longer the child's guardian (or the child left): closed
    MISSED = "missed"  # a newer check-in for the child and guardian was sent: this one closed unanswered


def superseded(s: Session, checkin: Checkin) -> bool:
    """Whether a newer check-in for the same child and guardian was sent: this one is closed as missed.

    A missed week is never asked again (its "this week" would be last week's); the figures count it as
    unanswered, as it was.
    """
    return s.scalar(select(Checkin.id).where(
        Checkin.child_id == checkin.child_id, Checkin.guardian_id == checkin.guardian_id,
        Checkin.sent_at > checkin.sent_at).limit(1)) is not None


def _not_superseded() -> ColumnElement[bool]:
    """A check-in with no newer one for its child and guardian (reminders and calls are for the current week)."""
    newer = aliased(Checkin)
    return ~exists().where(newer.child_id == Checkin.child_id, newer.guardian_id == Checkin.guardian_id,
                           newer.sent_at > Checkin.sent_at)


def _helper_for(s: Session, child_id: int) -> int | None:
    """The child's helper teacher (帮扶教师), else the class teacher, else None."""
    helper = s.scalar(
        select(ChildRelation.person_id)
        .where(ChildRelation.child_id == child_id, ChildRelation.kind == RelationKind.HELPER_TEACHER.value,
               ChildRelation.person_id.is_not(None))
        .order_by(ChildRelation.id)
        .limit(1)
    )
    if helper is not None:
        return helper
    return s.scalar(
        select(SchoolClass.class_teacher_id).join(Child, Child.class_id == SchoolClass.id).where(Child.id == child_id)
    )


def _followers(uow: UnitOfWork, child: Child) -> tuple[list[int], bool]:
    """Who follows a check-in up: ``([helper or class teacher], False)``, else ``(admins and leaders, True)``.

    The flag says the school's admins stand in for a missing teacher (their
    message then says so). The list is empty only when the school has no admin either.
    """
    teacher_id = _helper_for(uow.session, child.id)
    if teacher_id is not None:
        return [teacher_id], False
    return identity.school_admin_ids(uow, child.school_id), True


def _notify_followers(s: Session, task: Task, to: list[int], prompt: Prompt, *, child: Child, stand_in: bool,
                      priority: Priority, now: datetime) -> None:
    """The task's message to its assignee (``to[0]``, key ``task:<id>:notify``) and to the other stand-ins."""
    if stand_in:
        prompt = m.with_stand_in_line(prompt, child.name)
    for i, person_id in enumerate(to):
        key = f"task:{task.id}:notify" if i == 0 else f"task:{task.id}:notify:to:{person_id}"
        enqueue(s, key=key, person_id=person_id, priority=priority, now=now, prompt=prompt, child_id=child.id)


def remind_checkins(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Remind unanswered check-ins once, then hand them to a teacher to phone the guardian.

    A check-in unanswered at ``reminder_due_at`` (48 h after sending) gets
    one reminder (BULK); unanswered :data:`ESCALATE_AFTER` after the reminder
    it becomes a ``PHONE_GUARDIAN`` task for the child's helper teacher
    (fallback: class teacher; then the school's admins and leaders, the task
    assigned to the first of them) with a message to them. Idempotent: the check-in
    row records ``reminded_at`` / ``escalated_at`` and the task and message keys
    are unique. A check-in whose guardian no longer looks after the child is
    closed instead (``cancelled_at``), with nothing sent.

    Returns:
        Reminders plus tasks created. The caller commits.
    """
    s = uow.session
    actions = 0
    due_reminders = s.scalars(
        select(Checkin).where(Checkin.answered_at.is_(None), Checkin.cancelled_at.is_(None),
                              Checkin.reminded_at.is_(None), Checkin.reminder_due_at <= now, _not_superseded())
    ).all()
    for checkin in due_reminders:
        if _ended(s, checkin, now) or checkin.guardian_id is None:
            continue
        child = get_or_raise(s, Child, checkin.child_id)
        enqueue(s, key=f"checkin-reminder:{checkin.id}", person_id=checkin.guardian_id,
                prompt=m.reminder_prompt(checkin.id, child.name), priority=Priority.BULK, now=now,
                child_id=child.id)
        checkin.reminded_at = now
        checkin.escalate_due_at = now + ESCALATE_AFTER
        actions += 1
    due_escalations = s.scalars(
        select(Checkin).where(Checkin.answered_at.is_(None), Checkin.cancelled_at.is_(None),
                              Checkin.reminded_at.is_not(None), Checkin.escalated_at.is_(None),
                              Checkin.escalate_due_at <= now, _not_superseded())
    ).all()
    for checkin in due_escalations:
        if _ended(s, checkin, now):
            continue
        checkin.escalated_at = now
        child = get_or_raise(s, Child, checkin.child_id)
        to, stand_in = _followers(uow, child)
        if not to:
            log.warning("check-in %s unanswered but child %s has no helper or class teacher, and the school no admin",
                        checkin.id, checkin.child_id)
            continue
        guardian = get_or_raise(s, Person, checkin.guardian_id)
        if tasks.note_missed_week(s, checkin) is not None:
            continue  # issue 9: one call task per child and guardian while it is open, not one more each week
        task = _task(s, key=f"phone_guardian:checkin:{checkin.id}", kind=TaskKind.PHONE_GUARDIAN,
                     child_id=child.id, assignee_id=to[0], about_person_id=guardian.id,
                     detail=f"check-in {checkin.period} unanswered", now=now)
        _notify_followers(s, task, to, m.unanswered_prompt(guardian=guardian.name, child=child.name,
                                                           phone=guardian.phone),
                          child=child, stand_in=stand_in, priority=Priority.BULK, now=now)
        actions += 1
    return actions


def _ended(s: Session, checkin: Checkin, now: datetime) -> bool:
    """Whether the check-in's guardian no longer looks after the child; if so it is closed with its messages."""
    if checkin.guardian_id is None:  # its child was erased (and the check-in closed then): nobody to ask
        checkin.cancelled_at = checkin.cancelled_at or now
        return True
    if relations.is_current_guardian(s, child_id=checkin.child_id, person_id=checkin.guardian_id):
        return False
    relations.relations_ended(s, [(checkin.child_id, RelationKind.ENTRUSTED_GUARDIAN.value, checkin.guardian_id)],
                              now=now)
    log.info("check-in %s closed: the guardian's relation to the child ended", checkin.id)
    return True


def _task(s: Session, *, key: str, kind: TaskKind, child_id: int, assignee_id: int, about_person_id: int,
          detail: str, now: datetime) -> Task:
    existing = s.scalar(select(Task).where(Task.key == key))
    if existing is not None:
        return existing
    task = Task(key=key, kind=kind.value, child_id=child_id, assignee_id=assignee_id,
                about_person_id=about_person_id, detail=detail, created_at=now)
    s.add(task)
    s.flush()
    return task


def record_checkin_answer(
    uow: UnitOfWork, *, guardian_id: int, checkin_id: int, answer: str, now: datetime
) -> AnswerResult:
    """Record the one-tap answer; "needs_help" creates a follow-up task for the helper teacher and tells them at once.

    Without helper or class teacher, "needs help" goes to every admin and leader of the school (the task is
    assigned to the first of them, by id), with a line saying the child has no teacher on record. The first
    answer stands (a double tap or an old button returns ``ALREADY`` and changes nothing). Only the check-in's
    guardian may answer (``NOT_YOURS`` otherwise, also for an unknown id), and only while they are still the
    child's entrusted guardian and the child is active (``ENDED`` otherwise: nothing recorded, no task, no
    message to a teacher; issue 10, item 5). The help message to the teacher is URGENT: it is not an incident,
    but a grandparent asking for help at 21:30 should not wait until morning for the quiet hours to end.

    Args:
        uow: the unit of work (the caller commits).
        guardian_id: who answered.
        checkin_id: the check-in (from the button).
        now: aware UTC.
        answer: a ``CheckinAnswer`` value (``good`` / ``so_so`` / ``needs_help``).

    Raises:
        ValueError: ``answer`` is not a ``CheckinAnswer`` value.
    """
    value = CheckinAnswer(answer)  # raises ValueError
    s = uow.session
    checkin = s.get(Checkin, checkin_id)
    if checkin is None or checkin.guardian_id != guardian_id:
        return AnswerResult.NOT_YOURS
    if checkin.cancelled_at is not None or _ended(s, checkin, now):
        return AnswerResult.ENDED
    if checkin.answered_at is not None:
        return AnswerResult.ALREADY
    if superseded(s, checkin):
        return AnswerResult.MISSED
    checkin.answered_at = now
    checkin.answer = value.value
    if checkin.escalated_at is not None:
        _answered_late(s, checkin, value, now)
    if value is CheckinAnswer.NEEDS_HELP:
        child = get_or_raise(s, Child, checkin.child_id)
        to, stand_in = _followers(uow, child)
        if not to:
            log.error("check-in %s needs help but child %s has no helper or class teacher, and the school no admin",
                      checkin.id, checkin.child_id)
        else:
            guardian = get_or_raise(s, Person, guardian_id)
            task = _task(s, key=f"help:checkin:{checkin.id}", kind=TaskKind.HELP_REQUEST, child_id=child.id,
                         assignee_id=to[0], about_person_id=guardian_id,
                         detail=f"check-in {checkin.period}: needs help", now=now)
            _notify_followers(s, task, to, m.needs_help_prompt(guardian=guardian.name, child=child.name,
                                                               phone=guardian.phone),
                              child=child, stand_in=stand_in, priority=Priority.URGENT, now=now)
    s.flush()
    log.info("check-in %s answered", checkin.id)
    return AnswerResult.RECORDED


def _answered_late(s: Session, checkin: Checkin, answer: CheckinAnswer, now: datetime) -> None:
    """A late answer settles the call about it: the task is done ("answered late: …") and its assignee told once."""
    task = s.scalar(select(Task).where(
        Task.kind == TaskKind.PHONE_GUARDIAN.value, Task.child_id == checkin.child_id,
        Task.about_person_id == checkin.guardian_id, Task.done_at.is_(None), Task.cancelled_at.is_(None))
        .order_by(Task.id).limit(1))
    if task is None or checkin.guardian_id is None:
        return
    assignee = get_or_raise(s, Person, task.assignee_id)
    locale = assignee.locale or i18n.DEFAULT_LOCALE  # the outcome is stored text: in its reader's language
    label = i18n.gettext(locale, m.ANSWER_LABELS[answer.value])
    task.done_at = now
    task.outcome = i18n.gettext(locale, m.ANSWERED_LATE_OUTCOME).format(answer=label)
    child = get_or_raise(s, Child, checkin.child_id)
    guardian = get_or_raise(s, Person, checkin.guardian_id)
    enqueue(s, key=f"task:{task.id}:answered-late", person_id=task.assignee_id, priority=Priority.BULK, now=now,
            prompt=m.answered_late_prompt(guardian=guardian.name, child=child.name, answer=answer.value),
            child_id=child.id)
    log.info("check-in %s answered late: call task %s closed", checkin.id, task.id)


def record_checkin_note(
    uow: UnitOfWork, *, guardian_id: int, checkin_id: int, note: str, now: datetime,
    help_kind: str | None = None, relayed: bool = False, own_words: bool = False,
) -> AnswerResult:
    """Store the optional free-text follow-up of an answered check-in (appends to the helper teacher's task).

    Notes are appended (one per line) and cut at :data:`NOTE_MAX_CHARS`. For a
    "needs help" check-in the note is also sent to the teacher (URGENT, like
    the help request itself). An empty note without ``help_kind`` changes nothing.

    Args:
        uow: the unit of work (the caller commits).
        guardian_id: who wrote.
        checkin_id: the check-in.
        note: what they wrote.
        now: aware UTC.
        help_kind: what kind of help the guardian picked (a key of
            :data:`bot.services.checkin_messages.HELP_KIND_LABELS`), or None. It is stored as ``[kind] note``
            (or ``kind`` alone) and shown to the teacher as its label in the
            teacher's language, never as the key.
        relayed: the note also goes now to the child's family-message reader (``bot.services.family_notes``):
            when that reader holds the help task, their one message names the help too, so no task note is sent.
        own_words: the note is the help itself, written at "what kind of help?" (stored as ``other``): the
            helper teacher reads it quoted as written, with no kind named — never a kind guessed from it.

    Returns:
        ``RECORDED``; ``NOT_YOURS`` for someone else's or an unknown check-in;
        ``ENDED`` when they no longer look after the child (nothing stored);
        ``ALREADY`` when the check-in has no answer yet (nothing to add to).
    """
    s = uow.session
    checkin = s.get(Checkin, checkin_id)
    if checkin is None or checkin.guardian_id != guardian_id:
        return AnswerResult.NOT_YOURS
    if not relations.is_current_guardian(s, child_id=checkin.child_id, person_id=guardian_id):
        return AnswerResult.ENDED
    if checkin.answered_at is None:
        return AnswerResult.ALREADY
    note = note.strip()[:NOTE_MAX_CHARS]
    kind = help_kind if help_kind in m.HELP_KIND_LABELS else None
    if not note and kind is None:
        return AnswerResult.RECORDED
    stored = f"[{kind}] {note}" if kind and note else (note or kind or "")
    # The helper teacher reads every note in the next daily digest, "good" answers' notes included (issue 6.4).
    family_digest.keep_checkin_note(uow, checkin_id=checkin.id, child_id=checkin.child_id, guardian_id=guardian_id,
                                      note=note, now=now)
    checkin.follow_up_text = f"{checkin.follow_up_text}\n{stored}" if checkin.follow_up_text else stored
    count = checkin.follow_up_text.count("\n") + 1
    task = s.scalar(select(Task).where(Task.key == f"help:checkin:{checkin.id}"))
    if task is not None:
        task.detail = f"{task.detail}\n{stored}" if task.detail else stored
        child = get_or_raise(s, Child, checkin.child_id)
        guardian = get_or_raise(s, Person, guardian_id)
        if not (relayed and note and (family_messages.reader_of(uow, child) or (None,))[0] == task.assignee_id):
            prompt = m.note_prompt(guardian=guardian.name, child=child.name, note=note, help_kind=kind,
                                   own_words=own_words)
            enqueue(s, key=f"task:{task.id}:note:{count}", person_id=task.assignee_id, priority=Priority.URGENT,
                    now=now, prompt=prompt, child_id=child.id)
    s.flush()
    return AnswerResult.RECORDED


def ended_prompt(uow: UnitOfWork, checkin_id: int) -> Prompt:
    """What a guardian who no longer looks after the child hears when answering its check-in (``ENDED``)."""
    checkin = get_or_raise(uow.session, Checkin, checkin_id)
    return m.ended_prompt(get_or_raise(uow.session, Child, checkin.child_id).name)


def missed_prompt(uow: UnitOfWork, checkin_id: int, default_zone: str) -> Prompt:
    """What a guardian hears when answering a check-in a newer one replaced (``MISSED``): its week's date."""
    checkin = get_or_raise(uow.session, Checkin, checkin_id)
    child = get_or_raise(uow.session, Child, checkin.child_id)
    school = uow.session.get(School, child.school_id)
    sent_on = local_date(checkin.sent_at, (school.timezone if school else None) or default_zone)
    return m.missed_prompt(child.name, sent_on)


def child_name(uow: UnitOfWork, checkin_id: int) -> str:
    """The name of the child a check-in is about (every follow-up question names the child)."""
    checkin = get_or_raise(uow.session, Checkin, checkin_id)
    return get_or_raise(uow.session, Child, checkin.child_id).name
