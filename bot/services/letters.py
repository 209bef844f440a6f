"""Letters (亲情书信, issue 8 item 4): a child's letter photographed at school, delivered to the parents away.

A teacher who talks with the child (class teacher, helper, volunteer) sends
the photos in chat and names the child (:func:`send_letter`). Each parent
gets the photos with a line from the school and a "Reply to …" button, on
their own channel and in their language — one outbox row per parent under
``letter:<id>:<parent>``, which records the delivery. A parent's reply
(text, photos or a voice message, :func:`reply`) is kept and relayed to the
child's class teacher (and the teacher who sent the letter) to read to the
child. Photos live in the media store; logs carry ids only.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.domain.enums import Priority, RelationKind
from bot.messages import payloads
from bot.messages.labels import RELATION_LABELS
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, msg, text
from bot.services import access
from bot.services.access import Purpose
from bot.services.identity import Actor
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Letter, LetterReply, OutboxMessage, Person, School, SchoolClass

log = logging.getLogger(__name__)

MAX_PHOTOS = 9  # a letter is a page or two; WeChat and Telegram albums hold up to 9–10
REPLY_WINDOW = timedelta(days=30)  # a photo or voice from a parent this soon after a letter answers it
PARENT_KINDS = (RelationKind.FATHER.value, RelationKind.MOTHER.value)


def may_send(uow: UnitOfWork, actor: Actor, child_id: int) -> bool:
    """Whether this person may send the child's letter (a teacher or volunteer who talks with the child)."""
    return access.can_act_on_child(uow, actor, child_id, purpose=Purpose.TALK)


def parents(uow: UnitOfWork, child_id: int) -> list[tuple[int, str]]:
    """``(id, name)`` of the child's parents on record."""
    return [(int(i), str(n)) for i, n in uow.session.execute(
        select(Person.id, Person.name).join(ChildRelation, ChildRelation.person_id == Person.id)
        .where(ChildRelation.child_id == child_id, ChildRelation.kind.in_(PARENT_KINDS)).order_by(Person.id)
    ).all()]


def send_letter(uow: UnitOfWork, *, actor: Actor, child_id: int, photos: list[str], now: datetime,
                request_key: str) -> tuple[int, int] | None:
    """Deliver the letter's photos to the child's parents (idempotent by ``request_key``).

    Returns ``(letter id, parents)``, or None when the actor may not send for
    this child. The caller commits.
    """
    s = uow.session
    existing = s.scalar(select(Letter).where(Letter.request_key == request_key))
    if existing is not None:
        return existing.id, int(existing.recipients or 0)
    child = s.get(Child, child_id)
    if child is None or not photos or not may_send(uow, actor, child_id):
        return None
    to = parents(uow, child_id)
    letter = Letter(child_id=child_id, teacher_id=actor.person_id, photos=list(photos[:MAX_PHOTOS]), created_at=now,
                    request_key=request_key, recipients=len(to))
    s.add(letter)
    s.flush()
    school = s.get(School, child.school_id)
    prompt = Prompt(N_("{school}: a letter from {child} to you, written at school and sent by {teacher}."),
                    {"school": text(school.name if school else ""), "child": text(child.name),
                     "teacher": text(actor.name)},
                    choices=(Choice(N_("Reply to {child}"), payloads.letter_reply(letter.id),
                                    {"child": text(child.name)}),),
                    kind=PromptKind.NOTICE, media=tuple(("photo", ref) for ref in letter.photos))
    for parent_id, _name in to:
        enqueue(s, key=f"letter:{letter.id}:{parent_id}", person_id=parent_id, prompt=prompt,
                priority=Priority.BULK, now=now, child_id=child_id)
    log.info("letter %s of child %s sent by %s to %s parents (%s photos)", letter.id, child_id, actor.person_id,
             len(to), len(letter.photos))
    return letter.id, len(to)


def delivered(uow: UnitOfWork, letter_id: int) -> int:
    """How many parents the letter has reached (its outbox rows sent)."""
    return int(uow.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.key.like(f"letter:{letter_id}:%"), ~OutboxMessage.key.like(f"letter:{letter_id}:reply:%"),
        OutboxMessage.sent_at.is_not(None))) or 0)


def _relation(uow: UnitOfWork, child_id: int, person_id: int) -> str | None:
    return uow.session.scalar(select(ChildRelation.kind).where(
        ChildRelation.child_id == child_id, ChildRelation.person_id == person_id,
        ChildRelation.kind.in_(PARENT_KINDS)).limit(1))


def child_name(uow: UnitOfWork, letter_id: int) -> str:
    """The name of the letter's child ("" when unknown)."""
    letter = uow.session.get(Letter, letter_id)
    child = uow.session.get(Child, letter.child_id) if letter is not None else None
    return child.name if child is not None else ""


def may_reply(uow: UnitOfWork, *, letter_id: int, person_id: int) -> bool:
    """Whether this person is a parent of the letter's child."""
    letter = uow.session.get(Letter, letter_id)
    return letter is not None and _relation(uow, letter.child_id, person_id) is not None


def latest_letter(uow: UnitOfWork, *, person_id: int, now: datetime) -> int | None:
    """The latest letter to this parent within :data:`REPLY_WINDOW` (a photo or voice sent without the button)."""
    mine = select(ChildRelation.child_id).where(ChildRelation.person_id == person_id,
                                                ChildRelation.kind.in_(PARENT_KINDS))
    return uow.session.scalar(select(Letter.id).where(Letter.child_id.in_(mine),
                                                      Letter.created_at >= now - REPLY_WINDOW)
                              .order_by(Letter.created_at.desc(), Letter.id.desc()).limit(1))


def reply(uow: UnitOfWork, *, letter_id: int, parent_id: int, words: str | None, media: list[tuple[str, str]],
          now: datetime) -> int | None:
    """Keep a parent's reply and relay it to the class teacher and the letter's sender. The caller commits.

    Returns the number of teachers it goes to, or None when this person may not reply to this letter.
    """
    s = uow.session
    letter = s.get(Letter, letter_id)
    relation = _relation(uow, letter.child_id, parent_id) if letter is not None else None
    if letter is None or relation is None:
        return None
    row = LetterReply(letter_id=letter_id, parent_id=parent_id, text=words or None,
                      media=[[k, r] for k, r in media] or None, received_at=now)
    s.add(row)
    s.flush()
    child = s.get(Child, letter.child_id)
    parent = s.get(Person, parent_id)
    teacher = s.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id)) \
        if child is not None and child.class_id else None
    to = sorted({t for t in (teacher, letter.teacher_id) if t})
    params: dict[str, Any] = {"parent": text(parent.name if parent else ""),
                              "relation": msg(RELATION_LABELS.get(relation, N_("parent"))),
                              "child": text(child.name if child else "")}
    lines = ((N_("“{words}”"), {"words": text(words)}),) if words else ()
    prompt = Prompt(N_("{parent} ({relation}) replied to {child}'s letter. Please read it to {child}:"), params,
                    lines=lines, media=tuple(media), kind=PromptKind.NOTICE)
    for person_id in to:
        enqueue(s, key=f"letter:{letter_id}:reply:{row.id}:{person_id}", person_id=person_id, prompt=prompt,
                priority=Priority.BULK, now=now, child_id=letter.child_id)
    log.info("letter %s: reply %s from parent %s relayed to %s teachers", letter_id, row.id, parent_id, len(to))
    return len(to)
