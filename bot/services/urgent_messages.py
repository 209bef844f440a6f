"""A family member's emergency message reaches the class teacher at once, at any hour (issue 6).

A grandfather who writes ``孩子发高烧抽筋了`` at 23:10 must not wait for the
quiet hours to end: his words are kept as a family message (the teacher
answers them with the usual Reply, and ``/due`` lists them until answered) and
sent to the child's class teacher (else the helper teacher, else an admin) as
``Priority.URGENT``, marked urgent, naming the child and what the writer is to
the child, with the writer's phone and how to report an incident. No incident
is created: a teacher decides that (``/incident``, ``报告``).

Repeats (``救命`` typed thirty times) do not ring the teacher thirty times: within
:data:`REPEAT_WINDOW` of an URGENT message from the same writer about the same
child, the words are kept and passed on as an ordinary family message (quiet
hours hold them), and the writer is told the teacher already has the first.

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.domain.emergency_words import EmergencyKind
from bot.domain.enums import Priority
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import family_messages
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, OutboxMessage, Person

log = logging.getLogger(__name__)

REPEAT_WINDOW = timedelta(minutes=15)
"""After an URGENT message, the same writer's emergency words about the same child go as ordinary messages."""

URGENT_WRITES = N_("URGENT ({when}) — {name} ({relation} of {child}, {class_name}) writes:")
URGENT_SENT = N_("URGENT ({when}) — {name} ({relation} of {child}, {class_name}) sent this voice message or "
                 "photo.")
KIND_HINTS = {
    EmergencyKind.MEDICAL: N_("It may be a medical emergency: the family was told to call 120."),
    EmergencyKind.FIRE: N_("There may be a fire: the family was told to call 119 (and 120 if anyone is hurt)."),
    EmergencyKind.POLICE: N_("A child may be missing or in danger: the family was told to call 110."),
    EmergencyKind.URGENT: N_("The family was told to call 120 or 110 if needed."),
}
REPORT_IT = N_("Please phone them now. To report an incident: /incident {child}")


@dataclass(frozen=True)
class UrgentPassed:
    """Who was told, for the writer's answer: the reader's name and role, and the children named."""

    reader: str
    reader_role: str
    children: tuple[str, ...]
    repeat: bool = False  # the reader already had an URGENT message about these children (REPEAT_WINDOW)


def pass_on(uow: UnitOfWork, *, from_person_id: int, child_ids: list[int], body: str | None,
            kind: EmergencyKind, now: datetime, channel: str | None = None) -> list[UrgentPassed]:
    """Keep the message once per child and send it URGENT to that child's reader.

    Args:
        uow: the unit of work (flushed, not committed).
        from_person_id: the guardian or parent who wrote.
        child_ids: the writer's own children it is about (the ones named in it, else all of theirs);
            any other id is ignored.
        body: the words as written (kept whole, up to ``family_messages.MAX_BODY``).
        kind: what the words say (:func:`bot.domain.emergency_words.emergency_kind`).
        now: UTC now (the message is sent at once, whatever the hour).
        channel: the channel it came on.

    Returns:
        Whom it reached, per reader; empty when nobody at the school could read it.
    """
    s = uow.session
    own = {c.id for c in family_messages.family_children(uow, from_person_id)}
    writer = s.get(Person, from_person_id)
    if writer is None:
        return []
    by_reader: dict[tuple[int, bool], tuple[str, list[str]]] = {}
    for child_id in dict.fromkeys(child_ids):
        child = s.get(Child, child_id) if child_id in own else None
        reader = family_messages.reader_of(uow, child) if child is not None else None
        if child is None or reader is None:
            continue
        if _urgent_lately(uow, from_person_id=from_person_id, child_id=child_id, reader_id=reader[0], now=now):
            family_messages.pass_on(uow, from_person_id=from_person_id, child_id=child_id, body=body, now=now,
                                    channel=channel)
            by_reader.setdefault((reader[0], True), (reader[1], []))[1].append(child.name)
            continue
        row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader[0],
                            child_id=child_id, body=family_messages.kept(body),
                            channel=channel, created_at=now)
        s.add(row)
        s.flush()
        enqueue(s, key=f"family:{row.id}:to:{reader[0]}", person_id=reader[0],
                prompt=urgent_prompt(uow, row, child, writer, kind, now), priority=Priority.URGENT, now=now,
                child_id=child_id)
        log.info("urgent family message %s from person %s passed to person %s", row.id, from_person_id,
                 reader[0])
        by_reader.setdefault((reader[0], False), (reader[1], []))[1].append(child.name)
    passed: list[UrgentPassed] = []
    for (reader_id, repeat), (role, children) in by_reader.items():
        person = s.get(Person, reader_id)
        passed.append(UrgentPassed(person.name if person else "", role, tuple(children), repeat))
    return passed


def _urgent_lately(uow: UnitOfWork, *, from_person_id: int, child_id: int, reader_id: int, now: datetime) -> bool:
    """Whether the writer's words about the child went URGENT to the reader within :data:`REPEAT_WINDOW`."""
    s = uow.session
    recent = s.scalars(select(FamilyMessage.id).where(
        FamilyMessage.from_person_id == from_person_id, FamilyMessage.child_id == child_id,
        FamilyMessage.kind == "message", FamilyMessage.created_at > now - REPEAT_WINDOW)).all()
    if not recent:
        return False
    keys = [f"family:{row_id}:to:{reader_id}" for row_id in recent]
    return s.scalar(select(OutboxMessage.id).where(OutboxMessage.key.in_(keys),
                                                   OutboxMessage.priority == Priority.URGENT).limit(1)) is not None


def urgent_prompt(uow: UnitOfWork, row: FamilyMessage, child: Child, writer: Person, kind: EmergencyKind,
                  now: datetime) -> Prompt:
    """The family message as its reader sees it (words, phone, Reply), marked urgent, with what to do."""
    base = family_messages.message_prompt(uow, row, child, writer)
    return replace(base, message_id=URGENT_WRITES if row.body else URGENT_SENT,
                   params={**base.params, "when": dt(now)},
                   lines=(*base.lines, (KIND_HINTS[kind], {}), (REPORT_IT, {"child": text(child.name)})))
