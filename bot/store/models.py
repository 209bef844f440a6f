"""SQLAlchemy 2 models of the care programme.

All datetimes are stored as UTC (``UtcDateTime`` makes them aware on the way
out, SQLite included). Chat account ids are strings: Telegram ids are 64-bit
integers and WeChat OpenIDs are strings, and both fit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware-UTC datetime on both sides; refuses naive values on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}


class School(Base):
    """A school (学校) and its programme settings."""

    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    town: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    locale: Mapped[str] = mapped_column(String(16), default="zh_Hans")
    # Escalation policy overrides (see bot.domain.escalation.EscalationPolicy.from_dict).
    escalation_policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SchoolClass(Base):
    """A class (班级) with its class teacher (班主任)."""

    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    grade: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    class_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    pupils_total: Mapped[int | None] = mapped_column(Integer)
    left_behind_count: Mapped[int | None] = mapped_column(Integer)


class Child(Base):
    """A left-behind child's archive (一人一档), after the national registration form."""

    __tablename__ = "children"
    __table_args__ = (UniqueConstraint("school_id", "student_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    gender: Mapped[str | None] = mapped_column(String(8))
    ethnicity: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[date | None] = mapped_column(Date)
    student_no: Mapped[str] = mapped_column(String(64))  # 学籍号
    grade: Mapped[str | None] = mapped_column(String(32))
    schooling: Mapped[str | None] = mapped_column(String(32))  # 就学情况
    boarding: Mapped[bool | None] = mapped_column(Boolean)  # 是否寄宿
    health: Mapped[str | None] = mapped_column(String(64))  # 身体情况
    address: Mapped[str | None] = mapped_column(String(300))  # 现居住地
    left_behind_type: Mapped[str | None] = mapped_column(String(64))  # 留守类型
    guardianship_assessment: Mapped[str | None] = mapped_column(String(64))  # 监护情况评估
    family_income: Mapped[str | None] = mapped_column(String(64))  # 家庭经济来源
    aid: Mapped[str | None] = mapped_column(String(200))  # 救助帮扶情况
    note: Mapped[str | None] = mapped_column(Text)  # 备注
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    school_class: Mapped[SchoolClass | None] = relationship()


class Person(Base):
    """Anyone the bot talks to: staff, volunteers, guardians, parents, officials.

    ``phone`` is E.164 (``+8613800138000``) as normalised by phonenumbers.
    ``locale`` decides the language of every message they get.
    """

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_school_name", "school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    # Where the importer found the person, to recognise them again on re-import.
    natural_key: Mapped[str] = mapped_column(String(200), unique=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    work_place: Mapped[str | None] = mapped_column(String(200))  # 务工地点 (parents)
    age: Mapped[int | None] = mapped_column(Integer)  # guardians
    health: Mapped[str | None] = mapped_column(String(64))  # guardians
    preferred_channel: Mapped[str | None] = mapped_column(String(16))

    roles: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class PersonRole(Base):
    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # bot.domain.enums.Role


class ChildRelation(Base):
    """Child–person relation; a study buddy points at another child instead."""

    __tablename__ = "child_relations"
    __table_args__ = (
        UniqueConstraint("child_id", "kind", "person_id", "related_child_id"),
        Index("ix_child_relations_person", "person_id", "kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # bot.domain.enums.RelationKind
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    related_child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    relationship_label: Mapped[str | None] = mapped_column(String(32))  # 与儿童关系: 外祖父 …


class ChatAccount(Base):
    """A chat account bound to a person (Telegram chat, WeChat OpenID, WeCom UserID)."""

    __tablename__ = "chat_accounts"
    __table_args__ = (UniqueConstraint("channel", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(128))
    bound_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))


class Invite(Base):
    """A single-use invite code; only its SHA-256 is stored."""

    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("chat_accounts.id"))


class BindAttempt(Base):
    """Failed binding attempts per chat account, to slow down guessing."""

    __tablename__ = "bind_attempts"
    __table_args__ = (UniqueConstraint("channel", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(128))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]


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
    note: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    # Unique per conversation confirm step: a redelivered "save" writes once.
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class Checkin(Base):
    """One weekly check-in (每周联系) for one guardian and child."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("child_id", "guardian_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    guardian_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))  # ISO week "2026-W48"
    sent_at: Mapped[datetime]
    reminder_due_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    escalate_due_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))  # CheckinAnswer
    follow_up_text: Mapped[str | None] = mapped_column(Text)


class Task(Base):
    """Work the bot hands to a person: a follow-up or a phone call."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency
    kind: Mapped[str] = mapped_column(String(32))  # TaskKind
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    about_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class Incident(Base):
    """An incident (突发事件) with the escalation policy it was reported under."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16))  # IncidentKind
    severity: Mapped[str] = mapped_column(String(16))  # Severity
    description: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)  # snapshot
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)

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
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    send_by: Mapped[datetime]  # latest time to send (earlier if the previous step is acknowledged)
    due_by: Mapped[datetime]  # deadline to reach this person
    sent_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_action_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    missed_at: Mapped[datetime | None]  # deadline passed unacknowledged; reporter told

    incident: Mapped[Incident] = relationship(back_populates="steps")


class IncidentEvent(Base):
    """The incident timeline: every send, reminder, acknowledgement, miss, close."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    step_no: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the change that caused it.

    ``payload`` is a serialised :class:`bot.flows.prompt.Prompt`; it is rendered
    in the recipient's locale when sent. ``key`` makes enqueueing idempotent.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_ready", "sent_at", "failed_at", "priority", "not_before"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    priority: Mapped[str] = mapped_column(String(8))  # Priority
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(String(16))
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    incident_step_id: Mapped[int | None] = mapped_column(ForeignKey("incident_steps.id"))
    cancelled_at: Mapped[datetime | None]  # e.g. the incident was closed: never send


class Conversation(Base):
    """Conversation state per (channel, account); ``version`` invalidates old buttons."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(128))
    flow: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """Inbound updates already handled (Telegram update_id, WeChat MsgId …)."""

    __tablename__ = "processed_updates"
    __table_args__ = (UniqueConstraint("channel", "update_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]


class InboundClaim(Base):
    """A WeChat message or event claimed by the worker handling it (MsgId, or sender+CreateTime+Event+EventKey).

    Committed before the message is handled, so WeChat's retries (after 5 s,
    three times) that arrive while the first delivery is still being handled,
    on this worker or another, find the claim and do not handle it again.
    ``reply`` keeps the passive reply for a retry that arrives after it is ready.
    """

    __tablename__ = "inbound_claims"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SeenNonce(Base):
    """Nonces of signed callback requests seen in the last minutes (replay protection)."""

    __tablename__ = "seen_nonces"
    __table_args__ = (UniqueConstraint("channel", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(128))
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ApiToken(Base):
    """Access tokens of platform APIs (WeChat, WeCom), shared by every worker through the database."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. "wechat:<appid>", "wecom:<corpid>:<agentid>"
    token: Mapped[str] = mapped_column(String(1024))
    expires_at: Mapped[datetime]
    refreshed_at: Mapped[datetime]


class PlanMarker(Base):
    """A periodic planning job done for one school and period (``checkins:<school>:<week>``).

    Lets every scheduler tick skip, with one indexed lookup, the schools whose
    work for the period is already planned, instead of re-reading them.
    """

    __tablename__ = "plan_markers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
