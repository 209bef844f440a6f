"""One family message read by several people is answered once (issue 6, conv6s).

A grandfather's words about an open incident go to its reporter and to the
child's class teacher (:func:`bot.services.incident_replies.relay_to_handlers`),
each as an answerable copy of its own: one ``FamilyMessage`` row per reader,
with the same writer, child, words and moment. The answer of either reader
answers both: the other's ``/due`` no longer lists it, nor is it asked again;
the other's Reply shows who answered and what (an answer of their own may
still follow: :func:`bot.flows.relay.on_reply_button`).

Each copy names the first row in ``copy_of_id`` (conv6u): the copies of one
message are found by that key, never by decrypting and comparing bodies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from bot.services.ports import UnitOfWork
from bot.store.models import FamilyMessage, Person


def copies(uow: UnitOfWork, message_id: int) -> list[int]:
    """The ids of a family message and of its copies to other readers (``copy_of_id``: the same words)."""
    row = uow.session.get(FamilyMessage, message_id)
    if row is None or row.kind != "message":
        return [message_id]
    first = row.copy_of_id or row.id
    same = uow.session.scalars(select(FamilyMessage.id).where(
        or_(FamilyMessage.id == first, FamilyMessage.copy_of_id == first)))
    return sorted({message_id, *(int(i) for i in same)})


def answer_of(uow: UnitOfWork, message_id: int) -> FamilyMessage | None:
    """The first answer to a family message or to one of its copies, else None (nobody answered it yet)."""
    return uow.session.scalar(select(FamilyMessage).where(
        FamilyMessage.kind == "answer", FamilyMessage.answer_to_id.in_(copies(uow, message_id)))
        .order_by(FamilyMessage.id).limit(1))


def answered_by_other(uow: UnitOfWork, message_id: int, person_id: int) -> tuple[str, datetime, str] | None:
    """``(name, when, words)`` of the first answer another reader gave to this message or a copy, else None."""
    earlier = answer_of(uow, message_id)
    if earlier is None or earlier.from_person_id is None or earlier.from_person_id == person_id:
        return None
    reader = uow.session.get(Person, earlier.from_person_id)
    return (reader.name if reader is not None else ""), earlier.created_at, earlier.body or ""


def answered_elsewhere_lately(uow: UnitOfWork, person_id: int, now: datetime,
                              within: timedelta = timedelta(hours=24)) -> int | None:
    """The latest family message to ``person_id`` (within ``within``) another reader answered, else None.

    The principal who types ``回复`` after the class teacher answered the same words: their copy no longer
    waits, so it is this one they mean (:func:`bot.flows.relay_unanswered.unanswered`).
    """
    rows = uow.session.scalars(select(FamilyMessage.id).where(
        FamilyMessage.kind == "message", FamilyMessage.to_person_id == person_id,
        FamilyMessage.created_at > now - within).order_by(FamilyMessage.id.desc()).limit(5))
    return next((int(i) for i in rows if answered_by_other(uow, int(i), person_id) is not None), None)
