"""A child's talk history (``/talks 张三``): the talk record cards, newest first, for the staff who may see them.

The child's class teacher, the admins and leaders (the full card) and the
paired helper teacher or caring parent (the pairing part) may read the
cards; guardians, parents and officials may not (the notes are the
teachers' working record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.services import cards
from bot.services.cards import Part
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Person, TalkRecord


@dataclass(frozen=True)
class TalkRow:
    """One talk record card as listed."""

    id: int
    talked_at: datetime
    kind: str
    author: str
    mood: str | None
    study: str | None
    daily_life: str | None
    safety_concern: bool
    follow_up: bool
    note: str | None


def history(uow: UnitOfWork, actor: Actor, child_id: int, *, limit: int = 10) -> tuple[list[TalkRow], int] | None:
    """The newest ``limit`` talk cards of the child and how many there are in all; None when not the actor's to see."""
    s = uow.session
    child = s.get(Child, child_id)
    if child is None or cards.part_for(uow, actor, child) not in (Part.FULL, Part.PAIRING):
        return None
    rows = s.execute(
        select(TalkRecord, Person.name).join(Person, Person.id == TalkRecord.author_id)
        .where(TalkRecord.child_id == child_id)
        .order_by(TalkRecord.talked_at.desc(), TalkRecord.id.desc()).limit(limit)
    ).all()
    total = s.scalar(select(func.count()).select_from(TalkRecord).where(TalkRecord.child_id == child_id)) or 0
    return [TalkRow(r.id, r.talked_at, r.kind, name, r.mood, r.study, r.daily_life, r.safety_concern, r.follow_up,
                    r.note) for r, name in rows], total
