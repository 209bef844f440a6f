"""Nothing said is dropped (DESIGN.md "Conversations", issue 6 item 4).

A guardian's or parent's message that answers no question —
``孩子发烧两天了，我腿脚不好带不去医院`` — is kept and passed to the child's
class teacher (else the helper teacher, else the school's admins) through the
outbox, with a Reply button (``fam:<id>``; a numbered choice on WeChat). The
teacher's answer reaches the family member on their own channel. A note after
a check-in answer waits for the child's helper teacher's daily digest
(:mod:`bot.services.family_digest`). Every child a message is about is linked to it
(:mod:`bot.services.family_about`).

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain import child_mentions
from bot.domain.emergency_words import emergency_kind
from bot.domain.enums import Priority, RelationKind, Role
from bot.domain.periods import defer_for_quiet_hours
from bot.messages import payloads
from bot.messages.labels import RELATION_LABELS, ROLE_LABELS, kinship_param
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, msg, phone, text
from bot.services import family_about, family_copies, family_seen, identity, incident_privacy
from bot.services.incident_messages import role_param
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    FamilyMessage,
    OutboxMessage,
    Person,
    PersonRole,
    School,
    SchoolClass,
)

log = logging.getLogger(__name__)

MAX_BODY = 10_000  # characters kept of one message: a cap against abuse only (the channels split long texts)
CUT_NOTICE = N_("Your message was very long: only its first {limit} characters were kept, up to “{end}”. "
                "Please send the rest in another message.")


def kept(body: str | None) -> str | None:
    """The words kept of a message (stripped, at most :data:`MAX_BODY` characters), None when there are none."""
    return (body or "").strip()[:MAX_BODY] or None


def cut_line(body: str | None) -> tuple[tuple[str, dict[str, Any]], ...]:
    """For the writer: exactly what was kept when ``body`` is over :data:`MAX_BODY` (nothing is cut silently)."""
    words = (body or "").strip()
    if len(words) <= MAX_BODY:
        return ()
    return ((CUT_NOTICE, {"limit": MAX_BODY, "end": text(words[MAX_BODY - 20:MAX_BODY])}),)
ANSWER_LABELS = {"good": N_("all good"), "so_so": N_("so-so"), "needs_help": N_("needs help")}
AFTER_CHECKIN = N_("Written after the weekly check-in answer “{answer}”.")
FAMILY_KINDS = (RelationKind.ENTRUSTED_GUARDIAN.value, RelationKind.FATHER.value, RelationKind.MOTHER.value)


@dataclass(frozen=True)
class FamilyChild:
    """A child a family member may write about: id, name, class, and what the writer is to the child."""

    id: int
    name: str
    class_name: str | None
    relation: str  # RelationKind value
    relation_label: str | None  # 外祖母, as the roster says it


@dataclass(frozen=True)
class Passed:
    """Where a family message went: the reader's name and role (``class_teacher`` …), the child's name."""

    message_id: int
    reader: str
    reader_role: str
    child: str
    reader_id: int = 0


def family_children(uow: UnitOfWork, person_id: int,
                    kinds: Collection[str] = FAMILY_KINDS) -> list[FamilyChild]:
    """The active children this person is the entrusted guardian, father or mother of (by class, name).

    ``kinds``: other relations instead (a caring parent's paired children: ``("caring_parent",)``).
    """
    rows = uow.session.execute(
        select(Child.id, Child.name, SchoolClass.name, ChildRelation.kind, ChildRelation.relationship_label)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(ChildRelation.person_id == person_id, ChildRelation.kind.in_(list(kinds)), Child.active.is_(True))
        .order_by(Child.class_id, Child.name, Child.id)
    ).all()
    seen: dict[int, FamilyChild] = {}
    for child_id, name, class_name, kind, label in rows:
        seen.setdefault(child_id, FamilyChild(child_id, name, class_name, kind, label))
    return list(seen.values())


def _reader(uow: UnitOfWork, child: Child, *, helper_first: bool = False) -> tuple[int, str] | None:
    """Who reads a family's message about ``child``: the class teacher, else the helper teacher, else an admin.

    ``helper_first``: the helper teacher before the class teacher (check-in notes: the helper follows them up).
    """
    s = uow.session
    teacher = s.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id)) \
        if child.class_id is not None else None
    helper = s.scalar(select(ChildRelation.person_id).where(
        ChildRelation.child_id == child.id, ChildRelation.kind == RelationKind.HELPER_TEACHER.value,
        ChildRelation.person_id.is_not(None)).order_by(ChildRelation.id).limit(1))
    ordered = [(helper, "helper_teacher"), (teacher, "class_teacher")]
    for person_id, role in ordered if helper_first else reversed(ordered):
        if person_id is not None:
            return person_id, role
    admins = identity.school_admin_ids(uow, child.school_id)
    return (admins[0], "admin") if admins else None


def reader_of(uow: UnitOfWork, child: Child, *, helper_first: bool = False) -> tuple[int, str] | None:
    """``(person id, role)`` of who reads a family's message about ``child`` (the class teacher first).

    ``helper_first``: the helper teacher first (the check-in notes of :mod:`bot.services.family_digest`).
    """
    return _reader(uow, child, helper_first=helper_first)


def _writer(uow: UnitOfWork, person_id: int, child_id: int) -> dict[str, Any]:
    """What the writer is to the child, as a prompt parameter (外祖母, or the relation's label)."""
    row = uow.session.execute(
        select(ChildRelation.kind, ChildRelation.relationship_label)
        .where(ChildRelation.child_id == child_id, ChildRelation.person_id == person_id,
               ChildRelation.kind.in_((*FAMILY_KINDS, RelationKind.CARING_PARENT.value)))
        .order_by(ChildRelation.id).limit(1)
    ).first()
    if row is None:
        return msg(N_("no relative"))  # words about another family's child (other_child_words)
    if row[1]:
        return kinship_param(row[1])  # 外祖母 → "grandmother (maternal)" for an English reader
    return msg(RELATION_LABELS.get(row[0], N_("family")))


def message_prompt(uow: UnitOfWork, row: FamilyMessage, child: Child, writer: Person) -> Prompt:
    """To the reader: the family member's words (or voice note), with the Reply button."""
    klass = uow.session.get(SchoolClass, child.class_id) if child.class_id else None
    params = {"name": text(writer.name), "relation": _writer(uow, writer.id, child.id), "child": text(child.name),
              "class_name": text(klass.name) if klass else msg(N_("no class"))}
    if row.body:
        message_id = N_("{name} ({relation} of {child}, {class_name}) writes:")
        lines: tuple[tuple[str, dict[str, Any]], ...] = ((N_("“{words}”"), {"words": text(row.body)}),)
    else:
        message_id = N_("{name} ({relation} of {child}, {class_name}) sent this voice message or photo.")
        lines = ()
    answered = uow.session.scalar(select(Checkin.answer).where(Checkin.id == row.checkin_id)) \
        if row.checkin_id is not None else None
    if answered:  # written at the check-in's note question: the teacher sees what it follows
        lines = (*lines, (AFTER_CHECKIN, {"answer": msg(ANSWER_LABELS.get(answered, N_("check-in")))}))
    if writer.phone:
        lines = (*lines, (N_("Phone: {phone}"), {"phone": phone(writer.phone)}))
    return Prompt(message_id, params, lines=lines,
                  choices=(Choice(N_("Reply"), payloads.family_reply(row.id)),), kind=PromptKind.NOTICE)


def pass_on(uow: UnitOfWork, *, from_person_id: int, child_id: int, body: str | None, now: datetime,
            media: tuple[tuple[str, str], ...] = (), channel: str | None = None,
            checkin_id: int | None = None, also: tuple[tuple[str, dict[str, Any]], ...] = (),
            priority: Priority = Priority.BULK, together: tuple[int, ...] = ()) -> Passed | None:
    """Keep a family member's message about ``child_id`` and send it to its reader (BULK: quiet hours wait).

    ``together``: the writer's other children the words are about too (``两个孩子都想妈妈了`` at a check-in's
    note question): linked to the message, and the reader's copy names them all.

    ``media``: a voice note or photos as ``(kind, media store ref)`` pairs, sent on to the reader as they are.
    ``checkin_id``: the check-in of ``child_id`` whose note question the words answered (shown to the reader).
    ``also``: further lines for the reader (a help request they hold too), with ``priority`` (URGENT for one).

    Returns:
        Where it went, or None when ``child_id`` is not theirs or nobody at the school could read it.
    """
    s = uow.session
    own = {c.id for c in family_children(uow, from_person_id)
           or family_children(uow, from_person_id, kinds=(RelationKind.CARING_PARENT.value,))}  # a volunteer's
    if child_id not in own:
        return None
    child = s.get(Child, child_id)
    writer = s.get(Person, from_person_id)
    reader = _reader(uow, child) if child is not None else None
    if child is None or writer is None or reader is None:
        return None
    if body and emergency_kind(body, tuple(child_mentions.forms(child.name))) is not None:
        priority = Priority.URGENT  # emergency words are never held by the quiet hours, whatever path they took
    row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader[0], child_id=child_id,
                        body=kept(body),
                        voice_media_id=next((ref for kind, ref in media if kind == "voice"), None),
                        channel=channel, created_at=now, checkin_id=checkin_id)
    s.add(row)
    s.flush()
    family_about.link(uow, row.id, [child_id, *(i for i in together if i in own)])  # never another's
    prompt = naming_all(uow, row, message_prompt(uow, row, child, writer))
    enqueue(s, key=f"family:{row.id}:to:{reader[0]}", person_id=reader[0],
            prompt=replace(prompt, lines=(*prompt.lines, *also), media=tuple(media)), priority=priority,
            now=now, child_id=child_id)
    name = s.get(Person, reader[0])
    log.info("family message %s from person %s passed to person %s", row.id, from_person_id, reader[0])
    return Passed(row.id, name.name if name else "", reader[1], child.name, reader[0])


def reply_target(uow: UnitOfWork, *, teacher_id: int, message_id: int) -> tuple[str, str] | None:
    """``(writer's name, child's name)`` of a family message ``teacher_id`` may answer, else None.

    Its reader may, a backup told of an URGENT one, and whoever reads a family's message about one of the
    children it is about now (the second child's class teacher: :func:`bot.services.family_about.link`).
    """
    s = uow.session
    row = s.get(FamilyMessage, message_id)
    if (row is None or row.kind != "message" or row.child_id is None or row.from_person_id is None
            or (row.to_person_id != teacher_id and not _backup_of(uow, row.id, teacher_id)
                and not family_about.reads_a_child_of(uow, row.id, teacher_id))):
        return None
    writer, child = s.get(Person, row.from_person_id), s.get(Child, row.child_id)
    return (writer.name, child.name) if writer and child else None


def _backup_of(uow: UnitOfWork, message_id: int, person_id: int) -> bool:
    """Whether an unanswered URGENT message reached ``person_id`` as a backup (``bot.services.urgent_escalation``)."""
    return uow.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.key == f"urgent:{message_id}:backup:{person_id}")) is not None


def reply_target_of(uow: UnitOfWork, message_id: int) -> tuple[str, str] | None:
    """``(writer's name, child's name)`` of a family message, whoever reads it (None when it is gone)."""
    row = uow.session.get(FamilyMessage, message_id)
    return reply_target(uow, teacher_id=row.to_person_id, message_id=message_id) \
        if row is not None and row.to_person_id is not None else None


def unanswered(uow: UnitOfWork, *, teacher_id: int, message_id: int) -> bool:
    """Whether ``teacher_id`` may answer this family message and nobody has answered it yet."""
    if reply_target(uow, teacher_id=teacher_id, message_id=message_id) is None:
        return False
    return family_copies.answer_of(uow, message_id) is None  # nor a copy to another reader (conv6s)


def waiting_for(uow: UnitOfWork, *, teacher_id: int) -> list[int]:
    """The ids of the family messages for ``teacher_id`` still unanswered, oldest first (for ``/due``).

    Those passed to them, and those about a child they read that went to another reader (conv6u).
    """
    answered = select(FamilyMessage.answer_to_id).where(FamilyMessage.kind == "answer",
                                                         FamilyMessage.answer_to_id.is_not(None))
    ids = uow.session.scalars(
        select(FamilyMessage.id).where(FamilyMessage.kind == "message", FamilyMessage.to_person_id == teacher_id,
                                       FamilyMessage.id.not_in(answered)).order_by(FamilyMessage.id))
    mine = [int(i) for i in ids if family_copies.answer_of(uow, i) is None]  # a copy answered by another reader
    return sorted({*mine, *family_about.waiting_about(uow, teacher_id=teacher_id)})  # a second child's too


def last_answered(uow: UnitOfWork, *, teacher_id: int, now: datetime, within: timedelta = timedelta(hours=24),
                  ) -> int | None:
    """The family message ``teacher_id`` answered last within ``within`` (a second ``回复 …`` goes there), else None."""
    answered = uow.session.scalar(select(FamilyMessage.answer_to_id).where(
        FamilyMessage.kind == "answer", FamilyMessage.from_person_id == teacher_id,
        FamilyMessage.answer_to_id.is_not(None), FamilyMessage.created_at > now - within,
    ).order_by(FamilyMessage.id.desc()).limit(1))
    if answered is None or reply_target(uow, teacher_id=teacher_id, message_id=int(answered)) is None:
        return None
    return int(answered)


def shown_again(uow: UnitOfWork, message_id: int) -> Prompt | None:
    """A family message as its reader first saw it, with its Reply button (None when it is gone)."""
    s = uow.session
    row = s.get(FamilyMessage, message_id)
    child = s.get(Child, row.child_id) if row is not None and row.child_id else None
    # No writer once the child is erased (bot.services.retention_links): nothing to show.
    writer = s.get(Person, row.from_person_id) if row is not None and row.from_person_id is not None else None
    if row is None or child is None or writer is None:
        return None
    return naming_all(uow, row, message_prompt(uow, row, child, writer))


def naming_all(uow: UnitOfWork, row: FamilyMessage, prompt: Prompt) -> Prompt:
    """``prompt`` naming every child ``row`` is about and their classes (``刘婷婷、刘帅的外祖母``)."""
    ids = family_about.child_ids(uow, row.id)
    kids = [k for k in (uow.session.get(Child, i) for i in ids) if k is not None]
    if len(kids) < 2:
        return prompt
    classes = [uow.session.get(SchoolClass, k.class_id) if k.class_id else None for k in kids]
    names = list(dict.fromkeys(k.name for k in classes if k is not None))
    params = {**prompt.params, "child": [text(k.name) for k in kids]}
    if names:
        params["class_name"] = [text(n) for n in names]
    return replace(prompt, params=params)


def _role_of(uow: UnitOfWork, person_id: int, child: Child) -> str:
    """What a member of staff who is not the child's reader is to the child (a backup of an URGENT message)."""
    if person_id in identity.school_admin_ids(uow, child.school_id):
        return "school_leader" if uow.session.scalar(select(PersonRole.id).where(
            PersonRole.person_id == person_id, PersonRole.role == Role.SCHOOL_LEADER.value).limit(1)) else "admin"
    if uow.session.scalar(select(ChildRelation.id).where(
            ChildRelation.child_id == child.id, ChildRelation.person_id == person_id,
            ChildRelation.kind == RelationKind.HELPER_TEACHER.value).limit(1)):
        return "helper_teacher"
    teacher = uow.session.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id))
    # A teacher of another class who reported an incident answers as "teacher", never as the child's class teacher.
    return "class_teacher" if teacher in (None, person_id) else "teacher"


def writer_shown(uow: UnitOfWork, *, teacher_id: int, message_id: int) -> dict[str, Any] | None:
    """The writer of a family message as ``teacher_id`` may see them: their name, or their relation only.

    A message written to this teacher names its writer (a duty teacher who reported an incident reads the
    guardian's reply with his name and phone, so she can call back: fix6h); a copy of another's message
    that reached them by relation only (:func:`bot.services.incident_privacy.knows_family`) keeps the
    relation: "委托监护人", not "张强".
    """
    row = uow.session.get(FamilyMessage, message_id)
    target = reply_target(uow, teacher_id=teacher_id, message_id=message_id)
    if row is None or target is None or row.child_id is None or row.from_person_id is None:
        return None
    role = incident_privacy.family_role(uow, row.child_id, row.from_person_id)
    knows = not role or row.to_person_id == teacher_id or incident_privacy.knows_family(uow, teacher_id,
                                                                                         row.child_id)
    if incident_privacy.named(role, knows):
        return text(target[0])
    return msg(N_("the child's {role}"), role=role_param(role))


@dataclass(frozen=True)
class Answered:
    """The teacher's answer, kept: to whom, and until when the quiet hours hold it (None: it goes now)."""

    writer: str
    held_until: datetime | None = None


def was_urgent(uow: UnitOfWork, row: FamilyMessage) -> bool:
    """Whether a family message was passed on URGENT (``bot.services.urgent_messages``: its outbox row says so)."""
    # The exact key (unique index), never a LIKE over a city's outbox.
    return uow.session.scalar(select(OutboxMessage.priority).where(
        OutboxMessage.key == f"family:{row.id}:to:{row.to_person_id}")) == Priority.URGENT.value


def answer(uow: UnitOfWork, *, teacher_id: int, message_id: int, body: str, now: datetime,
           quiet_hours: tuple[time, time] | None = None) -> Answered | None:
    """The teacher's answer to a family message, sent to its writer; None when it may not be answered.

    The answer to an URGENT message goes URGENT too (a grandfather who wrote
    ``救命`` at 23:10 must not wait for 07:00); any other answer is BULK and,
    in ``quiet_hours`` (school time), held until they end: ``held_until`` says when.
    """
    s = uow.session
    if reply_target(uow, teacher_id=teacher_id, message_id=message_id) is None:
        return None
    original = s.get(FamilyMessage, message_id)
    teacher = s.get(Person, teacher_id)
    writer = s.get(Person, original.from_person_id) if original and original.from_person_id is not None else None
    child = s.get(Child, original.child_id) if original and original.child_id else None
    if original is None or teacher is None or writer is None or child is None:
        return None
    row = FamilyMessage(kind="answer", from_person_id=teacher_id, to_person_id=writer.id, child_id=child.id,
                        answer_to_id=original.id, body=kept(body), created_at=now)
    s.add(row)
    s.flush()
    family_about.link(uow, row.id, family_about.child_ids(uow, original.id))  # about the same children
    kids = [k for k in (s.get(Child, i) for i in family_about.child_ids(uow, original.id)) if k is not None]
    theirs = [(k, r[1]) for k in kids or [child] if (r := _reader(uow, k)) is not None and r[0] == teacher_id]
    # The teacher of the second child only (李四's new class teacher) answers as that child's teacher.
    role = theirs[0][1] if theirs else _role_of(uow, teacher_id, child)
    named = [k.name for k, _role in theirs] if theirs else [k.name for k in kids or [child]]
    prompt = Prompt(N_("{teacher} ({role} of {child}) answers your message:"),
                    {"teacher": text(teacher.name), "role": msg(ROLE_LABELS.get(role, N_("teacher"))),
                     "child": [text(n) for n in named]},
                    lines=((N_("“{words}”"), {"words": text(row.body or "")}),
                           (N_("To write back, just send your message here."), {})),
                    kind=PromptKind.NOTICE)
    urgent = was_urgent(uow, original)
    enqueue(s, key=f"family:{row.id}:to:{writer.id}", person_id=writer.id, prompt=prompt,
            priority=Priority.URGENT if urgent else Priority.BULK, now=now, child_id=child.id)
    family_seen.answered(uow, message_id=original.id, now=now)  # a copy held for 07:00 must not ask again
    log.info("family message %s answered by person %s", original.id, teacher_id)
    held = None
    if not urgent and quiet_hours is not None:
        school = s.get(School, child.school_id)
        start = defer_for_quiet_hours(now, school.timezone if school else "Asia/Shanghai", *quiet_hours)
        held = start if start > now else None
    return Answered(writer.name, held)
