"""The care programme's records: talks (谈心记录卡), check-ins (每周联系), tasks, incidents (突发事件)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain import tasks as tasks_rules
from bot.store.models.base import Base, EncryptedText


class TalkRecord(Base):
    """A talk record card (谈心记录卡)."""

    __tablename__ = "talk_records"
    __table_args__ = (Index("ix_talk_records_child_period", "child_id", "kind", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # TalkKind
    period: Mapped[str] = mapped_column(String(16))  # "2026-11" or "2026-W48"
    talked_at: Mapped[datetime]
    mood: Mapped[str | None] = mapped_column(String(16))
    study: Mapped[str | None] = mapped_column(String(16))
    daily_life: Mapped[str | None] = mapped_column(String(16))
    safety_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(EncryptedText("talk_records.note"))
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    # Unique per conversation confirm step: a redelivered "save" writes once.
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class Checkin(Base):
    """One weekly check-in (每周联系) for one guardian and child."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("child_id", "guardian_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    # None once the child's record is erased (bot.services.retention_links): the answer stays for the figures.
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))  # ISO week "2026-W48"
    sent_at: Mapped[datetime]
    reminder_due_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    escalate_due_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))  # CheckinAnswer
    follow_up_text: Mapped[str | None] = mapped_column(EncryptedText("checkins.follow_up_text"))
    cancelled_at: Mapped[datetime | None]  # the guardian's relation to the child ended first (issue 10.5)


class Task(Base):
    """Work the bot hands to a person: a follow-up or a phone call."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency
    kind: Mapped[str] = mapped_column(String(32))  # TaskKind
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    about_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    detail: Mapped[str | None] = mapped_column(EncryptedText("tasks.detail"))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]  # closed (done_at too) because the relation it was about ended
    # Set from the kind when left empty (bot.domain.tasks.due_at; see the before_insert hook below).
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    outcome: Mapped[str | None] = mapped_column(EncryptedText("tasks.outcome"))  # closed with it; never logged
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # The first assignee, when it was handed on (the hand-overs themselves are RecordChange rows).
    handed_from_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


@event.listens_for(Task, "before_insert")
def _default_due_at(_mapper: Any, _connection: Any, task: Task) -> None:
    """Every source of tasks gets a due time from its kind, without each call site computing it."""
    if task.due_at is None and task.created_at is not None:
        task.due_at = tasks_rules.due_at(task.kind, task.created_at)


class Incident(Base):
    """An incident (突发事件) with the escalation policy it was reported under."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16))  # IncidentKind
    severity: Mapped[str] = mapped_column(String(16))  # Severity
    description: Mapped[str] = mapped_column(EncryptedText("incidents.description"))
    reported_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)  # snapshot
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    outcome: Mapped[str | None] = mapped_column(String(32))  # IncidentOutcome, recorded at the close
    outcome_note: Mapped[str | None] = mapped_column(EncryptedText("incidents.outcome_note"))  # the closer's words

    steps: Mapped[list[IncidentStep]] = relationship(
        back_populates="incident", order_by="IncidentStep.id"
    )


class IncidentStep(Base):
    """One recipient of one escalation step: due by / sent at / acknowledged at."""

    __tablename__ = "incident_steps"
    __table_args__ = (
        UniqueConstraint("incident_id", "step_no", "person_id"),
        Index("ix_incident_steps_next", "acknowledged_at", "next_action_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    # None once the child's record is erased (bot.services.retention_links): the times stay for the figures.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    send_by: Mapped[datetime]  # latest time to send (earlier if the previous step is acknowledged)
    due_by: Mapped[datetime]  # deadline to reach this person
    sent_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_action_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    missed_at: Mapped[datetime | None]  # deadline passed unacknowledged; reporter told
    excluded_at: Mapped[datetime | None]  # left out of the chain after the report (reason: its 'excluded' event)

    incident: Mapped[Incident] = relationship(back_populates="steps")


class IncidentEvent(Base):
    """The incident timeline: every send, reminder, acknowledgement, miss, exclusion, addition, close.

    ``note`` holds the free text an event carries (why a person was left out,
    a second report added to this one), never logged; ``detail`` holds ids and
    enum values only.
    """

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    step_no: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(EncryptedText("incident_events.note"))
