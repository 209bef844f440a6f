"""The care programme's calendar: terms, programme items, their occurrences and the responsible people's tasks.

RapidPro's campaign idea (STYLE.md): :class:`ProgrammeItem` is the rule
(``CampaignEvent``), :class:`ProgrammeOccurrence` one of its dates
(``EventFire``), :class:`ProgrammeTask` the reminder and answer of one
responsible person for one occurrence. Occurrences and tasks carry unique
idempotency keys, so planning twice (a second worker, a late tick) adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedText


class Semester(Base):
    """One term of a school (学期), inclusive local dates."""

    __tablename__ = "semesters"
    __table_args__ = (UniqueConstraint("school_id", "starts_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class ProgrammeItem(Base):
    """A programme item of a school (``bot.domain.programme.ItemSpec``)."""

    __tablename__ = "programme_items"
    __table_args__ = (UniqueConstraint("school_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    title_is_id: Mapped[bool] = mapped_column(Boolean, default=False)
    anchor: Mapped[str] = mapped_column(String(64))  # "festival:中秋", "semester_end:spring" …
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    align: Mapped[str] = mapped_column(String(16), default="none")
    delivery_time: Mapped[str] = mapped_column(String(5), default="08:00")  # HH:MM school time
    remind_days: Mapped[int] = mapped_column(Integer, default=3)
    role: Mapped[str] = mapped_column(String(32))
    audience: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(400), default="")
    count_kind: Mapped[str] = mapped_column(String(16), default="participation")
    on_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]


class ProgrammeOccurrence(Base):
    """One date of a programme item (and, for birthdays, one person's); planned once under ``key``."""

    __tablename__ = "programme_occurrences"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # prog:<item>:<date>[:p<person>]
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_items.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    remind_at: Mapped[datetime]
    subject_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    planned_at: Mapped[datetime]
    tasks_planned_at: Mapped[datetime | None] = mapped_column(index=True)
    cancelled_at: Mapped[datetime | None]  # the item was switched off or changed before the reminder


class ProgrammeTask(Base):
    """One responsible person's reminder and answer for one occurrence."""

    __tablename__ = "programme_tasks"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "person_id"),
        Index("ix_programme_tasks_due", "reminded_at", "remind_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("programme_occurrences.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    audience_count: Mapped[int] = mapped_column(Integer, default=0)
    remind_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")  # TaskStatus
    postponed_to: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(EncryptedText("programme_tasks.note"))
