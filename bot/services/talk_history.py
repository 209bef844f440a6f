"""A child's talk history (``/talks 张三``): the talk record cards, newest first, for the staff who may see them.

The child's class teacher, the admins and leaders (the full card) and the
paired helper teacher or caring parent (the pairing part) may list the
cards; guardians, parents and officials may not (the notes are the
teachers' working record). What of each card a reader gets is need-to-know
(:func:`shown_part`, docs/flows/card.md):

==============================================  =====================  ==============================
reader                                          a card with a safety   any other card
                                                concern
==============================================  =====================  ==============================
its author                                      everything             everything
the school's admins, leaders, safeguarding      everything             everything
lead
the child's class teacher                       that a talk happened   everything
a paired helper teacher or caring parent        that a talk happened   date, kind, author, ratings;
                                                                       the note only of their own
staff holding an open task about the child      that a talk happened   date, kind, author, ratings;
(access footnote [4]), only while it is open                           the note only of their own
==============================================  =====================  ==============================

A card with a safety concern may name the person the child is afraid of —
often someone at home, sometimes someone a volunteer knows from the village.
Its details go only to the school's leaders and its safeguarding lead
(issue 10, item 9; :mod:`bot.services.safety_concerns`) and stay with its
author; everyone else reads "content for the school's leaders only".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select

from bot.domain.enums import ADMIN_ROLES, Role
from bot.services import cards, left_school
from bot.services.cards import Part
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Person, TalkRecord

LEADERS = frozenset({*ADMIN_ROLES, Role.SAFEGUARDING_LEAD})
"""Who reads every card of their school's children, safety concerns included."""


class Shown(StrEnum):
    """How much of one talk card a reader gets."""

    ALL = "all"
    NO_NOTE = "no_note"  # date, kind, author and ratings; the note withheld
    WITHHELD = "withheld"  # only that a talk happened, when and by whom


@dataclass(frozen=True)
class TalkRow:
    """One talk record card as listed; what the reader may not see is None (``shown`` says what was held back)."""

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
    shown: Shown = Shown.ALL


def shown_part(actor: Actor, part: Part, *, school_id: int, author_id: int, safety_concern: bool) -> Shown:
    """How much of a card the reader gets (module doc), given the part of the child's card they may see."""
    if author_id == actor.person_id or (LEADERS & actor.roles and school_id == actor.school_id):
        return Shown.ALL
    if safety_concern:
        return Shown.WITHHELD
    return Shown.ALL if part is Part.FULL else Shown.NO_NOTE


def reads_school_talks(actor: Actor, child: Child) -> bool:
    """Whether the actor reads every talk card of this child as one of the school's leaders (module doc).

    The safeguarding lead (安全/保护专干) need not be an admin: the talks of
    every active child of her school are hers to read, safety concerns first, and those of a child who has
    left (:mod:`bot.services.left_school`).
    """
    if not child.active:
        return left_school.readable(actor, child, talks=True)
    return bool(LEADERS & actor.roles) and child.school_id == actor.school_id


def _part(uow: UnitOfWork, actor: Actor, child: Child | None) -> Part | None:
    """How much of the card ``actor`` reads, when it lets them read the talks (FULL, PAIRING, TASK), else None."""
    part = cards.part_for(uow, actor, child) if child is not None else None
    if child is not None and part is None and reads_school_talks(actor, child):
        part = Part.FULL  # a safeguarding lead who is not an admin: the table's second row
    return part if part in (Part.FULL, Part.PAIRING, Part.TASK) else None


def readable(uow: UnitOfWork, actor: Actor, child_id: int) -> bool:
    """Whether ``actor`` may read the talks with the child (a name offered for ``/talks`` must open them)."""
    return _part(uow, actor, uow.session.get(Child, child_id)) is not None


def history(uow: UnitOfWork, actor: Actor, child_id: int, *, limit: int = 10) -> tuple[list[TalkRow], int] | None:
    """The newest ``limit`` talk cards of the child and how many there are in all; None when not the actor's to see.

    Each card is cut to what this reader may see (:func:`shown_part`).
    """
    s = uow.session
    child = s.get(Child, child_id)
    part = _part(uow, actor, child)
    if child is None or part is None:
        return None
    rows = s.execute(
        select(TalkRecord, Person.name).join(Person, Person.id == TalkRecord.author_id)
        .where(TalkRecord.child_id == child_id)
        .order_by(TalkRecord.talked_at.desc(), TalkRecord.id.desc()).limit(limit)
    ).all()
    total = s.scalar(select(func.count()).select_from(TalkRecord).where(TalkRecord.child_id == child_id)) or 0
    found: list[TalkRow] = []
    for r, name in rows:
        shown = shown_part(actor, part, school_id=child.school_id, author_id=r.author_id,
                           safety_concern=r.safety_concern)
        if shown is Shown.WITHHELD:
            found.append(TalkRow(r.id, r.talked_at, r.kind, name, None, None, None, False, False, None, shown))
        else:
            found.append(TalkRow(r.id, r.talked_at, r.kind, name, r.mood, r.study, r.daily_life, r.safety_concern,
                                 r.follow_up, r.note if shown is Shown.ALL else None,
                                 Shown.NO_NOTE if shown is Shown.NO_NOTE and r.note else Shown.ALL))
    return found, total
