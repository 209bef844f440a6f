"""/call (亲情电话): ask for a family call; and the keeper's record of a call after it.

Booking: the child (a parent's or guardian's own children are offered; a
teacher names the child) → which parent, when the child has two on record
and the asker is not one of them → a free slot of the school's room. A
teacher's request is booked at once; a family's waits for the keeper's or
class teacher's Confirm (``fc:<call>:y|n``).

Record (``fl:<call>:h|n``, sent after the slot): held → how many minutes →
a note (or Skip); did not happen → a note (or Skip). See docs/flows/calls.md.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.flows import call_changes, pick
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.labels import RELATION_LABELS
from bot.messages.prompt import N_, Prompt, dt, msg, text
from bot.services import access, child_names, family_calls
from bot.services import family_call_changes as changes
from bot.services.access import ChildRef, Purpose
from bot.services.family_calls import Outcome

log = logging.getLogger(__name__)
FLOW = "call"
LOG_FLOW = "call_log"
MAX_LISTED = 12


class State(StrEnum):
    """The states of both flows."""

    PICK_CHILD = "pick_child"
    PICK_PARENT = "pick_parent"
    PICK_SLOT = "pick_slot"
    MINUTES = "minutes"
    NOTE = "note"


CANCEL = Option(N_("Cancel"), "cancel")
SKIP = Option(N_("Skip"), "skip")
ALREADY = N_("This was already answered; the first answer stands.")


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """``/call [name]``: the child first (a family's own children are offered)."""
    actor = ctx.bound()
    ctx.finish()
    manage = (call_changes.MANAGE,) if not name and changes.upcoming(ctx.uow, actor=actor, now=ctx.now) else ()
    if name:
        children = pick.by_name(ctx, name, Purpose.VIEW)
        if not children:
            return [say(pick.NOT_FOUND, name=text(name))]
    else:
        children = family_calls_children(ctx)
        if not children or len(children) > MAX_LISTED:
            if manage:  # a teacher with calls booked: change one, or name the child of a new one
                return [ctx.ask(FLOW, State.PICK_CHILD, N_("Send /call and the child's name to book a family call, "
                                                           "or move or cancel one you booked:"),
                                options=(*manage, CANCEL))]
            return [say(N_("Which child is the call for? Send /call and the child's name, e.g. /call 张三."))]
    if len(children) == 1 and not manage:
        return _child_chosen(ctx, children[0])
    log.info("person %s asks for a family call: %s children offered", actor.person_id, len(children))
    return [ctx.ask(FLOW, State.PICK_CHILD, N_("Which child is the family call for?"),
                    options=[*pick.options_for(ctx, children), *manage, CANCEL])]  # namesakes told apart


def family_calls_children(ctx: Ctx) -> list[ChildRef]:
    """The children this person may ask a call for (a teacher's whole class is too many: they name one)."""
    return access.find_children(ctx.uow, ctx.bound(), purpose=Purpose.VIEW)


def _child_chosen(ctx: Ctx, child: ChildRef) -> list[Prompt]:
    actor = ctx.bound()
    parents = family_calls.parents_of(ctx.uow, child.id)
    ctx.values.update(child_id=child.id, child_name=child.name, child_label=child_names.label(ctx.uow, child.id))
    if not parents:
        ctx.finish()
        return [say(N_("No parent of {name} is on record, so there is nobody to call."), name=text(child.name))]
    mine = [p for p in parents if p.id == actor.person_id]
    if mine or len(parents) == 1:
        return _ask_slot(ctx, (mine or parents)[0].id)
    return [ctx.ask(FLOW, State.PICK_PARENT, N_("Who will {name} talk with?"), {"name": ctx.values["child_label"]},
                    options=[*(Option(N_("{name} ({relation})"), f"p{p.id}",
                                      {"name": text(p.name), "relation": _relation(p.relation)}) for p in parents),
                             CANCEL])]


def _relation(kind: str) -> dict[str, Any]:
    return msg(RELATION_LABELS.get(kind, N_("parent")))


def _ask_slot(ctx: Ctx, parent_id: int) -> list[Prompt]:
    room, slots = family_calls.slots_for_child(ctx.uow, child_id=int(ctx.values["child_id"]), now=ctx.now,
                                               default_tz=ctx.timezone)
    ctx.values["parent_id"] = parent_id
    if not slots:
        ctx.finish()
        return [say(N_("{room} has no free slot in the next two weeks. Please ask the class teacher."),
                    room=text(room))]
    return [ctx.ask(FLOW, State.PICK_SLOT, N_("{room}: choose a time for {name}'s family call."),
                    {"room": text(room), "name": ctx.values.get("child_label") or text("")},
                    options=[*(Option(N_("{when}"), f"s{int(at.timestamp())}", {"when": dt(at)})
                               for at, _minutes in slots), CANCEL])]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A child, a parent or a slot picked; Skip in the record."""
    if ctx.conv.flow == LOG_FLOW:
        return _log_choice(ctx, value)
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    state = ctx.conv.state
    if state == State.PICK_CHILD and value == "manage":
        return call_changes.start(ctx)
    if state == State.PICK_CHILD:
        child = pick.by_choice(ctx, value, Purpose.VIEW)
        if child is None:
            ctx.finish()
            return [say(INVALID_BUTTON)]
        return _child_chosen(ctx, child)
    if state == State.PICK_PARENT:
        return _ask_slot(ctx, int(value[1:]))
    starts_at = datetime.fromtimestamp(int(value[1:]), tz=ctx.now.tzinfo)
    outcome, _call = family_calls.request(ctx.uow, actor=ctx.bound(), child_id=int(ctx.values["child_id"]),
                                          parent_id=int(ctx.values["parent_id"]), starts_at=starts_at, now=ctx.now)
    if outcome is Outcome.TAKEN:
        return [say(N_("Sorry, that time was just taken. Please choose another.")),
                *_ask_slot(ctx, int(ctx.values["parent_id"]))]
    name = ctx.values.get("child_label") or text("")
    ctx.finish()
    if outcome is Outcome.BOOKED:
        return [say(N_("Booked: {name}'s family call at {when}. Both sides will be reminded an hour before."),
                    name=name, when=dt(starts_at))]
    if outcome is Outcome.REQUESTED:
        return [say(N_("Asked for {when}. The school will confirm, and I will tell you."), when=dt(starts_at))]
    return [say(INVALID_BUTTON)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """A typed name (several children), the call's minutes or its note."""
    if ctx.conv.flow != LOG_FLOW:
        return None
    if ctx.conv.state == State.MINUTES:
        digits = unicodedata.normalize("NFKC", typed).strip().removesuffix("分钟").strip()
        if not digits.isdecimal() or not 1 <= int(digits) <= 600:
            return [say(N_("Please reply with the number of minutes, such as 15.")), _ask_minutes(ctx)]
        ctx.values["minutes"] = int(digits)
        return [_ask_note(ctx)]
    problem = text_problem(typed)
    if problem is not None:
        return [problem, _ask_note(ctx)]
    return _save(ctx, typed.strip())


def on_log_button(ctx: Ctx, call_id: int, held: bool) -> list[Prompt]:
    """The record's first answer: held (then minutes) or not (then a note)."""
    state = family_calls.loggable(ctx.uow, call_id=call_id, person_id=ctx.bound().person_id)
    if state is Outcome.ALREADY:
        return [say(ALREADY)]
    if state is not Outcome.DONE:
        return [say(INVALID_BUTTON)]
    ctx.finish()
    ctx.conv.data["v"] = {"call_id": call_id, "held": held}
    return [_ask_minutes(ctx) if held else _ask_note(ctx)]


def _ask_minutes(ctx: Ctx) -> Prompt:
    return ctx.ask(LOG_FLOW, State.MINUTES, N_("How many minutes did the call of {child} with {parent} last?"),
                   family_calls.describe(ctx.uow, int(ctx.values["call_id"])), free_text=True)


def _ask_note(ctx: Ctx) -> Prompt:
    question = (N_("A note for the record (how it went, anything to follow up), or Skip.") if ctx.values.get("held")
                else N_("Why did it not happen? A note for the record, or Skip."))
    return ctx.ask(LOG_FLOW, State.NOTE, question, options=(SKIP,), prose=True)


def _log_choice(ctx: Ctx, value: str) -> list[Prompt]:
    return _save(ctx, None)


def _save(ctx: Ctx, note: str | None) -> list[Prompt]:
    outcome = family_calls.record(ctx.uow, call_id=int(ctx.values["call_id"]), person_id=ctx.bound().person_id,
                                  held=bool(ctx.values.get("held")), minutes=ctx.values.get("minutes"), note=note,
                                  now=ctx.now)
    ctx.finish()
    if outcome is Outcome.ALREADY:
        return [say(ALREADY)]
    return [say(N_("The family call is recorded. Thank you."))] if outcome is Outcome.DONE else [say(INVALID_BUTTON)]


def on_decision(ctx: Ctx, call_id: int, confirm: bool) -> list[Prompt]:
    """Confirm or Decline of a family's request."""
    outcome = family_calls.decide(ctx.uow, call_id=call_id, person_id=ctx.bound().person_id, confirm=confirm,
                                  now=ctx.now)
    if outcome is Outcome.ALREADY:
        return [say(ALREADY)]
    if outcome is Outcome.NOT_ALLOWED:
        return [say(INVALID_BUTTON)]
    about = family_calls.describe(ctx.uow, call_id)
    if outcome is Outcome.BOOKED:
        return [say(N_("Confirmed: {child} with {parent}, {when}. Both sides are told and will be reminded."),
                    **about)]
    return [say(N_("Declined: the family is asked to choose another time."))]
