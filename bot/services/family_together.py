"""A family message about several children at once (issue 6 item 4: nothing said is dropped).

A grandmother of two writes ``孩子咳嗽好几天了`` and names no child. When both
children have the same reader (their class teacher), the words go to that
teacher at once as ONE message naming both (:func:`pass_on_together`); no
"which child?" is asked. When they have different readers, the flow asks
which child, with a "Both" choice that passes the words on for each child to
that child's reader (:func:`by_reader` groups them).

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.emergency_words import emergency_kind
from bot.domain.enums import Priority
from bot.services import family_about, family_messages
from bot.services.family_messages import Passed
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassedTogether:
    """Where a message about several children went: as :class:`Passed`, and every child it names."""

    passed: Passed
    children: tuple[str, ...]


def by_reader(uow: UnitOfWork, child_ids: list[int]) -> list[list[int]]:
    """``child_ids`` grouped by who reads a family's message about them, in the order given.

    A child nobody at the school could read about is a group of its own (the writer is then told so for it).
    """
    groups: dict[object, list[int]] = {}
    for child_id in dict.fromkeys(child_ids):
        child = uow.session.get(Child, child_id)
        reader = family_messages.reader_of(uow, child) if child is not None else None
        groups.setdefault(reader[0] if reader is not None else ("nobody", child_id), []).append(child_id)
    return list(groups.values())


def pass_on_together(uow: UnitOfWork, *, from_person_id: int, child_ids: list[int], body: str | None,
                     now: datetime, media: tuple[tuple[str, str], ...] = (),
                     channel: str | None = None) -> PassedTogether | None:
    """Keep one message about ``child_ids`` (one reader's children) and send it to that reader, naming them all.

    The message is filed under the first child (the teacher's Reply answers it once) and linked to every
    child (:func:`bot.services.family_about.link`); the reader's copy names
    every child and their classes: ``李雪（刘婷婷、刘帅的外祖母，一年级（3）班）留言``. BULK: quiet hours wait.

    Returns:
        Where it went, or None when a child is not the writer's, or the children have no one common reader.
    """
    s = uow.session
    own = {c.id for c in family_messages.family_children(uow, from_person_id)}
    children = [s.get(Child, i) for i in dict.fromkeys(child_ids) if i in own]
    kids = [c for c in children if c is not None]
    writer = s.get(Person, from_person_id)
    readers = {family_messages.reader_of(uow, c) for c in kids}
    if writer is None or len(kids) != len(child_ids) or len(readers) != 1 or None in readers:
        return None
    [(reader_id, reader_role)] = [r for r in readers if r is not None]
    first = kids[0]
    row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader_id, child_id=first.id,
                        body=family_messages.kept(body),
                        voice_media_id=next((ref for kind, ref in media if kind == "voice"), None),
                        channel=channel, created_at=now)
    s.add(row)
    s.flush()
    family_about.link(uow, row.id, [k.id for k in kids])  # about every child: the second's teachers see it too
    named = family_messages.naming_all(uow, row, family_messages.message_prompt(uow, row, first, writer))
    enqueue(s, key=f"family:{row.id}:to:{reader_id}", person_id=reader_id,
            prompt=replace(named, media=tuple(media)), now=now,
            priority=Priority.URGENT if body and emergency_kind(body) is not None else Priority.BULK,  # never held
            child_id=first.id)
    reader = s.get(Person, reader_id)
    log.info("family message %s from person %s about %d children passed to person %s", row.id, from_person_id,
             len(kids), reader_id)
    passed = Passed(row.id, reader.name if reader else "", reader_role, first.name, reader_id)
    return PassedTogether(passed, tuple(c.name for c in kids))
