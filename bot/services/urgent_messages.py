"""A family member's emergency message reaches the class teacher at once, at any hour (issue 6).

A grandfather who writes ``孩子发高烧抽筋了`` at 23:10 must not wait for the
quiet hours to end: his words are kept as a family message (the teacher
answers them with the usual Reply, and ``/due`` lists them until answered) and
sent to the child's class teacher (else the helper teacher, else an admin) as
``Priority.URGENT``, marked urgent, naming the child and what the writer is to
the child, with the writer's phone and how to report an incident. No incident
is created: a teacher decides that (``/incident``, ``报告``).

Follow-ups: within :data:`REPEAT_WINDOW` of an URGENT message from the same
writer about the same child, not answered yet, further emergency words are kept
and sent URGENT at once as its follow-up (:func:`follow_up`: never held by the
quiet hours; its reminders and backups quote them), and the writer is told the
teacher already has the first; any other words while it is open go the same way
(:func:`open_urgent`). Repeats (``救命`` typed thirty times) do not ring the
teacher thirty times: words the teacher already has in it are not sent again.

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain.emergency_words import EmergencyKind
from bot.domain.enums import IncidentKind, IncidentStatus, Priority
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import family_about, family_messages, incident_exclusions, urgent_escalation
from bot.services.incident_roles import incidents_not_kept_away
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
    EmergencyKind.HARM: N_("A child may have been hurt by someone: the family was told to call 110 if the child is in "
                           "danger. If it may be harm at home, report it as suspected abuse or neglect: the family is "
                           "then not told."),
    EmergencyKind.HELP: N_("A sick child the family cannot get to a doctor: please arrange help today. The family was "
                           "told to call 120 if the child gets worse."),
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
            kind: EmergencyKind, now: datetime, channel: str | None = None,
            unnamed: bool = False, other: bool = False) -> list[UrgentPassed]:
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
        unnamed: the words name none of the writer's children (``有个孩子被打了`` from a grandmother of two): the
            reader is told so, never that they are about her children (fix6ai).
        other: the words are about someone named who is none of hers (:mod:`bot.domain.name_like`): said so.

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
        # Within REPEAT_WINDOW of a 【紧急】 message not answered yet, the words follow it (once); once the teacher
        # answered, new emergency words are a new 【紧急】 message with its own reminders.
        found = {c.id: _urgent_lately(uow, from_person_id=from_person_id, child_id=c.id, reader_id=reader_id,
                                      now=now) for c in children}
        opened = {i: m for i, m in found.items() if m is not None and not urgent_escalation.answered(uow, m)}
        lately = [c for c in children if c.id in opened]
        if lately:  # added to the urgent one of a few minutes ago: sent at once as its follow-up (once)
            follow_up(uow, open_id=opened[lately[0].id], from_person_id=from_person_id, child_id=lately[0].id,
                      body=body, now=now, channel=channel)
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
        family_about.link(uow, row.id, [c.id for c in children])
        _also_for(uow, row, children[1:])
        enqueue(s, key=f"family:{row.id}:to:{reader_id}", person_id=reader_id,
                prompt=urgent_prompt(uow, row, children, writer, kind, now, unnamed=unnamed, other=other),
                priority=Priority.URGENT, now=now,
                child_id=children[0].id)
        log.info("urgent family message %s from person %s passed to person %s", row.id, from_person_id,
                 reader_id)
        by_reader[(reader_id, False)] = (role, [c.name for c in children])
    passed: list[UrgentPassed] = []
    for (reader_id, repeat), (role, names) in by_reader.items():
        person = s.get(Person, reader_id)
        passed.append(UrgentPassed(person.name if person else "", role, tuple(names), repeat))
    return passed


OPEN_FOR = timedelta(hours=12)
"""A 【紧急】 message unanswered this long ago still takes its writer's further words as its follow-ups."""

FOLLOW_UP_WRITES = N_("URGENT, FOLLOW-UP ({when}) to the urgent message of {first} — {name} ({relation} of {child}, "
                      "{class_name}) writes:")
FOLLOW_UP_SENT = N_("URGENT, FOLLOW-UP ({when}) to the urgent message of {first} — {name} ({relation} of {child}, "
                    "{class_name}) sent this voice message or photo.")


def open_urgent(uow: UnitOfWork, *, child_id: int, now: datetime, from_person_id: int | None = None,
                writer_id: int | None = None) -> int | None:
    """A 【紧急】 message about the child, still unanswered (within :data:`OPEN_FOR`), else None.

    ``from_person_id``: that writer's own one; None: any family member's. Found by a tester: the mother's
    ``孩子怎么了？`` at 23:05, while the grandfather's ``孩子发高烧抽筋了`` was ringing the class teacher, waited
    for 07:00 as an ordinary message. Words of anyone in the child's family while its emergency is open belong
    with it (the caller makes sure the writer is of the child's family).

    Never for ``writer_id`` left out of an open incident's chain about the child (``家属涉嫌，不再通知``, fixl):
    joining the mother's message would tell him she wrote and that an emergency is open; his words reach the
    school as ordinary words about the child instead.
    """
    if writer_id is not None and incident_exclusions.left_out_child(uow, person_id=writer_id,
                                                                    child_ids=[child_id]) is not None:
        return None
    child = uow.session.get(Child, child_id)
    reader = family_messages.reader_of(uow, child) if child is not None else None
    if reader is None:
        return None
    found = _urgent_lately(uow, from_person_id=from_person_id, child_id=child_id, reader_id=reader[0], now=now,
                           window=OPEN_FOR)
    return None if found is None or urgent_escalation.answered(uow, found) else found


def writer_name(uow: UnitOfWork, message_id: int) -> str:
    """Who sent a family message (the grandfather whose 【紧急】 message the mother's words follow); "" if unknown."""
    row = uow.session.get(FamilyMessage, message_id)
    writer = uow.session.get(Person, row.from_person_id) if row is not None and row.from_person_id else None
    return writer.name if writer is not None else ""


def follow_up(uow: UnitOfWork, *, open_id: int, from_person_id: int, child_id: int, body: str | None,
              now: datetime, channel: str | None = None, media: tuple[tuple[str, str], ...] = (),
              checkin_id: int | None = None) -> family_messages.Passed | None:
    """The writer's further words while their 【紧急】 message ``open_id`` is open: URGENT at once, marked so.

    Found by a trial user: 张强's ``孩子不见了`` a minute after ``孩子发高烧抽筋了`` waited for 07:00 as an
    ordinary message. Now it is kept (linked to the first by ``answer_to_id``), sent URGENT (quiet hours never
    hold it) as a follow-up of the first, and the first's reminders and backups quote it
    (:func:`bot.services.urgent_escalation.follow_ups`). Words the reader already has in this chain (``救命``
    typed thirty times) are not kept or sent again: the teacher's phone rings once for them.

    Returns:
        Where it went (for a repeat: the message that has the words), or None when it could not go.
    """
    s = uow.session
    first = s.get(FamilyMessage, open_id)
    child = s.get(Child, child_id)
    writer = s.get(Person, from_person_id)
    reader = s.get(Person, first.to_person_id) if first is not None and first.to_person_id is not None else None
    if first is None or child is None or writer is None or reader is None:
        return None
    role = family_messages.reader_of(uow, child)
    said = [first, *urgent_escalation.follow_ups(uow, first.id)]
    words = family_messages.kept(body)
    same = next((m for m in said if words and not media and (m.body or "").strip() == words.strip()), None)
    if same is not None:
        return family_messages.Passed(same.id, reader.name, role[1] if role else "class_teacher", child.name,
                                      reader.id)
    row = FamilyMessage(kind="message", from_person_id=from_person_id, to_person_id=reader.id, child_id=child_id,
                        body=words, voice_media_id=next((ref for kind, ref in media if kind == "voice"), None),
                        channel=channel, created_at=now, checkin_id=checkin_id, answer_to_id=first.id)
    s.add(row)
    s.flush()
    family_about.link(uow, row.id, [child_id])
    base = family_messages.message_prompt(uow, row, child, writer)
    enqueue(s, key=f"family:{row.id}:to:{reader.id}", person_id=reader.id, priority=Priority.URGENT, now=now,
            child_id=child_id, prompt=replace(base, message_id=FOLLOW_UP_WRITES if row.body else FOLLOW_UP_SENT,
                                              params={**base.params, "when": dt(now), "first": dt(first.created_at)},
                                              media=tuple(media)))
    log.info("family message %s from person %s passed URGENT to person %s, following up %s", row.id,
             from_person_id, reader.id, first.id)
    return family_messages.Passed(row.id, reader.name, role[1] if role else "class_teacher", child.name, reader.id)


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


def sent_lately(uow: UnitOfWork, *, from_person_id: int, now: datetime) -> bool:
    """Whether the writer sent a 【紧急】 message within :data:`REPEAT_WINDOW`.

    Words naming no child a few minutes after it (``婷婷抽筋了`` then ``救命``) continue that emergency: they are
    passed on about her children, never labelled "names no child, maybe another child" (fix6ai's label is for
    ``有个孩子被打了`` out of the blue).
    """
    return uow.session.scalar(select(FamilyMessage.id).where(
        FamilyMessage.from_person_id == from_person_id, FamilyMessage.kind == "message",
        FamilyMessage.urgent_step.is_not(None), FamilyMessage.created_at > now - REPEAT_WINDOW).limit(1)) is not None


def _urgent_lately(uow: UnitOfWork, *, from_person_id: int | None, child_id: int, reader_id: int, now: datetime,
                   window: timedelta = REPEAT_WINDOW) -> int | None:
    """The newest 【紧急】 message of the writer (None: anyone's) about the child that reached the reader lately."""
    s = uow.session
    writer = [] if from_person_id is None else [FamilyMessage.from_person_id == from_person_id]
    found = s.execute(select(FamilyMessage.id, FamilyMessage.kind, FamilyMessage.answer_to_id).where(
        *writer, FamilyMessage.child_id == child_id,
        FamilyMessage.kind.in_(("message", ALSO)), FamilyMessage.created_at > now - window)).all()
    recent = [linked if kind == ALSO else row_id for row_id, kind, linked in found]  # a further child's: its message
    ids: list[int] = []
    # Only a 【紧急】 message (its chain started) counts: a reply to an alert relayed to its reporter also went
    # URGENT under a family key, but the teacher was never told of an emergency by it (found by a trial user).
    if recent:
        ids = list(s.scalars(select(FamilyMessage.id).where(FamilyMessage.id.in_(recent),
                                                            FamilyMessage.urgent_step.is_not(None))))
    for row_id in sorted(ids, reverse=True):
        if s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == f"family:{row_id}:to:{reader_id}",
                                                   OutboxMessage.priority == Priority.URGENT)) is not None:
            return row_id
    return None


UNNAMED = N_("The message names no child: it may be about one of {children} or about another child. Ask when you "
             "phone.")
# 隔壁杨秀云被她爷爷打了 from 李雪 (trial B3): about someone named who is none of hers — never "maybe 刘婷婷".
OTHER = N_("The message is about someone named who is not one of {children}: if that child is at this school, "
           "their class teacher was sent it as urgent too. Ask when you phone.")


def urgent_prompt(uow: UnitOfWork, row: FamilyMessage, children: list[Child], writer: Person, kind: EmergencyKind,
                  now: datetime, *, unnamed: bool = False, other: bool = False) -> Prompt:
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
                   lines=(*base.lines, *_named_line(children, unnamed=unnamed, other=other), (KIND_HINTS[kind], {}),
                          *([] if other else [_report_line(uow, children, row.to_person_id)])))


def _named_line(children: list[Child], *, unnamed: bool, other: bool) -> list[tuple[str, dict[str, Any]]]:
    """Whom the words may be about, when they name none of the writer's children."""
    names = {"children": [text(c.name) for c in children]}
    return [(OTHER, names)] if other else [(UNNAMED, names)] if unnamed else []


def _report_line(uow: UnitOfWork, children: list[Child], reader_id: int | None) -> tuple[str, dict[str, Any]]:
    """How to report it, or — a child's incident being open already (救命 at its alert) — that it is reported.

    Never a safeguarding report, nor one the reader is kept away from (fix9z): the accused class teacher read
    "刘帅's incident is open already (reported by 王老师 at …): no new report is needed" under the family's
    ``刘帅发高烧抽筋了``, and the fever then had no report of its own, the family never alerted by one.
    """
    s = uow.session
    if len(children) > 1:
        return (REPORT_ANY, {"children": [text(c.name) for c in children]})
    child = children[0]
    seen = [incidents_not_kept_away(reader_id)] if reader_id is not None else []
    row = s.execute(select(Incident.reported_at, Person.name).join(Person, Person.id == Incident.reporter_id)
                    .where(Incident.child_id == child.id, Incident.status == IncidentStatus.OPEN.value,
                           Incident.kind != IncidentKind.SUSPECTED_ABUSE.value, *seen)
                    .order_by(Incident.reported_at.desc()).limit(1)).first()
    if row is None:
        return (REPORT_IT, {"child": text(child.name)})
    return (REPORTED_ALREADY, {"child": text(child.name), "reporter": text(row[1]), "at": dt(row[0])})
