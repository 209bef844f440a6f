"""The children a family message is about (issue 6 item 4: nothing said is dropped, conv6u).

A grandmother of two writes ``两个孩子都感冒了``: the message is kept once, filed under the first child
(``family_messages.child_id``: its reader's), and linked to EVERY child it is about in
``family_message_children``. Whatever asks "what did the family say about this child?" reads the link:
the second child's card, the teacher who reads that child now (``/due``, the Reply), the names the
answer gives, the erasure of one child.

Privacy (DESIGN.md "Privacy"): erasing one child of two (``guanai erase``, the daily purge) removes that
child's link only; the sibling's link stays, so the sibling's record still shows that the family wrote on
that day. The shared words cannot be split by child, so they are emptied with the erased child's record
(:func:`bot.services.retention_chats.clear_family_messages`): an erasure never leaves words that may
describe the erased child. A message filed under the erased child is filed under the sibling instead.

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, FamilyMessageChild, Incident, IncidentStep, Person, SchoolClass

SHOWN = 3  # family messages shown on a child's card, newest first


def link(uow: UnitOfWork, message_id: int, child_ids: Iterable[int]) -> None:
    """Record that message ``message_id`` is about each of ``child_ids`` (already linked ones are skipped)."""
    s = uow.session
    wanted = list(dict.fromkeys(int(i) for i in child_ids))
    known = set(s.scalars(select(FamilyMessageChild.child_id).where(FamilyMessageChild.message_id == message_id)))
    for child_id in wanted:
        if child_id not in known:
            s.add(FamilyMessageChild(message_id=message_id, child_id=child_id))
    if set(wanted) - known:
        s.flush()


def child_ids(uow: UnitOfWork, message_id: int) -> list[int]:
    """The children a message is about: the one it is filed under first, then the others by class and name."""
    row = uow.session.get(FamilyMessage, message_id)
    filed = row.child_id if row is not None else None
    linked = uow.session.execute(
        select(Child.id).join(FamilyMessageChild, FamilyMessageChild.child_id == Child.id)
        .where(FamilyMessageChild.message_id == message_id).order_by(Child.class_id, Child.name, Child.id)).all()
    ids = [int(i) for (i,) in linked]
    return [filed, *(i for i in ids if i != filed)] if filed is not None else ids


def names(uow: UnitOfWork, message_id: int) -> list[str]:
    """The names of the children a message is about (:func:`child_ids`' order)."""
    found = {c.id: c.name for c in uow.session.scalars(
        select(Child).where(Child.id.in_(child_ids(uow, message_id))))}
    return [found[i] for i in child_ids(uow, message_id) if i in found]


def reads_a_child_of(uow: UnitOfWork, message_id: int, person_id: int) -> bool:
    """Whether ``person_id`` is who reads a family's message about one of the message's children now.

    The second child's class teacher (or the teacher who took over the class since) may answer it too.
    """
    from bot.services import family_messages  # the reader rule lives there (it imports this module)

    for child_id in child_ids(uow, message_id):
        child = uow.session.get(Child, child_id)
        reader = family_messages.reader_of(uow, child) if child is not None else None
        if reader is not None and reader[0] == person_id:
            return True
    return False


def messages_about(uow: UnitOfWork, child_id: int, *, kinds: tuple[str, ...] = ("message",),
                   limit: int | None = None) -> list[FamilyMessage]:
    """The family messages about ``child_id`` (whichever child they are filed under), newest first.

    A copy of the same words to a second reader (``copy_of_id``) is not listed again.
    """
    query = (select(FamilyMessage).join(FamilyMessageChild, FamilyMessageChild.message_id == FamilyMessage.id)
             .where(FamilyMessageChild.child_id == child_id, FamilyMessage.kind.in_(kinds),
                    FamilyMessage.copy_of_id.is_(None), FamilyMessage.answer_to_id.is_(None))
             .order_by(FamilyMessage.created_at.desc(), FamilyMessage.id.desc()))
    return list(uow.session.scalars(query.limit(limit) if limit is not None else query))


def waiting_about(uow: UnitOfWork, *, teacher_id: int) -> list[int]:
    """Messages about a child ``teacher_id`` reads now that went to another reader, still unanswered.

    The teacher of the second child named in ``两个孩子都感冒了`` (or the one who took the class over) finds it
    on ``/due`` and may answer it (:func:`bot.services.family_messages.reply_target`).
    """
    from bot.services import family_copies, family_messages

    s = uow.session
    classes = select(SchoolClass.id).where(SchoolClass.class_teacher_id == teacher_id)
    rows = s.execute(
        select(FamilyMessage.id, FamilyMessageChild.child_id)
        .join(FamilyMessageChild, FamilyMessageChild.message_id == FamilyMessage.id)
        .join(Child, Child.id == FamilyMessageChild.child_id)
        .where(Child.class_id.in_(classes), FamilyMessage.kind == "message", FamilyMessage.copy_of_id.is_(None),
               FamilyMessage.to_person_id.is_not(None), FamilyMessage.to_person_id != teacher_id)
        .order_by(FamilyMessage.id)).all()
    # The teacher's own copy of the same words (an incident reply, conv6s) is listed already: once per message.
    copied = set(s.scalars(select(FamilyMessage.copy_of_id).where(FamilyMessage.to_person_id == teacher_id,
                                                                  FamilyMessage.copy_of_id.is_not(None))))
    found: list[int] = []
    for message_id, child_id in rows:
        if message_id in copied:
            continue
        child = s.get(Child, child_id)
        reader = family_messages.reader_of(uow, child) if child is not None else None
        if (reader is not None and reader[0] == teacher_id and message_id not in found
                and family_copies.answer_of(uow, int(message_id)) is None):
            found.append(int(message_id))
    return found


@dataclass(frozen=True)
class Said:
    """One family message as a child's card lists it."""

    message_id: int
    when: datetime
    writer: str
    words: str | None  # None: a voice message or photo
    children: tuple[str, ...]
    answered_by: str | None
    may_answer: bool = False  # the card's reader may answer it (from /due)


def reached(uow: UnitOfWork, row: FamilyMessage, person_id: int) -> bool:
    """Whether words sent in answer to an incident (``row.incident_id``) are ``person_id``'s to read.

    They belong to the incident (DESIGN.md "Privacy"): its reporter, the people its alert was sent to, and
    the readers the words were passed to (the class teacher's copy) read them; a helper teacher does not.
    """
    if row.incident_id is None:
        return True
    s = uow.session
    incident = s.get(Incident, row.incident_id)
    if incident is not None and incident.reporter_id == person_id:
        return True
    if s.scalar(select(IncidentStep.id).where(IncidentStep.incident_id == row.incident_id,
                                              IncidentStep.person_id == person_id,
                                              IncidentStep.sent_at.is_not(None)).limit(1)) is not None:
        return True
    return s.scalar(select(FamilyMessage.id).where(
        FamilyMessage.to_person_id == person_id,
        (FamilyMessage.id == row.id) | (FamilyMessage.copy_of_id == row.id)).limit(1)) is not None


def card_lines(uow: UnitOfWork, child_id: int, *, reader_id: int, limit: int = SHOWN) -> list[Said]:
    """The latest family messages about ``child_id`` for its card, with who answered each (None: nobody yet).

    ``reader_id``: who reads the card; words answering an incident that did not reach them are left out.
    """
    from bot.services import family_copies, family_messages

    said: list[Said] = []
    rows = [r for r in messages_about(uow, child_id) if reached(uow, r, reader_id)][:limit]
    for row in rows:
        writer = uow.session.get(Person, row.from_person_id) if row.from_person_id is not None else None
        answer = family_copies.answer_of(uow, row.id)
        teacher = uow.session.get(Person, answer.from_person_id) \
            if answer is not None and answer.from_person_id is not None else None
        said.append(Said(row.id, row.created_at, writer.name if writer else "", row.body,
                         tuple(names(uow, row.id)), (teacher.name if teacher else "") if answer else None,
                         family_messages.reply_target(uow, teacher_id=reader_id, message_id=row.id) is not None))
    return said
