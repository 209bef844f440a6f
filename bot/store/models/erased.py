"""Children erased on request, remembered only by a keyed blind index (issue 10, item 4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class ErasedChild(Base):
    """One erased child's key, so that the next roster import does not bring the child back.

    ``digest`` is the HMAC-SHA-256 blind index (:func:`bot.store.crypto.blind`, the phone
    index's key) of the child's 学籍号, or of name and birth date for a child who had none
    (``kind`` says which; :mod:`bot.services.erased_children`). Nothing here can be read back
    into a name or number without the index key.
    """

    __tablename__ = "erased_children"
    __table_args__ = (Index("ix_erased_children_school_digest", "school_id", "digest"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "student_no" or "name_birth"
    digest: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime]
