"""Family calls (亲情电话, issue 8 item 6): asked for, confirmed, reminded, logged.

A parent working away, the child's entrusted guardian or one of the child's
teachers asks for a slot of the school's family phone or video room
(:class:`~bot.store.models.CallRoom`; a school without one gets the default
room, weekdays 16:30–17:30 in 15-minute slots). A teacher's request is booked
at once; a family's request goes to the room's keeper (or, without one, the
child's class teacher) with Confirm / Decline. Once booked, both sides are
told, reminded an hour before, and after the slot the keeper is asked to
record the call — held or not, how long, a note ("及时做好相关记录"). Every
message is an outbox row under ``call:<id>:…``, so nothing is sent twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain import call_slots
from bot.domain.enums import STAFF_ROLES, Priority, RelationKind
from bot.domain.periods import local_date
from bot.messages import payloads
from bot.messages.labels import RELATION_LABELS
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, msg, text
from bot.services import access, child_names, school_year
from bot.services.access import Purpose
from bot.services.identity import Actor
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import CallRoom, Child, ChildRelation, FamilyCall, Person, School, SchoolClass

log = logging.getLogger(__name__)

LEAD = timedelta(hours=1)  # book at least this long ahead; both sides are reminded this long before
HORIZON_DAYS = 14
REMIND_BEFORE = timedelta(hours=1)
PARENT_KINDS = (RelationKind.FATHER.value, RelationKind.MOTHER.value)


class CallStatus(StrEnum):
    """Where a family call stands."""

    REQUESTED = "requested"  # waiting for the keeper or class teacher
    BOOKED = "booked"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # called off by the teacher who set it (bot.services.family_call_changes)
    LOGGED = "logged"  # held or not, recorded after the slot


class Outcome(StrEnum):
    """What a request, a decision or a log came to."""

    BOOKED = "booked"
    REQUESTED = "requested"
    TAKEN = "taken"  # the slot went to someone else meanwhile
    NOT_ALLOWED = "not_allowed"
    ALREADY = "already"  # decided or logged before: the first answer stands
    DONE = "done"


@dataclass(frozen=True)
class Parent:
    """A parent of the child, as offered to a guardian or teacher."""

    id: int
    name: str
    relation: str


def room_for(uow: UnitOfWork, school_id: int) -> CallRoom:
    """The school's first active room; the default room is made when the school has none."""
    s = uow.session
    room = s.scalar(select(CallRoom).where(CallRoom.school_id == school_id, CallRoom.active.is_(True))
                    .order_by(CallRoom.id).limit(1))
    if room is None:
        room = CallRoom(school_id=school_id, name="亲情电话", kind="phone", slots=call_slots.DEFAULT_SLOTS)
        s.add(room)
        s.flush()
    return room


def parents_of(uow: UnitOfWork, child_id: int) -> list[Parent]:
    """The child's parents on record (father, mother)."""
    rows = uow.session.execute(
        select(Person.id, Person.name, ChildRelation.kind).join(ChildRelation, ChildRelation.person_id == Person.id)
        .where(ChildRelation.child_id == child_id, ChildRelation.kind.in_(PARENT_KINDS)).order_by(Person.id)
    ).all()
    return [Parent(*r) for r in rows]


def may_ask(uow: UnitOfWork, actor: Actor, child_id: int) -> bool:
    """A parent or guardian of the child, or a teacher who may see the child."""
    return access.can_act_on_child(uow, actor, child_id, purpose=Purpose.VIEW)


def free_slots(uow: UnitOfWork, *, room: CallRoom, now: datetime, tz: str, limit: int = 6
               ) -> list[tuple[datetime, int]]:
    """The next free slots of the room (school days only, at least :data:`LEAD` ahead)."""
    windows = call_slots.parse(room.slots)
    taken = set(uow.session.scalars(select(FamilyCall.starts_at).where(
        FamilyCall.room_id == room.id, FamilyCall.slot_key.is_not(None), FamilyCall.starts_at >= now)))
    found: list[tuple[datetime, int]] = []
    today = local_date(now, tz)
    for offset in range(HORIZON_DAYS):
        day = today + timedelta(days=offset)
        if not school_year.is_school_day(uow, room.school_id, day):
            continue
        for at, minutes in call_slots.starts_on(windows, day, tz):
            if at >= now + LEAD and at not in taken:
                found.append((at, minutes))
                if len(found) >= limit:
                    return found
    return found


def confirmers(uow: UnitOfWork, call: FamilyCall) -> list[int]:
    """Who confirms and logs the call: the room's keeper, else the child's class teacher."""
    room = uow.session.get(CallRoom, call.room_id)
    if room is not None and room.keeper_id:
        return [room.keeper_id]
    teacher = uow.session.scalar(select(SchoolClass.class_teacher_id).join(Child, Child.class_id == SchoolClass.id)
                                 .where(Child.id == call.child_id))
    return [teacher] if teacher else []


def _describe(uow: UnitOfWork, call: FamilyCall) -> dict[str, Any]:
    s = uow.session
    child = s.get(Child, call.child_id)
    parent = s.get(Person, call.parent_id) if call.parent_id is not None else None  # None: the child was erased
    room = s.get(CallRoom, call.room_id)
    relation = s.scalar(select(ChildRelation.kind).where(ChildRelation.child_id == call.child_id,
                                                         ChildRelation.person_id == call.parent_id).limit(1))
    return {"child": child_names.label(uow, child.id) if child else text(""),  # namesakes told apart
            "parent": text(parent.name if parent else ""),
            "relation": msg(RELATION_LABELS.get(relation or "", N_("parent"))), "when": dt(call.starts_at),
            "room": text(room.name if room else "")}


def request(uow: UnitOfWork, *, actor: Actor, child_id: int, parent_id: int, starts_at: datetime, now: datetime
            ) -> tuple[Outcome, int | None]:
    """Ask for a slot: booked at once for a teacher, sent to the keeper or class teacher otherwise.

    Returns the outcome and the call's id. The caller commits.
    """
    s = uow.session
    child = s.get(Child, child_id)
    if child is None or not may_ask(uow, actor, child_id) or parent_id not in {p.id for p in parents_of(uow, child_id)}:
        return Outcome.NOT_ALLOWED, None
    school = s.get(School, child.school_id)
    room = room_for(uow, child.school_id)
    tz = school.timezone if school else "Asia/Shanghai"
    slot = next((m for at, m in free_slots(uow, room=room, now=now, tz=tz, limit=200) if at == starts_at), None)
    if slot is None:
        return Outcome.TAKEN, None
    call = FamilyCall(school_id=child.school_id, child_id=child_id, room_id=room.id, parent_id=parent_id,
                      requested_by_id=actor.person_id, starts_at=starts_at, minutes=slot,
                      status=CallStatus.REQUESTED.value, slot_key=f"{room.id}:{starts_at.isoformat()}",
                      requested_at=now)
    if uow.dialect == "sqlite":  # one writer at a time, and pysqlite's savepoints would commit on release
        s.add(call)
        s.flush()
    else:
        try:
            with s.begin_nested():  # two families asking for one slot at once: the second finds it taken
                s.add(call)
                s.flush()
        except IntegrityError:
            return Outcome.TAKEN, None
    if STAFF_ROLES & actor.roles:
        _book(uow, call, actor.person_id, now)
        return Outcome.BOOKED, call.id
    who = confirmers(uow, call)
    for person_id in who:
        enqueue(s, key=f"call:{call.id}:ask:{person_id}", person_id=person_id, priority=Priority.BULK, now=now,
                child_id=call.child_id,
                prompt=ask_prompt(uow, call.id))
    log.info("family call %s requested by %s (%s to confirm)", call.id, actor.person_id, len(who))
    return Outcome.REQUESTED, call.id


def sides(uow: UnitOfWork, call: FamilyCall) -> list[int]:
    """Everyone a booked call concerns: the parent, who asked for it, the keeper or class teacher."""
    return sorted({p for p in (call.parent_id, call.requested_by_id) if p is not None} | set(confirmers(uow, call)))


BOOKED = N_("Family call booked: {child} with {parent} ({relation}), {when}, {room}.")


def _book(uow: UnitOfWork, call: FamilyCall, by: int, now: datetime, *, notice: str = BOOKED, tag: str = "",
          extra: dict[str, Any] | None = None) -> None:
    """Booked: both sides told and reminded, and the keeper asked to record it after the slot.

    A call moved to another time is booked again with its own ``tag`` in the
    outbox keys (the old time's reminders were stopped) and its own ``notice``.
    """
    s = uow.session
    call.status, call.decided_by_id, call.decided_at = CallStatus.BOOKED.value, by, now
    about = _describe(uow, call)
    for person_id in sides(uow, call):
        if person_id != by:
            enqueue(s, key=f"call:{call.id}{tag}:booked:{person_id}", person_id=person_id, priority=Priority.BULK,
                    now=now, child_id=call.child_id,
                    prompt=Prompt(notice, {**about, **(extra or {})}, kind=PromptKind.NOTICE))
        if call.starts_at - REMIND_BEFORE > now:
            enqueue(s, key=f"call:{call.id}{tag}:remind:{person_id}", person_id=person_id, priority=Priority.BULK,
                    now=now, child_id=call.child_id, not_before=call.starts_at - REMIND_BEFORE,
                    prompt=Prompt(N_("Reminder: the family call of {child} with {parent} is at {when}, {room}."),
                                  about, kind=PromptKind.NOTICE))
    for person_id in confirmers(uow, call):
        enqueue(s, key=f"call:{call.id}{tag}:log", person_id=person_id, priority=Priority.BULK, now=now,
                child_id=call.child_id,
                not_before=call.starts_at + timedelta(minutes=call.minutes),
                prompt=Prompt(N_("Please record the family call of {child} with {parent} ({when})."), about,
                              choices=(Choice(N_("It was held"), payloads.call_log(call.id, held=True)),
                                       Choice(N_("It did not happen"), payloads.call_log(call.id, held=False))),
                              kind=PromptKind.TASK))
        break  # one record per call
    log.info("family call %s booked by %s", call.id, by)


def decide(uow: UnitOfWork, *, call_id: int, person_id: int, confirm: bool, now: datetime) -> Outcome:
    """The keeper or class teacher confirms or declines a requested call. The caller commits."""
    call = uow.session.get(FamilyCall, call_id)
    if call is None or person_id not in confirmers(uow, call):
        return Outcome.NOT_ALLOWED
    if call.status != CallStatus.REQUESTED.value:
        return Outcome.ALREADY
    if confirm:
        _book(uow, call, person_id, now)
        return Outcome.BOOKED
    call.status, call.decided_by_id, call.decided_at, call.slot_key = CallStatus.DECLINED.value, person_id, now, None
    if call.requested_by_id is not None:  # None only for an erased child's call, cancelled at the erasure
        enqueue(uow.session, key=f"call:{call.id}:declined", person_id=call.requested_by_id,
                priority=Priority.BULK, now=now, child_id=call.child_id,
                prompt=Prompt(N_("The school cannot make the family call of {child} at {when}. Please choose "
                                 "another time with /call (亲情电话)."), _describe(uow, call),
                              kind=PromptKind.NOTICE))
    log.info("family call %s declined by %s", call.id, person_id)
    return Outcome.DONE


def loggable(uow: UnitOfWork, *, call_id: int, person_id: int) -> Outcome:
    """Whether this person may record this call now (the keeper or class teacher of a booked call)."""
    call = uow.session.get(FamilyCall, call_id)
    if call is None or person_id not in confirmers(uow, call):
        return Outcome.NOT_ALLOWED
    return Outcome.DONE if call.status == CallStatus.BOOKED.value else Outcome.ALREADY


def record(uow: UnitOfWork, *, call_id: int, person_id: int, held: bool, minutes: int | None, note: str | None,
           now: datetime) -> Outcome:
    """The call's record: held or not, how long, a note (stored, never logged). The caller commits."""
    state = loggable(uow, call_id=call_id, person_id=person_id)
    if state is not Outcome.DONE:
        return state
    call = uow.session.get(FamilyCall, call_id)
    assert call is not None  # noqa: S101 - loggable() found it in this transaction
    call.status, call.held, call.duration_minutes = CallStatus.LOGGED.value, held, minutes if held else None
    call.note, call.logged_by_id, call.logged_at = (note or None), person_id, now
    log.info("family call %s logged by %s: held=%s", call.id, person_id, held)
    return Outcome.DONE


def describe(uow: UnitOfWork, call_id: int) -> dict[str, Any]:
    """Prompt parameters naming a call (child, parent, relation, when, room)."""
    call = uow.session.get(FamilyCall, call_id)
    return _describe(uow, call) if call is not None else {}


def set_room(uow: UnitOfWork, *, school_id: int, name: str, slots: str | None = None, kind: str | None = None,
             keeper_id: int | None = None, active: bool = True) -> CallRoom:
    """Add or change a room of the school (``guanai rooms set``). The caller commits.

    Raises:
        call_slots.SlotError: the slot text cannot be read (nothing is changed).
        ValueError: the kind is not ``phone`` or ``video``.
    """
    if slots is not None:
        call_slots.parse(slots)
    if kind is not None and kind not in ("phone", "video"):
        raise ValueError(kind)
    s = uow.session
    room = s.scalar(select(CallRoom).where(CallRoom.school_id == school_id, CallRoom.name == name))
    if room is None:
        room = CallRoom(school_id=school_id, name=name, kind=kind or "phone", slots=slots or call_slots.DEFAULT_SLOTS)
        s.add(room)
    if slots is not None:
        room.slots = slots
    if kind is not None:
        room.kind = kind
    if keeper_id is not None:
        room.keeper_id = keeper_id
    room.active = active
    s.flush()
    return room


def rooms(uow: UnitOfWork, school_id: int) -> list[CallRoom]:
    """The school's rooms, the one in use first."""
    return list(uow.session.scalars(select(CallRoom).where(CallRoom.school_id == school_id)
                                    .order_by(CallRoom.active.desc(), CallRoom.id)))


def slots_for_child(uow: UnitOfWork, *, child_id: int, now: datetime, default_tz: str
                    ) -> tuple[str, list[tuple[datetime, int]]]:
    """The room a call for this child would use (its name) and its next free slots."""
    child = uow.session.get(Child, child_id)
    if child is None:
        return "", []
    school = uow.session.get(School, child.school_id)
    room = room_for(uow, child.school_id)
    return room.name, free_slots(uow, room=room, now=now, tz=school.timezone if school else default_tz)


def waiting_for(uow: UnitOfWork, *, person_id: int, school_id: int) -> list[int]:
    """Ids of the requested calls this person is to confirm (``/due``), earliest slot first."""
    calls = uow.session.scalars(select(FamilyCall).where(FamilyCall.school_id == school_id,
                                                         FamilyCall.status == CallStatus.REQUESTED.value)
                                .order_by(FamilyCall.starts_at, FamilyCall.id)).all()
    return [c.id for c in calls if person_id in confirmers(uow, c)]


def ask_prompt(uow: UnitOfWork, call_id: int) -> Prompt:
    """The confirm / decline question of a requested call (sent to the keeper, and shown again in ``/due``)."""
    call = uow.session.get(FamilyCall, call_id)
    asker = (uow.session.get(Person, call.requested_by_id)
             if call is not None and call.requested_by_id is not None else None)
    return Prompt(N_("{asker} asks for a family call: {child} with {parent} ({relation}), {when}, {room}."),
                  {**describe(uow, call_id), "asker": text(asker.name if asker else "")},
                  choices=(Choice(N_("Confirm"), payloads.call_decision(call_id, confirm=True)),
                           Choice(N_("Turn down the call"), payloads.call_decision(call_id, confirm=False))),
                  kind=PromptKind.TASK)
