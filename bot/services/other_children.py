"""Which other families' children a family member's words name (fix6u; fix6ad).

李雪, grandmother of 刘婷婷 and 刘帅, writes ``杨秀云需要帮助``. Words naming another active child of her children's
school by full name are passed to that child's class teacher (:mod:`bot.services.other_child_words`), never
answered differently: what she reads is the same as for a name that is no child (docs/flows/relay.md).

Only full names are compared (``杨秀云``, not ``秀云``): a given name or a nickname is shared by too many children,
and the writer's own children's names and forms are never counted as another's. Nothing found here is shown to
the writer.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import child_mentions
from bot.domain.traditional import simplified
from bot.services.family_messages import family_children
from bot.services.ports import UnitOfWork
from bot.store.models import Child


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
