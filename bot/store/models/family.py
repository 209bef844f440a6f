"""The family link (issue 8, items 4–7): monthly news to the parents working away, family calls, meetings, letters.

Each record carries its own idempotency: one news per (child, month), one
booking per request, one invitation per (meeting, person), one delivery per
(letter, parent). Free text (the teacher's words, a call note) is stored and
never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedString, EncryptedText


class FamilyNews(Base):
    """The monthly news of one child to the parents working away (每月反馈), drafted then sent or skipped.

    ``facts`` is the month composed from the records when drafted (only what
    may be shared: ``bot.domain.family_news``); ``note`` is the class
    teacher's own words, added when reviewing.
    """

    __tablename__ = "family_news"
    __table_args__ = (UniqueConstraint("child_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))  # the month told about: "2026-11"
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)  # reviews and sends
    status: Mapped[str] = mapped_column(String(16), default="draft")  # NewsStatus
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(EncryptedText("family_news.note"))  # the class teacher's line
    withheld: Mapped[list[str] | None] = mapped_column(JSON)  # parts not to share (bot.domain.family_news.PARTS)
    drafted_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recipients: Mapped[int | None]  # parents the news was sent to


class CallRoom(Base):
    """The school's family phone or video room (亲情电话室) and its weekly slots (``bot.domain.call_slots``)."""

    __tablename__ = "call_rooms"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8), default="phone")  # phone | video
    slots: Mapped[str] = mapped_column(String(200))
    keeper_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # confirms; else the class teacher
    active: Mapped[bool] = mapped_column(default=True)


class FamilyCall(Base):
    """One family call (亲情电话): asked for, confirmed or declined, reminded, then logged ("及时做好相关记录").

    ``slot_key`` (``<room>:<start>``) is unique while the call holds its slot
    and cleared when it is declined or cancelled, so one slot holds one call.
    """

    __tablename__ = "family_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("call_rooms.id"))
    # Both None once the child's record is erased (bot.services.retention_links).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # the parent working away on the line
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    starts_at: Mapped[datetime]
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))  # CallStatus
    slot_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    held: Mapped[bool | None]
    duration_minutes: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(EncryptedText("family_calls.note"))  # the keeper's record: never logged
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    logged_at: Mapped[datetime | None]


class Meeting(Base):
    """A guardian meeting, a parent-school session (家长学校) or a 座谈会: invitations, replies, attendance."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # bot.domain.meetings.MeetingKind
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"))  # None: the whole school
    organiser_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(EncryptedString("meetings.place"))  # a family's home, at times
    created_at: Mapped[datetime]
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)  # one meeting per confirm step
    reminded_at: Mapped[datetime | None]  # the day-before reminders were written
    attendance_asked_at: Mapped[datetime | None]
    attendance_recorded_at: Mapped[datetime | None]
    attended: Mapped[int | None]  # how many came, as the organiser counted
    cancelled_at: Mapped[datetime | None]  # called off by the organiser: no reminders, no attendance, no figures


class MeetingInvite(Base):
    """One person invited to a meeting, and their reply."""

    __tablename__ = "meeting_invites"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    reply: Mapped[str | None] = mapped_column(String(8))  # yes | no
    replied_at: Mapped[datetime | None]


class Letter(Base):
    """A child's letter to the parents working away (亲情书信), photographed by a teacher and delivered by the bot.

    ``photos`` holds media refs (``bot.adapters.media_files``); one outbox row
    per parent (``letter:<id>:<parent>``) records its delivery.
    """

    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    photos: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(index=True)
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    recipients: Mapped[int | None]


class LetterReply(Base):
    """A parent's reply to a letter (text, photos, voice), relayed to the class teacher to read to the child."""

    __tablename__ = "letter_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # None once the child is erased
    text: Mapped[str | None] = mapped_column(EncryptedText("letter_replies.text"))  # never logged
    media: Mapped[list[list[str]] | None] = mapped_column(JSON)  # [kind, ref] pairs
    received_at: Mapped[datetime]
