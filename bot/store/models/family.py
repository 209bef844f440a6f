"""The family link (issue 8, items 4–7): monthly news to the parents working away, family calls, meetings, letters.

Each record carries its own idempotency: one news per (child, month), one
booking per request, one invitation per (meeting, person), one delivery per
(letter, parent). Free text (the teacher's words, a call note) is stored and
never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


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
    note: Mapped[str | None] = mapped_column(Text)
    drafted_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recipients: Mapped[int | None]  # parents the news was sent to
