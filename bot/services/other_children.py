"""Whether a family's words name a child of the school who is not theirs (fix6u, a breaker's trial).

李雪, grandmother of 刘婷婷 and 刘帅, answered the Friday check-in with ``婷婷很好，杨秀云发烧了``: the fever of
another family's child was recorded as 刘婷婷 "needs help". A check-in answer is only ever about the writer's own
children, so words naming another child of their children's school by full name record nothing
(:mod:`bot.flows.checkin_others`).

Only full names are compared (``杨秀云``, not ``秀云``): a given name or a nickname is shared by too many children,
and the writer's own children's names and forms are never counted as another's. The answer is a yes or no and is
never shown: nothing about the other child (class, family, whether they have an incident) leaves this module.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import child_mentions
from bot.domain.traditional import simplified
from bot.services.family_messages import family_children
from bot.services.ports import UnitOfWork
from bot.store.models import Child


def names_another(uow: UnitOfWork, person_id: int, words: str) -> bool:
    """Whether ``words`` name, by full name, an active child of the writer's children's schools who is not theirs.

    Args:
        uow: the unit of work.
        person_id: the writer (a guardian or parent).
        words: what they typed.
    """
    mine = family_children(uow, person_id)
    if not mine or not words.strip():
        return False
    own_ids = [c.id for c in mine]
    folded = simplified("".join(words.split()))
    for form in sorted({f for c in mine for f in child_mentions.forms(c.name)}, key=len, reverse=True):
        folded = folded.replace(form, "\0")  # 刘婷婷 is hers, even if a 刘婷 goes to the school too
    schools = select(Child.school_id).where(Child.id.in_(own_ids))
    names = uow.session.scalars(select(Child.name).where(
        Child.school_id.in_(schools), Child.active.is_(True), Child.id.not_in(own_ids))).all()
    full = {simplified("".join(n.split())) for n in names}
    return any(len(name) >= 2 and name in folded for name in full)


def named(uow: UnitOfWork, person_id: int, words: str) -> list[Child]:
    """The active children of the writer's children's schools, not theirs, that ``words`` name by full name.

    For passing the words to those children's class teachers (:mod:`bot.services.other_child_words`); never
    shown to the writer.
    """
    mine = family_children(uow, person_id)
    if not mine or not words.strip():
        return []
    own_ids = [c.id for c in mine]
    folded = simplified("".join(words.split()))
    for form in sorted({f for c in mine for f in child_mentions.forms(c.name)}, key=len, reverse=True):
        folded = folded.replace(form, "\0")
    schools = select(Child.school_id).where(Child.id.in_(own_ids))
    found = uow.session.scalars(select(Child).where(
        Child.school_id.in_(schools), Child.active.is_(True), Child.id.not_in(own_ids)).order_by(Child.id)).all()
    named_here = [c for c in found if len(n := simplified("".join(c.name.split()))) >= 2 and n in folded]
    # 王小红 and 王小红丽 both at the school: the longer name typed is the one meant, never both.
    return [c for c in named_here if not any(c.name != o.name and c.name in o.name for o in named_here)]
