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
from typing import Any

from sqlalchemy import select

from bot.domain.emergency_words import EmergencyKind
from bot.domain.enums import IncidentStatus, Priority
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import family_messages, urgent_escalation
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, Incident, OutboxMessage, Person, SchoolClass

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
REPORTED_ALREADY = N_("Please phone them now. An incident about {child} is open already (reported by {reporter} at "
                      "{at}): no new report is needed.")
REPORT_ANY = N_("Please phone them now. To report an incident: /incident and the child's name ({children}).")


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
    readers: dict[int, tuple[str, list[Child]]] = {}  # one message per reader, naming all their children
    for child_id in dict.fromkeys(child_ids):
        child = s.get(Child, child_id) if child_id in own else None
        reader = family_messages.reader_of(uow, child) if child is not None else None
        if child is not None and reader is not None:
            readers.setdefault(reader[0], (reader[1], []))[1].append(child)
    by_reader: dict[tuple[int, bool], tuple[str, list[str]]] = {}
    for reader_id, (role, children) in readers.items():
        lately = [c for c in children
                  if _urgent_lately(uow, from_person_id=from_person_id, child_id=c.id, reader_id=reader_id, now=now)]
        if lately:  # added to the urgent one of a few minutes ago, as an ordinary message (once)
            family_messages.pass_on(uow, from_person_id=from_person_id, child_id=lately[0].id, body=body,
                                    now=now, channel=channel)
            by_reader[(reader_id, True)] = (role, [c.name for c in lately])
        children = [c for c in children if c not in lately]
        if not children:
            continue
        # Words naming no child, from a grandmother of two: ONE urgent message naming both (never two that read
        # as if both were missing, the second held behind the first); the teacher answers it once.
        row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader_id,
                            child_id=children[0].id, body=family_messages.kept(body),
                            channel=channel, created_at=now)
        urgent_escalation.start(row, now)  # unanswered, it reminds the reader, then tells backups
        s.add(row)
        s.flush()
        _also_for(uow, row, children[1:])
        enqueue(s, key=f"family:{row.id}:to:{reader_id}", person_id=reader_id,
                prompt=urgent_prompt(uow, row, children, writer, kind, now), priority=Priority.URGENT, now=now,
                child_id=children[0].id)
        log.info("urgent family message %s from person %s passed to person %s", row.id, from_person_id,
                 reader_id)
        by_reader[(reader_id, False)] = (role, [c.name for c in children])
    passed: list[UrgentPassed] = []
    for (reader_id, repeat), (role, names) in by_reader.items():
        person = s.get(Person, reader_id)
        passed.append(UrgentPassed(person.name if person else "", role, tuple(names), repeat))
    return passed


ALSO = "message_also"
"""A further child an URGENT message names: a row under that child pointing to the message (``answer_to_id``)."""


def _also_for(uow: UnitOfWork, row: FamilyMessage, children: list[Child]) -> None:
    """Keep ``row`` under each further child it names, not under the first only (found by a trial user).

    The reader got ONE message naming them all, answered once; each further child gets a row linking to it
    (no copy of the words), so that child's repeats are recognised and its erasure clears the link.
    """
    for child in children:
        uow.session.add(FamilyMessage(kind=ALSO, from_person_id=row.from_person_id, to_person_id=row.to_person_id,
                                      child_id=child.id, answer_to_id=row.id, channel=row.channel,
                                      created_at=row.created_at))
    if children:
        uow.session.flush()


def _urgent_lately(uow: UnitOfWork, *, from_person_id: int, child_id: int, reader_id: int, now: datetime) -> bool:
    """Whether the writer's words about the child went URGENT to the reader within :data:`REPEAT_WINDOW`."""
    s = uow.session
    found = s.execute(select(FamilyMessage.id, FamilyMessage.kind, FamilyMessage.answer_to_id).where(
        FamilyMessage.from_person_id == from_person_id, FamilyMessage.child_id == child_id,
        FamilyMessage.kind.in_(("message", ALSO)), FamilyMessage.created_at > now - REPEAT_WINDOW)).all()
    recent = [linked if kind == ALSO else row_id for row_id, kind, linked in found]  # a further child's: its message
    # Only a 【紧急】 message (its chain started) counts: a reply to an alert relayed to its reporter also went
    # URGENT under a family key, but the teacher was never told of an emergency by it (found by a trial user).
    recent = list(s.scalars(select(FamilyMessage.id).where(FamilyMessage.id.in_(recent),
                                                           FamilyMessage.urgent_step.is_not(None)))) if recent else []
    if not recent:
        return False
    keys = [f"family:{row_id}:to:{reader_id}" for row_id in recent]
    return s.scalar(select(OutboxMessage.id).where(OutboxMessage.key.in_(keys),
                                                   OutboxMessage.priority == Priority.URGENT).limit(1)) is not None


def urgent_prompt(uow: UnitOfWork, row: FamilyMessage, children: list[Child], writer: Person, kind: EmergencyKind,
                  now: datetime) -> Prompt:
    """The family message as its reader sees it (words, phone, Reply), marked urgent, with what to do.

    It names every child it is about: ``李雪（刘婷婷、刘帅的外祖母，一年级（3）班）``.
    """
    base = family_messages.message_prompt(uow, row, children[0], writer)
    params = dict(base.params)
    if len(children) > 1:
        classes = [uow.session.get(SchoolClass, c.class_id) if c.class_id else None for c in children]
        params["child"] = [text(c.name) for c in children]
        names = list(dict.fromkeys(k.name for k in classes if k is not None))
        params["class_name"] = [text(n) for n in names] if names else base.params["class_name"]
    return replace(base, message_id=URGENT_WRITES if row.body else URGENT_SENT, params={**params, "when": dt(now)},
                   lines=(*base.lines, (KIND_HINTS[kind], {}), _report_line(uow, children)))


def _report_line(uow: UnitOfWork, children: list[Child]) -> tuple[str, dict[str, Any]]:
    """How to report it, or — a child's incident being open already (救命 at its alert) — that it is reported."""
    s = uow.session
    if len(children) > 1:
        return (REPORT_ANY, {"children": [text(c.name) for c in children]})
    child = children[0]
    row = s.execute(select(Incident.reported_at, Person.name).join(Person, Person.id == Incident.reporter_id)
                    .where(Incident.child_id == child.id, Incident.status == IncidentStatus.OPEN.value)
                    .order_by(Incident.reported_at.desc()).limit(1)).first()
    if row is None:
        return (REPORT_IT, {"child": text(child.name)})
    return (REPORTED_ALREADY, {"child": text(child.name), "reporter": text(row[1]), "at": dt(row[0])})
