"""Case work on one child: recorded changes of the card, individual education plans (个别教育管理方案), aid (资助).

Free text here (goals, measures, notes, items, old and new values: a phone,
an address) is encrypted at rest (:mod:`bot.store.crypto`) and never logged;
ids and enum values are.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedJSON, EncryptedText


class RecordChange(Base):
    """One recorded change: a card corrected in chat, a relation ended by a re-import, a task handed on.

    ``subject`` names what changed (``child``, ``person``, ``relation``,
    ``task``, ``role``, ``account``) and ``field`` which part of it
    (``address``, ``phone``, ``guardian``, ``helper_teacher`` …).
    ``changed_by_id`` is None for the importer.
    """

    __tablename__ = "record_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    subject: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(EncryptedText("record_changes.old_value"))
    new_value: Mapped[str | None] = mapped_column(EncryptedText("record_changes.new_value"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(16))  # ChangeSource


class EducationPlan(Base):
    """An individual education plan (个别教育管理方案) for a child in difficulty."""

    __tablename__ = "education_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))  # PlanReason
    talk_record_id: Mapped[int | None] = mapped_column(ForeignKey("talk_records.id"))
    goals: Mapped[list[str]] = mapped_column(EncryptedJSON("education_plans.goals"), default=list)
    measures: Mapped[list[str]] = mapped_column(EncryptedJSON("education_plans.measures"), default=list)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")  # PlanStatus
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class EducationPlanPerson(Base):
    """A person responsible for a plan's measures (the class teacher, a helper teacher, a guardian …)."""

    __tablename__ = "education_plan_people"
    __table_args__ = (UniqueConstraint("plan_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("education_plans.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)


class EducationPlanReview(Base):
    """A review date of a plan (local date): reminded before, done with a note."""

    __tablename__ = "education_plan_reviews"
    __table_args__ = (UniqueConstraint("plan_id", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("education_plans.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    reminded_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(EncryptedText("education_plan_reviews.note"))


class EducationPlanNote(Base):
    """A progress note on a plan."""

    __tablename__ = "education_plan_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("education_plans.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    written_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(EncryptedText("education_plan_notes.text"))


class AidRecord(Base):
    """Aid given to a child (资助): date, kind, amount (yuan) or items, source, given by.

    ``amount`` is a decimal number of yuan (``Numeric(12, 2)``), so exports keep
    it a number; ``import_key`` makes a re-imported ledger add nothing twice.
    """

    __tablename__ = "aid_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))  # AidKind
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    items: Mapped[str | None] = mapped_column(EncryptedText("aid_records.items"))
    source: Mapped[str | None] = mapped_column(String(200))  # 县教育局, 爱心企业 …
    given_by: Mapped[str | None] = mapped_column(String(200))  # who handed it over (a name or an organisation)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]
    import_key: Mapped[str | None] = mapped_column(String(200), unique=True)
