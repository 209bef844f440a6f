"""An URGENT family message nobody answers escalates on a timed rule (issue 6).

A grandfather who types ``孩子不见了`` at 23:10 is told "the teacher will call
you"; the message rings the class teacher (:mod:`bot.services.urgent_messages`).
If she sleeps through it, somebody else must hear of it — well before the
incident chain's own first step would have given up on her (30 minutes,
:mod:`bot.services.incident_escalation`). So, counted from the message:

* :data:`REMIND_AFTER` (10 minutes): the reader (the class teacher) is reminded,
  URGENT, with the family's words, phone and the Reply button. Ten minutes is
  long enough to see the first ring and pick up the phone, short enough that a
  second ring still finds the night young.
* :data:`BACKUP_AFTER` (20 minutes): the child's helper teacher (帮扶教师) and the
  school's admins and leaders (the principal) are told, URGENT, with the
  family's phone and that the class teacher has not answered yet; an admin gets
  a phone task (one per message); the family is told who was told and will call.
  Twenty minutes leaves a backup ten minutes to phone inside the 30 minutes the
  incident chain gives its first step.

The chain stops as soon as a member of staff answers the message (Reply,
``family_messages.answer``; a backup may answer it too) or the reader
acknowledges it (:func:`acknowledge`). The state lives in the message's row
(``urgent_step``, ``urgent_next_at``): it survives a restart, and the escalator
wakes for the earliest ``urgent_next_at`` (:mod:`bot.services.incident_due`)
as for an incident step. Every message it sends has an outbox key
(``urgent:<id>:…``) and the task a task key, so running a step twice sends
nothing twice. Time comes only from ``now`` (the injected clock).

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select

from bot.domain.enums import Priority, RelationKind, Role, TaskKind
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg, phone, text
from bot.services import family_about, family_messages, identity, tasks
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, FamilyMessage, Person, PersonRole

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(minutes=10)
"""After the URGENT message, its reader (the class teacher) is reminded (see the module doc for why)."""

BACKUP_AFTER = timedelta(minutes=20)
"""After the URGENT message, the helper teacher and the school's admins are told (well within the 30 minutes)."""

SENT, REMINDED, BACKED_UP = 0, 1, 2
"""``FamilyMessage.urgent_step``: what the chain has done so far."""

REMINDER = N_("REMINDER — URGENT, not answered yet ({when}): {name} ({relation} of {child}) wrote:")
REMINDER_SENT = N_("REMINDER — URGENT, not answered yet ({when}): {name} ({relation} of {child}) sent this voice "
                   "message or photo.")
NOT_ANSWERED = N_("URGENT ({when}) — {name} ({relation} of {child}, {class_name}) wrote to {reader} "
                  "({role}), who has not answered for {minutes} minutes:")
NOT_ANSWERED_SENT = N_("URGENT ({when}) — {name} ({relation} of {child}, {class_name}) sent a voice message or "
                       "photo to {reader} ({role}), who has not answered for {minutes} minutes.")
PLEASE_CALL = N_("Please phone the family now; answer with Reply so everyone knows it is taken care of.")
FAMILY_TOLD = N_("{reader} has not answered yet, so the school also told these people about {child}; "
                 "one of them will phone you:")
BACKUP_LINE = N_("• {name} ({role}): {phone}")
BACKUP_LINE_NO_PHONE = N_("• {name} ({role})")


def start(row: FamilyMessage, now: datetime) -> None:
    """Start the chain of an URGENT message just passed on (its first step is due after :data:`REMIND_AFTER`)."""
    row.urgent_step = SENT
    row.urgent_next_at = now + REMIND_AFTER


def next_due_at(uow: UnitOfWork) -> datetime | None:
    """The earliest ``urgent_next_at`` of a message still waiting; None when nothing is planned."""
    value = uow.session.scalar(select(func.min(FamilyMessage.urgent_next_at))
                               .where(FamilyMessage.urgent_next_at.is_not(None)))
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


ACKNOWLEDGED = N_("{teacher} ({role} of {child}) has seen your urgent message and will phone you or answer here.")


def acknowledge_by(uow: UnitOfWork, *, person_id: int, message_id: int, now: datetime) -> str | None:
    """``收到`` from the reader (or a backup) at an URGENT message still unanswered: the chain stops.

    The family is told who has seen it (URGENT, once: ``urgent:<id>:ack``). Returns the writer's name,
    or None when it is no URGENT message this person may answer, or it is answered already.
    """
    s = uow.session
    row = s.get(FamilyMessage, message_id)
    if row is not None and row.kind == "message" and row.answer_to_id is not None:
        message_id = row.answer_to_id  # 收到 at a follow-up: the first message's chain stops
        row = s.get(FamilyMessage, message_id)
    if (row is None or family_messages.reply_target(uow, teacher_id=person_id, message_id=message_id) is None
            or not family_messages.was_urgent(uow, row) or answered(uow, message_id)):
        return None
    child = s.get(Child, row.child_id) if row.child_id is not None else None
    writer = s.get(Person, row.from_person_id) if row.from_person_id is not None else None
    teacher = s.get(Person, person_id)
    if child is None or writer is None or teacher is None:
        return None
    acknowledge(uow, message_id=message_id, now=now)
    reader = family_messages.reader_of(uow, child)
    role = reader[1] if reader is not None and reader[0] == person_id else \
        next((r for p, r in backups(uow, child, row.to_person_id or 0, row.id) if p == person_id), "class_teacher")
    if role == "admin":
        role = _admin_role(uow, person_id)
    enqueue(s, key=f"urgent:{row.id}:ack", person_id=writer.id, priority=Priority.URGENT, now=now,
            child_id=child.id,
            prompt=Prompt(ACKNOWLEDGED, {"teacher": text(teacher.name), "child": text(child.name),
                                         "role": msg(ROLE_LABELS.get(role, N_("teacher")))}, kind=PromptKind.NOTICE))
    return writer.name


def acknowledge(uow: UnitOfWork, *, message_id: int, now: datetime) -> bool:
    """The reader (or a backup) took the message on: the chain stops. Returns whether it was still running."""
    row = uow.session.get(FamilyMessage, message_id)
    if row is None or row.urgent_next_at is None:
        return False
    row.urgent_next_at = None
    uow.session.flush()
    log.info("urgent family message %s acknowledged at %s", message_id, now.isoformat())
    return True


def answered(uow: UnitOfWork, message_id: int) -> bool:
    """Whether a member of staff answered the message or one of its follow-ups (``family_messages.answer``)."""
    more = select(FamilyMessage.id).where(FamilyMessage.kind == "message", FamilyMessage.answer_to_id == message_id)
    return uow.session.scalar(select(FamilyMessage.id).where(
        or_(FamilyMessage.answer_to_id == message_id, FamilyMessage.answer_to_id.in_(more)),
        FamilyMessage.kind == "answer").limit(1)) is not None


FOLLOWED = N_("Then ({when}): “{words}”")
FOLLOWED_SENT = N_("Then ({when}): a voice message or photo.")


def follow_ups(uow: UnitOfWork, message_id: int) -> list[FamilyMessage]:
    """The writer's further words while the URGENT message was open (``urgent_messages.follow_up``), oldest first."""
    return list(uow.session.scalars(select(FamilyMessage).where(
        FamilyMessage.kind == "message", FamilyMessage.answer_to_id == message_id).order_by(FamilyMessage.id)))


# Another family member's words following the first writer's message (fixg): the backup must not read the
# mother's question as the grandfather's.
FOLLOWED_BY = N_("Then ({when}), {writer}: “{words}”")
FOLLOWED_SENT_BY = N_("Then ({when}), {writer}: a voice message or photo.")


def _followed(uow: UnitOfWork, row: FamilyMessage, f: FamilyMessage) -> tuple[str, dict[str, object]]:
    """One follow-up's line under ``row``'s words, naming its writer when someone else wrote it."""
    said: dict[str, object] = {"when": dt(f.created_at)}
    if f.body:
        said["words"] = text(f.body)
    writer = uow.session.get(Person, f.from_person_id) if f.from_person_id != row.from_person_id else None
    if writer is None:
        return (FOLLOWED if f.body else FOLLOWED_SENT), said
    return (FOLLOWED_BY if f.body else FOLLOWED_SENT_BY), {**said, "writer": text(writer.name)}


def _quoting_all(uow: UnitOfWork, row: FamilyMessage, base: Prompt) -> Prompt:
    """``base`` with every follow-up's words under the first ones, newest last (before the phone)."""
    more = [_followed(uow, row, f) for f in follow_ups(uow, row.id)]
    cut = 1 if row.body else 0
    return replace(base, lines=(*base.lines[:cut], *more, *base.lines[cut:])) if more else base


def run_due(uow: UnitOfWork, *, now: datetime) -> int:
    """Take every step due at ``now``; returns how many messages were acted on."""
    s = uow.session
    rows = s.scalars(select(FamilyMessage).where(FamilyMessage.urgent_next_at.is_not(None),
                                                 FamilyMessage.urgent_next_at <= now)
                     .order_by(FamilyMessage.urgent_next_at, FamilyMessage.id)
                     .with_for_update(skip_locked=True)).all()
    acted = 0
    for row in rows:
        acted += _step(uow, row, now)
    if rows:
        s.flush()
    return acted


def _step(uow: UnitOfWork, row: FamilyMessage, now: datetime) -> int:
    """One message's due step (the reminder, or the backups); 0 when the chain simply ends."""
    s = uow.session
    child = s.get(Child, row.child_id) if row.child_id is not None else None
    writer = s.get(Person, row.from_person_id) if row.from_person_id is not None else None
    reader = s.get(Person, row.to_person_id) if row.to_person_id is not None else None
    if answered(uow, row.id) or child is None or writer is None or reader is None:
        row.urgent_next_at = None  # answered, or the child's record erased: nothing more to do
        return 0
    base = _quoting_all(uow, row, family_messages.naming_all(uow, row, family_messages.message_prompt(
        uow, row, child, writer)))  # names both children of a message about both
    if (row.urgent_step or SENT) < REMINDED:
        enqueue(s, key=f"urgent:{row.id}:remind", person_id=reader.id, priority=Priority.URGENT, now=now,
                child_id=child.id,
                prompt=replace(base, message_id=REMINDER if row.body else REMINDER_SENT,
                               params={**base.params, "when": dt(row.created_at)},
                               lines=(*base.lines, (PLEASE_CALL, {}))))
        row.urgent_step = REMINDED
        row.urgent_next_at = row.created_at + BACKUP_AFTER
        log.info("urgent family message %s: reader %s reminded", row.id, reader.id)
        return 1
    _backups_told(uow, row, child, writer, reader, base, now)
    row.urgent_step = BACKED_UP
    row.urgent_next_at = None
    return 1


def backups(uow: UnitOfWork, child: Child, reader_id: int, message_id: int | None = None) -> list[tuple[int, str]]:
    """``(person id, role)`` of whom to tell: the child's helper teachers, then the school's admins (not the reader).

    ``message_id``: the helper teachers of every child the message is about (both of ``两个孩子都不见了``).
    """
    s = uow.session
    found: dict[int, str] = {}
    about = [child.id, *(family_about.child_ids(uow, message_id) if message_id is not None else [])]
    for person_id in s.scalars(select(ChildRelation.person_id).where(
            ChildRelation.child_id.in_(about), ChildRelation.kind == RelationKind.HELPER_TEACHER.value,
            ChildRelation.person_id.is_not(None)).order_by(ChildRelation.id)):
        if person_id is not None:
            found.setdefault(person_id, "helper_teacher")
    for person_id in identity.school_admin_ids(uow, child.school_id):
        found.setdefault(person_id, "admin")
    found.pop(reader_id, None)
    return list(found.items())


def _admin_role(uow: UnitOfWork, person_id: int) -> str:
    """``school_leader`` (the principal) when the person is one, else ``admin``."""
    leader = uow.session.scalar(select(PersonRole.id).where(PersonRole.person_id == person_id,
                                                            PersonRole.role == Role.SCHOOL_LEADER.value).limit(1))
    return "school_leader" if leader is not None else "admin"


def _backups_told(uow: UnitOfWork, row: FamilyMessage, child: Child, writer: Person, reader: Person,
                  base: Prompt, now: datetime) -> None:
    """The helper teacher and the admins hear of it, an admin gets a phone task, the family hears who will call."""
    s = uow.session
    reader_role = family_messages.reader_of(uow, child)
    role = reader_role[1] if reader_role is not None and reader_role[0] == reader.id else "class_teacher"
    minutes = int((now - row.created_at).total_seconds() // 60)
    told = backups(uow, child, reader.id, row.id)
    for person_id, _role in told:
        enqueue(s, key=f"urgent:{row.id}:backup:{person_id}", person_id=person_id, priority=Priority.URGENT,
                now=now, child_id=child.id,
                prompt=replace(base, message_id=NOT_ANSWERED if row.body else NOT_ANSWERED_SENT,
                               params={**base.params, "when": dt(row.created_at), "reader": text(reader.name),
                                       "role": msg(ROLE_LABELS.get(role, N_("teacher"))), "minutes": minutes},
                               lines=(*base.lines, (PLEASE_CALL, {}))))
    admins = [person_id for person_id, r in told if r == "admin"]
    if admins:
        tasks.create(uow, key=f"urgent:{row.id}:task", kind=TaskKind.URGENT_UNANSWERED, assignee_id=admins[0],
                     now=now, child_id=child.id, about_person_id=writer.id,
                     detail=f"urgent family message {row.id}")
    if not told:
        log.warning("urgent family message %s: nobody else at the school to tell", row.id)
        return
    lines = []
    for person_id, r in told:
        person = s.get(Person, person_id)
        if person is None:
            continue
        label = msg(ROLE_LABELS.get(_admin_role(uow, person_id) if r == "admin" else r, N_("teacher")))
        lines.append((BACKUP_LINE, {"name": text(person.name), "role": label, "phone": phone(person.phone)})
                     if person.phone else (BACKUP_LINE_NO_PHONE, {"name": text(person.name), "role": label}))
    enqueue(s, key=f"urgent:{row.id}:family", person_id=writer.id, priority=Priority.URGENT, now=now,
            child_id=child.id,
            prompt=Prompt(FAMILY_TOLD, {"reader": text(reader.name), "child": text(child.name)},
                          lines=tuple(lines), kind=PromptKind.NOTICE))
    log.info("urgent family message %s: %d backups told", row.id, len(told))
