"""Term results for plan 5's assessment: a child's class rank and flags per term, as imported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class TermResult(Base):
    """One child's term: class rank (1 = best), serious violation (严重违纪), 三好学生.

    ``term`` is the label given at import; labels sort in time order
    (``2026-09``, ``2027-02`` or ``2026-秋``, ``2027-春``), so "last term" is the
    child's previous label.
    """

    __tablename__ = "term_results"
    __table_args__ = (UniqueConstraint("child_id", "term"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    term: Mapped[str] = mapped_column(String(16))
    class_rank: Mapped[int | None] = mapped_column(Integer)
    serious_violation: Mapped[bool] = mapped_column(Boolean, default=False)
    merit: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime]
