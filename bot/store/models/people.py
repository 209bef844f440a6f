"""Schools, classes, children's archives (一人一档), people, their relations and chat accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from bot.store import crypto
from bot.store.models.base import Base, EncryptedString, EncryptedText


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
    # The school year's settings (bot.services.school_year.CalendarSettings.from_dict).
    calendar: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The safeguarding chain's overrides (EscalationPolicy.from_dict(..., safeguarding=True)).
    safeguarding_policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164; alerts and the emergency answer carry it
    # When the school started using the bot (its first import): nothing is called missing before it.
    started_at: Mapped[datetime | None]


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
    health: Mapped[str | None] = mapped_column(EncryptedString("children.health"))  # 身体情况
    address: Mapped[str | None] = mapped_column(EncryptedString("children.address"))  # 现居住地
    left_behind_type: Mapped[str | None] = mapped_column(String(64))  # 留守类型
    guardianship_assessment: Mapped[str | None] = mapped_column(String(64))  # 监护情况评估
    family_income: Mapped[str | None] = mapped_column(String(64))  # 家庭经济来源
    aid: Mapped[str | None] = mapped_column(EncryptedString("children.aid"))  # 救助帮扶情况
    note: Mapped[str | None] = mapped_column(EncryptedText("children.note"))  # 备注
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the child left: a re-import without them, applied (--apply-removals), or first seen inactive by
    # the daily purge (retention counts from it); cleared if the child comes back. History is kept.
    left_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # erased on request (guanai erase): only aggregate counts remain

    school_class: Mapped[SchoolClass | None] = relationship()


class Person(Base):
    """Anyone the bot talks to: staff, volunteers, guardians, parents, officials.

    ``phone`` is E.164 (``+8613800138000``) as normalised by phonenumbers, encrypted at
    rest; ``phone_index`` is its blind index (:func:`bot.store.crypto.phone_index`), set
    whenever the phone is, and what lookups by phone compare.
    ``locale`` decides the language of every message they get.
    """

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_school_name", "school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(EncryptedString("people.phone"))
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    # Where the importer found the person, to recognise them again on re-import.
    natural_key: Mapped[str] = mapped_column(String(200), unique=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    work_place: Mapped[str | None] = mapped_column(EncryptedString("people.work_place"))  # 务工地点 (parents)
    age: Mapped[int | None] = mapped_column(Integer)  # guardians
    health: Mapped[str | None] = mapped_column(EncryptedString("people.health"))  # guardians
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    birthday: Mapped[str | None] = mapped_column(String(16))  # "MM-DD" or "lunar:MM-DD" (programme anchors)
    left_at: Mapped[datetime | None]  # staff who left: roles and chat access ended, children handed on

    roles: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("phone")
    def _index_phone(self, _key: str, phone: str | None) -> str | None:
        self.phone_index = crypto.phone_index(phone)
        return phone

    @property
    def role_set(self) -> frozenset[str]:
        """The person's ``Role`` values."""
        return frozenset(r.role for r in self.roles)


class PersonRole(Base):
    """One role of a person (``bot.domain.enums.Role`` value)."""
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
    # 无监护能力 (a parent recorded as unable to guard, e.g. "父亲无监护能力"): never in the incident chain.
    unable_to_guard: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
    # Set while a new staff binding waits for an admin's confirmation (settings.confirm_staff_bindings):
    # such an account has no access and gets no messages (bot.services.bindings).
    pending_since: Mapped[datetime | None]


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


class PersonSchool(Base):
    """A school a person belongs to besides their home school (``Person.school_id``).

    A grandmother with grandchildren at two schools, or an official covering
    a town, is one person with one chat binding and a row here per further school.
    """

    __tablename__ = "person_schools"
    __table_args__ = (UniqueConstraint("person_id", "school_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    since: Mapped[datetime]
