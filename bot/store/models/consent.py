"""Guardians' answers to the privacy notice (PIPL art. 31), one append-only row per answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class Consent(Base):
    """One answer to the privacy notice for one child: who, when, where, which notice, what it covers.

    Rows are never changed: a later answer (a withdrawal, a paper form) is a
    new row, and the latest row of a child is the child's status
    (``bot.services.consent``).
    """

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_child_at", "child_id", "at"),
        # A child's latest answer (``bot.services.consent.granted_filter``) read from the index alone: one
        # seek per child, no sort, when a city's planners check 260,000 children (issue 7).
        Index("ix_consents_child_latest", "child_id", "id", "decision"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)  # the guardian or parent
    decision: Mapped[str] = mapped_column(String(16))  # bot.domain.privacy.ConsentDecision
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(16))  # bot.domain.privacy.ConsentChannel
    notice_version: Mapped[str] = mapped_column(String(32))
    scope: Mapped[list[str]] = mapped_column(JSON)  # bot.domain.privacy.ConsentScope values
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # staff entering a paper form
