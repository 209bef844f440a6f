"""Any reply of an alerted person proves they were reached (DESIGN.md "Conversations", issue 6 item 3).

A grandfather answers an incident alert with ``收到``, ``好的，我马上去学校``
or a question rather than the acknowledge button. While one of his steps is
waiting (sent, not acknowledged, not left out, the incident open), any message
he sends acknowledges it (:func:`bot.services.incidents.acknowledge`), and
what he wrote — unless it only says "received" — reaches the reporting teacher
at once (URGENT), and stays on the incident's timeline (a ``replied`` event).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from bot.domain.enums import IncidentStatus, Priority
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, phone, text
from bot.services import family_about, family_messages, incidents
from bot.services import incident_all_clear_notice as notice
from bot.services import incident_privacy as privacy
from bot.services.incident_escalation import event, incident_summary, roles_of
from bot.services.incident_messages import IncidentSummary, role_param
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, FamilyMessage, Incident, IncidentEvent, IncidentStep, Person

log = logging.getLogger(__name__)

FOLLOW_UP = timedelta(hours=1)  # after an acknowledgement, a family member's unnamed words follow the alert's child


@dataclass
class Reached:
    """What a reply to waiting alerts did.

    Attributes:
        acknowledged: incidents whose waiting step this reply acknowledged.
        children: the names of the children of those incidents.
        relayed_to: names of the reporting teachers the words were passed to.
        readers: everyone the words were passed to as ``(name, role)``: the reporter (``reporter``) and the
            child's class teacher when someone else reported (:func:`relay_to_handlers`).
    """

    acknowledged: list[int] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    relayed_to: list[str] = field(default_factory=list)
    readers: list[tuple[str, str]] = field(default_factory=list)  # (name, "reporter" or the class teacher's role)


def waiting(uow: UnitOfWork, *, person_id: int) -> list[int]:
    """Open incidents with a step of this person sent and not yet acknowledged, oldest first."""
    return list(uow.session.scalars(
        select(IncidentStep.incident_id).join(Incident, Incident.id == IncidentStep.incident_id)
        .where(IncidentStep.person_id == person_id, IncidentStep.sent_at.is_not(None),
               IncidentStep.acknowledged_at.is_(None), IncidentStep.excluded_at.is_(None),
               Incident.status == IncidentStatus.OPEN.value)
        .group_by(IncidentStep.incident_id).order_by(IncidentStep.incident_id)
    ))


def reply_prompt(s: IncidentSummary, *, name: str, role: str, words: str, at: datetime) -> Prompt:
    """To the reporter: what a person of the chain wrote in answer to the alert."""
    return Prompt(
        N_("{name} ({role}) replied at {at} to the alert about {child} ({class_name}), {kind} reported at "
           "{reported_at}:"),
        {**s.params(), "name": text(name), "role": role_param(role), "reported_at": dt(s.reported_at),
         "at": dt(at)},
        lines=((N_("“{words}”"), {"words": text(words)}),),
        kind=PromptKind.NOTICE,
    )


def acknowledge_reply(uow: UnitOfWork, *, person_id: int, words: str | None, now: datetime,
                      only: Collection[int] | None = None, emergency: bool = False) -> Reached:
    """Acknowledge the waiting steps of ``person_id``; pass ``words`` (when given) to each reporter.

    Args:
        uow: the update's unit of work (the caller commits).
        person_id: who wrote.
        words: what they wrote, or None when it only said "received" (收到, ok,
            a number): then nothing is passed on beyond the acknowledgement.
        now: UTC now.
        only: the incidents whose alert was shown with its choices (None: every one waiting); a second
            alert still queued behind the one shown is not answered by a reply to the first.
        emergency: ``words`` are emergency words (``救命``), sent 【紧急】 to the class teacher already: the
            reporter reads them in place of the bare "confirmed" (which read as "all is well" right under
            the 【紧急】), without a second Reply when they got the 【紧急】 themselves (it has one).
    """
    reached = Reached()
    s = uow.session
    for incident_id in waiting(uow, person_id=person_id):
        if only is not None and incident_id not in only:
            continue
        result = incidents.acknowledge(uow, person_id=person_id, incident_id=incident_id, now=now,
                                       tell_reporter=not (emergency and words))
        if result != incidents.AckResult.ACKNOWLEDGED:
            continue
        reached.acknowledged.append(incident_id)
        incident = s.get(Incident, incident_id)
        child = s.get(Child, incident.child_id) if incident is not None else None
        if child is not None:
            reached.children.append(child.name)
        if not words or incident is None or incident.reporter_id == person_id:
            continue
        if emergency and _has_urgent(uow, incident, person_id, now):
            continue  # the reporter is the class teacher who has the 【紧急】 already: her words once (fix6ab)
        # The reporter who got the 【紧急】 (the class teacher) answers there; any other reporter (the principal,
        # a duty teacher) gets the Reply and the phone here, as the class teacher does (conv6p). The class teacher
        # reads a family's first words too when someone else reported, as their later questions (conv6s); with
        # emergency words they have the 【紧急】 already.
        readers = relay_to_handlers(uow, incident=incident, person_id=person_id, words=words, now=now,
                                    teacher=not emergency)
        reached.readers.extend(readers)
        reached.relayed_to.extend(name for name, role in readers if role == "reporter")
    s.flush()
    log.info("person %s reached by reply: acknowledged %s, relayed %d", person_id, reached.acknowledged,
             len(reached.relayed_to))
    return reached


def _has_urgent(uow: UnitOfWork, incident: Incident, person_id: int, now: datetime) -> bool:
    """Whether the reporter got this writer's words just now as a family message (the 【紧急】 with its Reply)."""
    return uow.session.scalar(select(FamilyMessage.id).where(
        FamilyMessage.from_person_id == person_id, FamilyMessage.to_person_id == incident.reporter_id,
        FamilyMessage.kind == "message", FamilyMessage.created_at == now).limit(1)) is not None


def relay_to_handlers(uow: UnitOfWork, *, incident: Incident, person_id: int, words: str, now: datetime,
                      answerable: bool = True, teacher: bool = True) -> list[tuple[str, str]]:
    """A family member's ``words`` to those handling the incident: its reporter, and the child's class teacher.

    The class teacher (:func:`bot.services.family_messages.reader_of`) reads them when someone else reported
    (the principal, the duty teacher), with the Reply and the writer's phone; a reporter outside the family's
    circle reads them named too (:func:`relay_to_reporter`). Words of a writer who is not the child's
    family (an official of step 3) go to the reporter alone. ``teacher`` False: the reporter alone (the class
    teacher has the words in a 【紧急】 already). The readers as ``(name, role)``, ``reporter`` for the reporter.
    """
    readers: list[tuple[str, str]] = []
    if incident.reporter_id != person_id:
        name = relay_to_reporter(uow, incident=incident, person_id=person_id, words=words, now=now,
                                 answerable=answerable)
        if name is not None:
            readers.append((name, "reporter"))
    child = uow.session.get(Child, incident.child_id) if incident.child_id is not None else None
    if not teacher or child is None or not privacy.family_role(uow, child.id, person_id):
        return readers
    reader = family_messages.reader_of(uow, child)
    if reader is not None and reader[0] not in (incident.reporter_id, person_id):
        # The reporter's answerable copy, just written: the teacher's is a copy of it (answered once for both).
        first = uow.session.scalar(select(FamilyMessage.id).where(
            FamilyMessage.kind == "message", FamilyMessage.from_person_id == person_id,
            FamilyMessage.to_person_id == incident.reporter_id, FamilyMessage.child_id == child.id,
            FamilyMessage.created_at == now).order_by(FamilyMessage.id.desc()).limit(1)) if readers else None
        name = relay_to_reporter(uow, incident=incident, person_id=person_id, words=words, now=now, to=reader[0],
                                 record=not readers, copy_of=first)
        if name is not None:
            readers.append((name, reader[1]))
    return readers


def relay_to_reporter(uow: UnitOfWork, *, incident: Incident, person_id: int, words: str, now: datetime,
                      answerable: bool = True, to: int | None = None, record: bool = True,
                      detail: dict[str, Any] | None = None, copy_of: int | None = None) -> str | None:
    """``words`` of a person of the chain to the incident's reporter (URGENT, on its timeline); the reader's name.

    A family member's words come named, with a Reply and the writer's phone on record, to any reader (a
    reporter of another class too: the writer chose to write to them) unless ``answerable`` is False (the
    reader has them in a 【紧急】 already). ``to``: another reader than the reporter (the class teacher, conv6p);
    ``record`` False: the ``replied`` event is on the timeline already (the same words to a second reader);
    ``detail``: the event's detail (an all clear passed to everyone, :mod:`bot.services.incident_all_clear`);
    ``copy_of``: the family message these words already are, for another reader (``copy_of_id``).
    """
    s = uow.session
    incident_id = incident.id
    reader_id = incident.reporter_id if to is None else to
    words = family_messages.kept(words) or ""  # whole, up to the family messages' cap (the writer is told)
    step = s.scalar(select(IncidentStep).where(IncidentStep.incident_id == incident_id,
                                               IncidentStep.person_id == person_id)
                    .order_by(IncidentStep.step_no).limit(1))
    role = roles_of(uow, incident_id).get((step.step_no, person_id), "") if step else ""
    count = s.scalar(select(func.count()).select_from(IncidentEvent).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "replied",
        IncidentEvent.person_id == person_id)) or 0
    if record:
        event(uow, incident_id, "replied", now, person_id=person_id, detail=detail, note=words)
    else:
        count -= 1  # (the event of these words is recorded: the same number as the first reader's key)
    person = s.get(Person, person_id)
    reader = s.get(Person, reader_id)
    summary = incident_summary(uow, incident)
    # The writer's own words name the writer, with relation and phone, to whichever teacher reads them: the
    # alert told the family to phone the reporting teacher, and a duty teacher who read "the child's entrusted
    # guardian replied" could neither tell who it was nor call back (a tester, fix6h). Only the chain's other
    # notices (acknowledged, timeline) keep the family by relation for a reporter outside the circle.
    all_clear = bool(detail and detail.get("all_clear"))
    if all_clear:  # 杨秀云没事了 reads as the all clear it is (issue 6): the reader may close from it
        prompt = notice.all_clear_prompt(summary, name=person.name if person else "", role=role, words=words,
                                         at=now, named=True)
    else:
        prompt = reply_prompt(summary, name=person.name if person else "", role=role, words=words, at=now)
    key = f"incident:{incident_id}:reply:{person_id}:{count + 1}" + ("" if to is None else f":to:{to}")
    if answerable and role in privacy.FAMILY_ROLES and incident.child_id is not None:
        # A family member's words get the Reply every family message has, so the reader can answer the question
        # on screen, and the writer's phone on record, so the reader can call back.
        row = FamilyMessage(kind="message", from_person_id=person_id, to_person_id=reader_id,
                            child_id=incident.child_id, body=words, created_at=now, copy_of_id=copy_of,
                            incident_id=incident_id)
        s.add(row)
        s.flush()
        family_about.link(uow, row.id, [incident.child_id])
        lines = (*prompt.lines, (N_("Phone: {phone}"), {"phone": phone(person.phone)})) \
            if person is not None and person.phone else prompt.lines
        prompt = replace(prompt, lines=lines, choices=(Choice(N_("Reply"), payloads.family_reply(row.id)),))
        key = f"family:{row.id}:to:{reader_id}"  # so the answer goes URGENT too (was_urgent)
    if all_clear:
        prompt = notice.with_close(uow, prompt, incident=incident, reader_id=reader_id, child=summary.child)
    enqueue(s, key=key, person_id=reader_id, prompt=prompt, priority=Priority.URGENT, now=now,
            child_id=incident.child_id)
    return reader.name if reader is not None else None


def _acknowledged(person_id: int, now: datetime, within: timedelta | None) -> list[ColumnElement[bool]]:
    """A step of ``person_id`` acknowledged (within ``within`` of ``now``, None: any time) and not left out.

    A person left out of the chain (``家属涉嫌，不再通知``) is in it no longer: their words never follow the
    alert to the family chain, nor learn who is in it (a breaker found the accused grandfather's 没事了 sent to all).
    """
    since = IncidentStep.acknowledged_at.is_not(None) if within is None else IncidentStep.acknowledged_at > now - within
    return [IncidentStep.person_id == person_id, since, IncidentStep.excluded_at.is_(None),
            Incident.status == IncidentStatus.OPEN.value]


def answered_lately(uow: UnitOfWork, *, person_id: int, child_id: int, now: datetime,
                    within: timedelta | None = FOLLOW_UP) -> list[int]:
    """Ids of the open incidents about ``child_id`` whose alert ``person_id`` acknowledged within ``within``.

    Oldest first; ``within`` None: acknowledged at any time while the incident is open (the incidents an all
    clear, :mod:`bot.services.incident_all_clear`, is about). (Further words about the child reach those
    handling any open incident of theirs: :mod:`bot.services.incident_questions`.)
    """
    return list(uow.session.scalars(
        select(Incident.id).join(IncidentStep, IncidentStep.incident_id == Incident.id)
        .where(Incident.child_id == child_id, *_acknowledged(person_id, now, within))
        .group_by(Incident.id).order_by(Incident.id)).all())


def followed_child(uow: UnitOfWork, *, person_id: int, child_ids: Collection[int], now: datetime,
                   within: timedelta | None = FOLLOW_UP) -> int | None:
    """The child whose open incident ``person_id`` acknowledged last, within ``within`` (None: any time); else None.

    A grandmother of two who just confirmed the alert about 刘帅 and writes ``他现在好点了吗？`` means 刘帅:
    she is not asked "which child?" (with the other grandchild offered first).
    """
    if not child_ids:
        return None
    return uow.session.scalar(
        select(Incident.child_id).join(IncidentStep, IncidentStep.incident_id == Incident.id)
        .where(Incident.child_id.in_(list(child_ids)), *_acknowledged(person_id, now, within))
        .order_by(IncidentStep.acknowledged_at.desc(), Incident.id.desc()).limit(1))


def alerted_children(uow: UnitOfWork, *, person_id: int, child_ids: Collection[int], now: datetime) -> set[int]:
    """Of ``child_ids``, those with an alert of ``person_id`` waiting; else the one acknowledged lately.

    Emergency words naming no child, typed at (or right after answering) the alert about 刘帅, are about 刘帅
    (:mod:`bot.flows.emergency`); empty when no alert is waiting or lately answered.
    """
    own = set(child_ids)
    s = uow.session
    ids = {i.child_id for i in (s.get(Incident, n) for n in waiting(uow, person_id=person_id))
           if i is not None and i.child_id in own}
    if ids:
        return ids
    lately = followed_child(uow, person_id=person_id, child_ids=own, now=now)
    return {lately} if lately is not None else set()


def child_name(uow: UnitOfWork, incident_id: int) -> str | None:
    """The name of the child an incident is about (None once erased or unknown): the acknowledgement names it."""
    incident = uow.session.get(Incident, incident_id)
    child = uow.session.get(Child, incident.child_id) if incident is not None and incident.child_id else None
    return child.name if child is not None else None


def child_of(uow: UnitOfWork, incident_id: int) -> int | None:
    """The id of the child an incident is about (None when unknown)."""
    incident = uow.session.get(Incident, incident_id)
    return incident.child_id if incident is not None else None


def reported_at(uow: UnitOfWork, incident_id: int) -> datetime | None:
    """When an incident was reported (None when unknown): "which child?" names each alert by its time."""
    incident = uow.session.get(Incident, incident_id)
    return incident.reported_at if incident is not None else None
