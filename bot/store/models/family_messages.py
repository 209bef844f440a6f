"""What families say outside any question, and the teachers' answers (issue 6 item 4: nothing said is dropped)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base, EncryptedText


class FamilyMessage(Base):
    """One message passed on to the person who can act on it.

    ``kind``: ``message`` — a guardian's or parent's words that answered no
    question, for the child's class teacher; ``answer`` — the teacher's answer
    to one (``answer_to_id``), for the guardian; ``checkin_note`` — a note after
    a check-in answer, for the child's helper teacher's next daily digest
    (``digested_at`` set when it was put in one).
    """

    __tablename__ = "family_messages"
    __table_args__ = (Index("ix_family_messages_to_digest", "to_person_id", "digested_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Both None once the child's record is erased (bot.services.retention_links).
    from_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    answer_to_id: Mapped[int | None] = mapped_column(ForeignKey("family_messages.id"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
    body: Mapped[str | None] = mapped_column(EncryptedText("family_messages.body"))  # encrypted, never logged
    voice_media_id: Mapped[str | None] = mapped_column(String(128))  # a WeChat voice note without a transcript
    channel: Mapped[str | None] = mapped_column(String(16))  # where it was written (the voice note lives there)
    created_at: Mapped[datetime]
    digested_at: Mapped[datetime | None]
    # An URGENT message's chain (bot.services.urgent_escalation): the steps taken (0: sent, 1: the reader
    # reminded, 2: the backups told) and when the next one is due (None: answered, or nothing more to do).
    urgent_step: Mapped[int | None] = mapped_column(default=None)
    urgent_next_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    # The same words passed to a second reader (the incident's reporter and the class teacher, conv6s) are a
    # copy of the first row: answered once for all, found by this key (never by comparing decrypted bodies).
    # The id of a family_messages row, without a foreign key (migration conv6u_message_children says why).
    copy_of_id: Mapped[int | None] = mapped_column(index=True, default=None)
    # Words sent in answer to an incident's alert (a reply, an all clear): the incident's id. They belong to
    # the incident: a child's card shows them only to someone it reached (bot.services.family_about).
    incident_id: Mapped[int | None] = mapped_column(default=None)


class FamilyMessageChild(Base):
    """A child a family message is about: one row per child (``两个孩子都感冒了`` has two; issue 6 item 4).

    ``family_messages.child_id`` stays the child the message is filed under (its reader's, the first named);
    every question "what did the family say about this child?" reads this table instead, so the second
    child's teachers, card, digest and erasure see the message too (:mod:`bot.services.family_children`).
    """

    __tablename__ = "family_message_children"
    message_id: Mapped[int] = mapped_column(ForeignKey("family_messages.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
