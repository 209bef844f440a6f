"""Meetings after the invitations: an invitee changes their answer, the organiser moves or cancels the meeting.

An invitee's answer can be changed until the meeting starts: ``/meeting``
shows their upcoming invitations with their answer and Yes / No again
(:func:`invitations`), and a later answer replaces the earlier one
(``bot.services.meetings.reply``). The organiser sees the replies as they
stand (:func:`counts`), and may move the meeting (:func:`move`: everyone
invited is told the new time and asked again) or cancel it (:func:`cancel`:
everyone invited is told; nothing more is sent about it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.domain.enums import Priority
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg
from bot.services.meetings import REPLY_LABELS, about, organised, reply_choices
from bot.services.outbox import Outgoing, enqueue_many
from bot.services.outbox_cancel import cancel_pending
from bot.services.ports import UnitOfWork
from bot.store.models import Meeting, MeetingInvite

log = logging.getLogger(__name__)
MAX_SHOWN = 5  # upcoming meetings listed to one person


@dataclass(frozen=True)
class Counts:
    """The replies as they stand."""

    invited: int
    yes: int
    no: int

    @property
    def none(self) -> int:
        """Invitees who have not replied."""
        return self.invited - self.yes - self.no


def upcoming_organised(uow: UnitOfWork, *, person_id: int, now: datetime) -> list[int]:
    """This organiser's meetings that have not started and are not cancelled, soonest first."""
    return list(uow.session.scalars(select(Meeting.id).where(
        Meeting.organiser_id == person_id, Meeting.starts_at > now, Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id).limit(MAX_SHOWN)))


def changeable(uow: UnitOfWork, *, meeting_id: int, person_id: int, now: datetime) -> Meeting | None:
    """The meeting, when this person organised it and it can still be moved or cancelled."""
    meeting = organised(uow, meeting_id=meeting_id, person_id=person_id)
    if meeting is None or meeting.cancelled_at is not None or meeting.starts_at <= now:
        return None
    return meeting


def counts(uow: UnitOfWork, meeting_id: int) -> Counts:
    """How many were invited, said yes, said no."""
    row = uow.session.execute(
        select(func.count(MeetingInvite.id), func.count(MeetingInvite.id).filter(MeetingInvite.reply == "yes"),
               func.count(MeetingInvite.id).filter(MeetingInvite.reply == "no"))
        .where(MeetingInvite.meeting_id == meeting_id)).one()
    return Counts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


def invitations(uow: UnitOfWork, *, person_id: int, now: datetime) -> list[Prompt]:
    """``/meeting`` for an invitee: each upcoming invitation with their answer so far, and Yes / No again."""
    rows = uow.session.execute(
        select(Meeting.id, MeetingInvite.reply).join(MeetingInvite, MeetingInvite.meeting_id == Meeting.id)
        .where(MeetingInvite.person_id == person_id, Meeting.starts_at > now, Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id).limit(MAX_SHOWN)).all()
    return [Prompt(N_("{who} {kind}, {when}, at {place}. Your answer: {reply}. Will you come?"),
                   {**about(uow, meeting_id), "reply": msg(REPLY_LABELS[reply])}, choices=reply_choices(meeting_id))
            for meeting_id, reply in rows]


def _invited(uow: UnitOfWork, meeting_id: int) -> list[int]:
    return list(uow.session.scalars(select(MeetingInvite.person_id).where(MeetingInvite.meeting_id == meeting_id)
                                    .order_by(MeetingInvite.person_id)))


def move(uow: UnitOfWork, *, meeting_id: int, person_id: int, starts_at: datetime, now: datetime) -> int | None:
    """Move the meeting to ``starts_at``: everyone invited is told and asked again (their answers start over).

    Returns the number of people told, or None when this person cannot move
    it (not theirs, started or cancelled). Messages about the old time not yet
    sent (its invitations, its reminders) are stopped. The caller commits.
    """
    meeting = changeable(uow, meeting_id=meeting_id, person_id=person_id, now=now)
    if meeting is None:
        return None
    old = meeting.starts_at
    cancel_pending(uow.session, key_prefix=f"meet:{meeting.id}:", now=now)
    meeting.starts_at, meeting.reminded_at = starts_at, None
    for invite in uow.session.scalars(select(MeetingInvite).where(MeetingInvite.meeting_id == meeting.id)):
        invite.reply, invite.replied_at = None, None  # an answer about the old time says nothing about the new
    people = _invited(uow, meeting.id)
    notice = Prompt(N_("Changed: {who} {kind} is moved from {old} to {when}, at {place}. Will you come?"),
                    {**about(uow, meeting.id), "old": dt(old)}, choices=reply_choices(meeting.id),
                    kind=PromptKind.NOTICE)
    at = int(starts_at.timestamp())
    enqueue_many(uow.session, [Outgoing(key=f"meet:{meeting.id}:moved:{at}:{p}", person_id=p, prompt=notice,
                                        priority=Priority.BULK) for p in people], now=now)
    log.info("meeting %s moved by %s: %s told", meeting.id, person_id, len(people))
    return len(people)


def cancel(uow: UnitOfWork, *, meeting_id: int, person_id: int, now: datetime) -> int | None:
    """Cancel the meeting: everyone invited is told; nothing more is sent about it. The caller commits.

    Returns the number of people told, or None when this person cannot cancel it.
    """
    meeting = changeable(uow, meeting_id=meeting_id, person_id=person_id, now=now)
    if meeting is None:
        return None
    cancel_pending(uow.session, key_prefix=f"meet:{meeting.id}:", now=now)
    meeting.cancelled_at = now
    people = _invited(uow, meeting.id)
    notice = Prompt(N_("Cancelled: {who} {kind} of {when}, at {place}, will not take place. {organiser} is sorry "
                       "for the trouble."), about(uow, meeting.id), kind=PromptKind.NOTICE)
    enqueue_many(uow.session, [Outgoing(key=f"meet:{meeting.id}:cancelled:{p}", person_id=p, prompt=notice,
                                        priority=Priority.BULK) for p in people], now=now)
    log.info("meeting %s cancelled by %s: %s told", meeting.id, person_id, len(people))
    return len(people)


def summary(uow: UnitOfWork, meeting_id: int) -> dict[str, Any]:
    """Prompt parameters of a meeting with its replies as they stand (the organiser's view)."""
    seen = counts(uow, meeting_id)
    return {**about(uow, meeting_id), "invited": seen.invited, "yes": seen.yes, "no": seen.no, "none": seen.none}


RSVP_CHANGE_WINDOW = timedelta(hours=2)
"""How long after answering an invitation the answer can be changed in words (``不去了``), not only by ``/meeting``."""


def recent_reply(uow: UnitOfWork, *, person_id: int, now: datetime) -> tuple[int, str] | None:
    """``(meeting id, reply)`` of the invitation this person answered last, within :data:`RSVP_CHANGE_WINDOW`.

    None when there is none, or its meeting has started or was cancelled.
    """
    row = uow.session.execute(
        select(MeetingInvite.meeting_id, MeetingInvite.reply).join(Meeting, Meeting.id == MeetingInvite.meeting_id)
        .where(MeetingInvite.person_id == person_id, MeetingInvite.replied_at.is_not(None),
               MeetingInvite.replied_at > now - RSVP_CHANGE_WINDOW, Meeting.starts_at > now,
               Meeting.cancelled_at.is_(None))
        .order_by(MeetingInvite.replied_at.desc(), MeetingInvite.id.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row is not None and row[1] else None


GONE_FOR_INVITEE = N_("That meeting has started or was cancelled, so the answer can no longer be changed.")
