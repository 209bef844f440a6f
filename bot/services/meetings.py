"""Meetings with the families (issue 8, item 7): invitations with a one-tap reply, reminders, attendance.

A class teacher calls a meeting of their class, an admin one of the whole
school (:func:`create`). Everyone the kind invites (``bot.domain.meetings.
AUDIENCE``) gets an invitation with Yes / No (``mt:<meeting>:y|n``); the
scheduler (:func:`remind_meetings`) reminds those who did not decline at
17:00 the day before, and two hours after the start asks the organiser to
record how many came (``ma:<meeting>``). Every message is an outbox row under
``meet:<id>:…``; the figures feed ``guanai family report``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, Priority, Role
from bot.domain.meetings import ASK_ATTENDANCE_AFTER, AUDIENCE, KIND_LABELS, MeetingKind, reminder_time
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, msg, text
from bot.services.identity import Actor
from bot.services.outbox import Outgoing, enqueue, enqueue_many
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Meeting, MeetingInvite, Person, School, SchoolClass

log = logging.getLogger(__name__)
REPLY_LABELS = {"yes": N_("will come"), "no": N_("cannot come"), None: N_("no reply")}
"""An invitee's answer as the organiser (and the invitee) reads it."""


@dataclass(frozen=True)
class Invitee:
    """One invited person as the organiser sees them when recording attendance."""

    person_id: int
    name: str
    reply: str | None


def scope(uow: UnitOfWork, actor: Actor) -> tuple[int | None, str | None] | None:
    """The meeting's scope for this organiser: ``(class id, class name)``; ``(None, None)`` for the school.

    An admin or school leader calls school meetings; a class teacher, meetings
    of their (first) class. None: this person calls no meetings.
    """
    if ADMIN_ROLES & actor.roles:
        return None, None
    if Role.CLASS_TEACHER in actor.roles:
        row = uow.session.execute(select(SchoolClass.id, SchoolClass.name).where(
            SchoolClass.class_teacher_id == actor.person_id).order_by(SchoolClass.id).limit(1)).first()
        if row is not None:
            return int(row[0]), str(row[1])
    return None


def audience(uow: UnitOfWork, *, school_id: int, class_id: int | None, kind: str) -> list[int]:
    """Who the meeting invites: the people related (by the kind's relations) to the active children concerned."""
    children = select(Child.id).where(Child.school_id == school_id, Child.active.is_(True))
    if class_id is not None:
        children = children.where(Child.class_id == class_id)
    return sorted(set(uow.session.scalars(
        select(ChildRelation.person_id).where(ChildRelation.child_id.in_(children),
                                              ChildRelation.kind.in_(AUDIENCE[MeetingKind(kind)]),
                                              ChildRelation.person_id.is_not(None))
    )))


def _about(uow: UnitOfWork, meeting: Meeting) -> dict[str, Any]:
    school = uow.session.get(School, meeting.school_id)
    klass = uow.session.get(SchoolClass, meeting.class_id) if meeting.class_id else None
    organiser = uow.session.get(Person, meeting.organiser_id)
    who = f"{school.name if school else ''}{klass.name if klass else ''}"
    return {"kind": msg(KIND_LABELS[MeetingKind(meeting.kind)]), "when": dt(meeting.starts_at),
            "place": text(meeting.place), "who": text(who), "organiser": text(organiser.name if organiser else "")}


def create(uow: UnitOfWork, *, actor: Actor, kind: str, starts_at: datetime, place: str, now: datetime,
           request_key: str) -> tuple[int, int] | None:
    """Call a meeting and invite its audience (idempotent by ``request_key``).

    Returns ``(meeting id, people invited)``, or None when the actor calls no
    meetings. The caller commits.
    """
    s = uow.session
    existing = s.scalar(select(Meeting).where(Meeting.request_key == request_key))
    if existing is not None:
        return existing.id, len(invitees(uow, existing.id))
    where = scope(uow, actor)
    if where is None:
        return None
    meeting = Meeting(school_id=actor.school_id, kind=MeetingKind(kind).value, class_id=where[0],
                      organiser_id=actor.person_id, starts_at=starts_at, place=place.strip(), created_at=now,
                      request_key=request_key)
    s.add(meeting)
    s.flush()
    people = audience(uow, school_id=actor.school_id, class_id=where[0], kind=kind)
    s.add_all(MeetingInvite(meeting_id=meeting.id, person_id=p) for p in people)
    about = _about(uow, meeting)
    invitation = Prompt(N_("Invitation: {who} {kind}, {when}, at {place}. Will you come?"), about,
                        choices=reply_choices(meeting.id), kind=PromptKind.NOTICE)
    enqueue_many(s, [Outgoing(key=f"meet:{meeting.id}:invite:{p}", person_id=p, prompt=invitation,
                              priority=Priority.BULK) for p in people], now=now)
    log.info("meeting %s (%s) called by %s: %s invited", meeting.id, kind, actor.person_id, len(people))
    return meeting.id, len(people)


def reply_choices(meeting_id: int) -> tuple[Choice, ...]:
    """Yes / No of an invitation (``收到``, ``好的``, ``行`` pick Yes: ``bot.flows.words``)."""
    return (Choice(N_("Yes, I will come"), payloads.meeting_reply(meeting_id, yes=True)),
            Choice(N_("I cannot come"), payloads.meeting_reply(meeting_id, yes=False)))


def reply(uow: UnitOfWork, *, meeting_id: int, person_id: int, yes: bool, now: datetime) -> bool:
    """An invitee's answer (a later answer replaces an earlier one until the meeting starts). The caller commits."""
    invite = uow.session.scalar(select(MeetingInvite).where(MeetingInvite.meeting_id == meeting_id,
                                                            MeetingInvite.person_id == person_id))
    meeting = uow.session.get(Meeting, meeting_id)
    if invite is None or meeting is None or meeting.starts_at <= now or meeting.cancelled_at is not None:
        return False
    invite.reply, invite.replied_at = ("yes" if yes else "no"), now
    return True


def remind_meetings(uow: UnitOfWork, *, now: datetime, default_tz: str) -> int:
    """The day-before reminders and the organisers' attendance requests that are due. The caller commits."""
    s = uow.session
    done = 0
    for meeting in s.scalars(select(Meeting).where(Meeting.reminded_at.is_(None), Meeting.starts_at > now,
                                                   Meeting.cancelled_at.is_(None))):
        school = s.get(School, meeting.school_id)
        if reminder_time(meeting.starts_at, school.timezone if school else default_tz) > now:
            continue
        about = _about(uow, meeting)
        people = s.scalars(select(MeetingInvite.person_id).where(
            MeetingInvite.meeting_id == meeting.id,
            (MeetingInvite.reply.is_(None)) | (MeetingInvite.reply != "no"))).all()
        # The start time is in the key: a meeting moved after its reminders went out is reminded again.
        at = int(meeting.starts_at.timestamp())
        enqueue_many(s, [Outgoing(key=f"meet:{meeting.id}:remind:{at}:{p}", person_id=p, priority=Priority.BULK,
                                  prompt=Prompt(N_("Reminder: {who} {kind} is tomorrow, {when}, at {place}."),
                                                about, kind=PromptKind.NOTICE)) for p in people], now=now)
        meeting.reminded_at = now
        done += len(people)
    for meeting in s.scalars(select(Meeting).where(Meeting.attendance_asked_at.is_(None),
                                                   Meeting.cancelled_at.is_(None),
                                                   Meeting.starts_at <= now - ASK_ATTENDANCE_AFTER)):
        enqueue(s, key=f"meet:{meeting.id}:attendance", person_id=meeting.organiser_id, priority=Priority.BULK,
                now=now, prompt=attendance_prompt(uow, meeting.id))
        meeting.attendance_asked_at = now
        done += 1
    return done


def organised(uow: UnitOfWork, *, meeting_id: int, person_id: int) -> Meeting | None:
    """The meeting, when this person organised it and it has started."""
    meeting = uow.session.get(Meeting, meeting_id)
    return meeting if meeting is not None and meeting.organiser_id == person_id else None


def invitees(uow: UnitOfWork, meeting_id: int) -> list[Invitee]:
    """Everyone invited, by name."""
    rows = uow.session.execute(
        select(Person.id, Person.name, MeetingInvite.reply)
        .join(MeetingInvite, MeetingInvite.person_id == Person.id)
        .where(MeetingInvite.meeting_id == meeting_id).order_by(Person.name, Person.id)
    ).all()
    return [Invitee(*r) for r in rows]


def record_attendance(uow: UnitOfWork, *, meeting_id: int, person_id: int, count: int, now: datetime) -> bool:
    """How many came, as the organiser counted (a later count replaces it). The caller commits.

    Refused (False) for a meeting not theirs, cancelled, or a count above the
    number invited (the flow asks again first: :func:`invitees`).
    """
    meeting = organised(uow, meeting_id=meeting_id, person_id=person_id)
    if meeting is None or meeting.cancelled_at is not None or not 0 <= count <= len(invitees(uow, meeting_id)):
        return False
    meeting.attended, meeting.attendance_recorded_at = count, now
    log.info("meeting %s: attendance recorded by %s", meeting_id, person_id)
    return True


def about(uow: UnitOfWork, meeting_id: int) -> dict[str, Any]:
    """Prompt parameters naming a meeting (kind, when, place, who, organiser)."""
    meeting = uow.session.get(Meeting, meeting_id)
    return _about(uow, meeting) if meeting is not None else {}


def attendance_due(uow: UnitOfWork, *, person_id: int) -> list[int]:
    """Ids of this organiser's meetings whose attendance was asked for and is not yet recorded (``/due``)."""
    return list(uow.session.scalars(select(Meeting.id).where(
        Meeting.organiser_id == person_id, Meeting.attendance_asked_at.is_not(None),
        Meeting.attendance_recorded_at.is_(None), Meeting.cancelled_at.is_(None)).order_by(Meeting.starts_at)))


def attendance_prompt(uow: UnitOfWork, meeting_id: int) -> Prompt:
    """"Please record who came", with its button (sent after the meeting, and shown again in ``/due``)."""
    meeting = uow.session.get(Meeting, meeting_id)
    return Prompt(N_("Please record who came to the {kind} of {when}."),
                  _about(uow, meeting) if meeting is not None else {},
                  choices=(Choice(N_("Record attendance"), payloads.meeting_attendance(meeting_id)),),
                  kind=PromptKind.TASK)
