"""A booked or requested family call moved to another slot, or cancelled, by the teacher who set it.

Who may: a teacher (staff) who asked for the call or confirms the school's
calls (the room's keeper, else the child's class teacher), while the call has
not started. Moving takes a free slot of the room like a request
(``bot.services.family_calls.free_slots``; one call per slot); the old time's
reminders and record request are stopped and everyone concerned (the parent,
the asker, the keeper) is told the new time and reminded of it. Cancelling
frees the slot and tells everyone concerned.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain.enums import STAFF_ROLES, Priority
from bot.messages.prompt import N_, Prompt, PromptKind, dt
from bot.services.family_calls import CallStatus, Outcome, _book, _describe, confirmers, free_slots, sides
from bot.services.identity import Actor
from bot.services.outbox import enqueue
from bot.services.outbox_cancel import cancel_pending
from bot.services.ports import UnitOfWork
from bot.store.models import CallRoom, FamilyCall, School

log = logging.getLogger(__name__)
OPEN = (CallStatus.REQUESTED.value, CallStatus.BOOKED.value)
MAX_SHOWN = 8


def _may_change(uow: UnitOfWork, actor: Actor, call: FamilyCall) -> bool:
    return bool(STAFF_ROLES & actor.roles) and (call.requested_by_id == actor.person_id
                                                 or actor.person_id in confirmers(uow, call))


def changeable(uow: UnitOfWork, *, actor: Actor, call_id: int, now: datetime) -> FamilyCall | None:
    """The call, when this teacher may move or cancel it now (asked for or booked, not started)."""
    call = uow.session.get(FamilyCall, call_id)
    if call is None or call.status not in OPEN or call.starts_at <= now or not _may_change(uow, actor, call):
        return None
    return call


def upcoming(uow: UnitOfWork, *, actor: Actor, now: datetime) -> list[int]:
    """Ids of the calls this teacher may move or cancel, soonest first."""
    if not STAFF_ROLES & actor.roles:
        return []
    calls = uow.session.scalars(select(FamilyCall).where(
        FamilyCall.school_id == actor.school_id, FamilyCall.status.in_(OPEN), FamilyCall.starts_at > now)
        .order_by(FamilyCall.starts_at, FamilyCall.id)).all()
    return [c.id for c in calls if _may_change(uow, actor, c)][:MAX_SHOWN]


def slots(uow: UnitOfWork, *, call_id: int, now: datetime, default_tz: str) -> list[tuple[datetime, int]]:
    """The free slots of the call's room it could move to."""
    call = uow.session.get(FamilyCall, call_id)
    room = uow.session.get(CallRoom, call.room_id) if call is not None else None
    if call is None or room is None:
        return []
    school = uow.session.get(School, call.school_id)
    return free_slots(uow, room=room, now=now, tz=school.timezone if school else default_tz)


def move(uow: UnitOfWork, *, actor: Actor, call_id: int, starts_at: datetime, now: datetime) -> Outcome:
    """Move the call to a free slot; everyone concerned is told and reminded of the new time. The caller commits.

    Returns BOOKED, TAKEN (the slot went meanwhile) or NOT_ALLOWED.
    """
    s = uow.session
    call = changeable(uow, actor=actor, call_id=call_id, now=now)
    if call is None:
        return Outcome.NOT_ALLOWED
    found = next((m for at, m in slots(uow, call_id=call_id, now=now, default_tz="Asia/Shanghai") if at == starts_at),
                 None)
    if found is None:
        return Outcome.TAKEN
    old = call.starts_at
    call.starts_at, call.minutes, call.slot_key = starts_at, found, f"{call.room_id}:{starts_at.isoformat()}"
    if uow.dialect == "sqlite":  # one writer at a time
        s.flush()
    else:
        try:
            with s.begin_nested():  # a family asking for the same slot at once: one of the two gets it
                s.flush()
        except IntegrityError:
            return Outcome.TAKEN
    cancel_pending(s, key_prefix=f"call:{call.id}:", now=now)
    _book(uow, call, actor.person_id, now, tag=f":m{int(starts_at.timestamp())}", extra={"old": dt(old)},
          notice=N_("Family call moved: {child} with {parent} ({relation}) is now {when} (instead of {old}), "
                    "{room}."))
    log.info("family call %s moved by %s", call.id, actor.person_id)
    return Outcome.BOOKED


def cancel(uow: UnitOfWork, *, actor: Actor, call_id: int, now: datetime) -> Outcome:
    """Cancel the call: its slot is free again, everyone concerned is told. The caller commits."""
    call = changeable(uow, actor=actor, call_id=call_id, now=now)
    if call is None:
        return Outcome.NOT_ALLOWED
    cancel_pending(uow.session, key_prefix=f"call:{call.id}:", now=now)
    call.status, call.slot_key, call.decided_by_id, call.decided_at = (CallStatus.CANCELLED.value, None,
                                                                        actor.person_id, now)
    about = _describe(uow, call)
    for person_id in sides(uow, call):
        if person_id != actor.person_id:
            enqueue(uow.session, key=f"call:{call.id}:cancelled:{person_id}", person_id=person_id,
                    priority=Priority.BULK, now=now,
                    prompt=Prompt(N_("Family call cancelled: {child} with {parent} ({relation}), {when}, {room}, "
                                     "will not take place. Ask the school or send /call (亲情电话) for another "
                                     "time."), about, kind=PromptKind.NOTICE))
    log.info("family call %s cancelled by %s", call.id, actor.person_id)
    return Outcome.DONE
