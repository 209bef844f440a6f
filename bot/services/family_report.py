"""The family link's figures for the reports (``guanai family report``): news, calls, meetings, letters.

What a school shows its superiors: how many children's parents got their
monthly news, how many family calls were held and for how long, and (as
they are added) meeting attendance and letters delivered. Counts only: no
names, no notes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.domain.family_news import NewsStatus
from bot.domain.meetings import KIND_LABELS, MeetingKind
from bot.messages.prompt import N_, day, msg, nmsg
from bot.services.family_calls import CallStatus
from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyCall, FamilyNews, Letter, LetterReply, Meeting, MeetingInvite

Line = tuple[str, dict[str, Any]]


def _bounds(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (datetime.combine(first, time(0), tzinfo=zone),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone))


def lines(uow: UnitOfWork, school_id: int, first: date, last: date, tz: str) -> list[Line]:
    """The figures from ``first`` to ``last`` (school-local dates, inclusive)."""
    start, end = _bounds(first, last, tz)
    out: list[Line] = [(N_("Family link, {first} to {last}:"), {"first": day(first), "last": day(last)})]
    out.extend(_news(uow, school_id, first, last))
    out.extend(_calls(uow, school_id, start, end))
    out.extend(_meetings(uow, school_id, start, end))
    out.extend(_letters(uow, school_id, start, end))
    return out


def _news(uow: UnitOfWork, school_id: int, first: date, last: date) -> list[Line]:
    periods = (f"{first.year:04d}-{first.month:02d}", f"{last.year:04d}-{last.month:02d}")
    rows = dict(uow.session.execute(
        select(FamilyNews.status, func.count(FamilyNews.id)).join(Child, Child.id == FamilyNews.child_id)
        .where(Child.school_id == school_id, FamilyNews.period >= periods[0], FamilyNews.period <= periods[1])
        .group_by(FamilyNews.status)
    ).all())
    return [(N_("Monthly news: {sent} sent, {skipped} skipped, {draft} waiting for the class teacher"),
             {"sent": int(rows.get(NewsStatus.SENT.value, 0)), "skipped": int(rows.get(NewsStatus.SKIPPED.value, 0)),
              "draft": int(rows.get(NewsStatus.DRAFT.value, 0))})]


def _calls(uow: UnitOfWork, school_id: int, start: datetime, end: datetime) -> list[Line]:
    s = uow.session
    where = (FamilyCall.school_id == school_id, FamilyCall.starts_at >= start, FamilyCall.starts_at < end)
    held, minutes, children = s.execute(
        select(func.count(FamilyCall.id), func.coalesce(func.sum(FamilyCall.duration_minutes), 0),
               func.count(func.distinct(FamilyCall.child_id)))
        .where(*where, FamilyCall.status == CallStatus.LOGGED.value, FamilyCall.held.is_(True))
    ).one()
    by_status = dict(s.execute(select(FamilyCall.status, func.count(FamilyCall.id)).where(*where)
                               .group_by(FamilyCall.status)).all())
    not_held = s.scalar(select(func.count(FamilyCall.id)).where(
        *where, FamilyCall.status == CallStatus.LOGGED.value, FamilyCall.held.is_(False))) or 0
    minutes, children = int(minutes or 0), int(children or 0)
    return [(N_("Family calls: {held} held ({minutes}, {children}), {missed} did not happen, "
                "{booked} booked and not yet recorded, {asked} waiting for confirmation, {declined} declined"),
             {"held": int(held or 0), "minutes": nmsg("{count} minute", "{count} minutes", minutes, count=minutes),
              "children": _children(children),
              "missed": int(not_held),
              "booked": int(by_status.get(CallStatus.BOOKED.value, 0)),
              "asked": int(by_status.get(CallStatus.REQUESTED.value, 0)),
              "declined": int(by_status.get(CallStatus.DECLINED.value, 0))})]


def _meetings(uow: UnitOfWork, school_id: int, start: datetime, end: datetime) -> list[Line]:
    """Per kind: meetings held, people invited, replies yes, attendance counted."""
    s = uow.session
    out: list[Line] = []
    for kind in MeetingKind:
        where = (Meeting.school_id == school_id, Meeting.kind == kind.value, Meeting.starts_at >= start,
                 Meeting.starts_at < end, Meeting.cancelled_at.is_(None))  # a cancelled meeting was not held
        held, attended = s.execute(select(func.count(Meeting.id), func.coalesce(func.sum(Meeting.attended), 0))
                                   .where(*where)).one()
        if not held:
            continue
        invited, yes = s.execute(
            select(func.count(MeetingInvite.id), func.count(MeetingInvite.id).filter(MeetingInvite.reply == "yes"))
            .join(Meeting, Meeting.id == MeetingInvite.meeting_id).where(*where)
        ).one()
        out.append((N_("{kind}: {held} held, {invited} invited, {yes} said they would come, {attended} attended"),
                    {"kind": msg(KIND_LABELS[kind]), "held": int(held or 0), "invited": int(invited or 0),
                     "yes": int(yes or 0), "attended": int(attended or 0)}))
    return out


def _letters(uow: UnitOfWork, school_id: int, start: datetime, end: datetime) -> list[Line]:
    """Letters sent, children who wrote, replies from the parents."""
    s = uow.session
    where = (Child.school_id == school_id, Letter.created_at >= start, Letter.created_at < end)
    letters, children = s.execute(select(func.count(Letter.id), func.count(func.distinct(Letter.child_id)))
                                  .join(Child, Child.id == Letter.child_id).where(*where)).one()
    replies = s.scalar(select(func.count(LetterReply.id)).join(Letter, Letter.id == LetterReply.letter_id)
                       .join(Child, Child.id == Letter.child_id).where(*where)) or 0
    letters, replies = int(letters or 0), int(replies)
    return [(N_("Letters: {letters} sent by {children}, {replies} from the parents"),
             {"letters": nmsg("{count} letter", "{count} letters", letters, count=letters),
              "children": _children(int(children or 0)),
              "replies": nmsg("{count} reply", "{count} replies", replies, count=replies)})]


def _children(count: int) -> dict[str, Any]:
    """``1 child``, ``2 children``: each count of a line takes its own plural form."""
    return nmsg("{count} child", "{count} children", count, count=count)
