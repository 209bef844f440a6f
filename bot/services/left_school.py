"""Children who have left the school (离校): who may still read their card and talks, and since when.

A child a re-import no longer lists is marked as left once the removals are
applied (``guanai import FILE --apply-removals``, :func:`bot.services.roster_lifecycle.apply_removals`):
``active`` off, ``left_at`` set, the records kept as history. Such a child is
in nobody's scope for work (:mod:`bot.services.access`), but the school's
admins and leaders may still open the card (``/card``) and the talks
(``/talks``), and the safeguarding lead the talks, as they could while the
child was at school (:mod:`bot.services.cards`, :mod:`bot.services.talk_history`).
What they see is marked at the top with the day the child left. A child
erased on request (``guanai erase``) is readable by nobody.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, Role
from bot.domain.periods import local_date
from bot.services.access import ChildRef
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.store.models import Child, SchoolClass

CARD_READERS = ADMIN_ROLES
"""Who opens a left child's card: those who open every card of the school (``cards.part_for``)."""
TALK_READERS = frozenset({*ADMIN_ROLES, Role.SAFEGUARDING_LEAD})
"""Who reads a left child's talks: the school's leaders (``talk_history.LEADERS``)."""


def _readers(talks: bool) -> frozenset[Role]:
    return TALK_READERS if talks else CARD_READERS


def readable(actor: Actor, child: Child, *, talks: bool) -> bool:
    """Whether the actor may read this left child's card (``talks`` False) or talks; False for a child at school."""
    return (not child.active and child.erased_at is None and child.school_id == actor.school_id
            and bool(_readers(talks) & actor.roles))


def find(uow: UnitOfWork, actor: Actor, name: str, *, talks: bool) -> list[ChildRef]:
    """The left children of the actor's school called ``name`` whose card (or talks) the actor may read.

    Names compare as :func:`bot.services.access.find_children` compares them
    (spaces and full-width forms ignored); empty for anyone else.
    """
    wanted = normalise_name(name)
    if not wanted or not _readers(talks) & actor.roles:
        return []
    rows = uow.session.execute(
        select(Child.id, Child.name, SchoolClass.name).outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == actor.school_id, Child.active.is_(False), Child.erased_at.is_(None))
        .order_by(SchoolClass.id, Child.name, Child.id)
    ).all()
    return [ChildRef(id=r[0], name=r[1], class_name=r[2]) for r in rows if normalise_name(r[1]) == wanted]


def by_id(uow: UnitOfWork, actor: Actor, child_id: int, *, talks: bool) -> ChildRef | None:
    """The left child of a picker answer, if the actor may read their card (or talks)."""
    child = uow.session.get(Child, child_id)
    if child is None or not readable(actor, child, talks=talks):
        return None
    klass = uow.session.get(SchoolClass, child.class_id) if child.class_id else None
    return ChildRef(id=child.id, name=child.name, class_name=klass.name if klass else None)


def left(uow: UnitOfWork, child_id: int, timezone: str) -> tuple[bool, date | None]:
    """Whether the child has left, and the school day they left on (None when no day was recorded)."""
    child = uow.session.get(Child, child_id)
    if child is None or child.active:
        return False, None
    return True, local_date(child.left_at, timezone) if child.left_at is not None else None


def namesake_birth_date(uow: UnitOfWork, child_id: int) -> date | None:
    """The child's date of birth when another child of the school (at school or left) has the same name, else None.

    What tells two 张三 who left apart on the card, talks and aid ledger the leaders open (the picker shows it too).
    """
    child = uow.session.get(Child, child_id)
    if child is None or child.birth_date is None:
        return None
    others = uow.session.scalars(
        select(Child.name).where(Child.school_id == child.school_id, Child.id != child.id, Child.erased_at.is_(None))
    ).all()
    wanted = normalise_name(child.name)
    return child.birth_date if any(normalise_name(n) == wanted for n in others) else None
