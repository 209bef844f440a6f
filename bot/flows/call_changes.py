"""A teacher moves or cancels a family call they set (``/call`` → Move or cancel a family call).

Which call (when there are several) → Move to another time / Cancel the call
→ a free slot of the room, or a confirmation of the cancellation (typed,
never a bare number). Everyone concerned is told
(``bot.services.family_call_changes``). See docs/flows/calls.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Prompt, dt
from bot.services import family_call_changes as changes
from bot.services import family_calls
from bot.services.family_calls import Outcome

FLOW = "call_change"


class State(StrEnum):
    """The flow's states."""

    PICK = "pick"
    ACTION = "action"
    SLOT = "slot"
    CONFIRM_CANCEL = "confirm_cancel"


LEAVE = Option(N_("Leave it as it is"), "leave")
GONE = N_("That family call can no longer be changed (it has started, or was cancelled or declined).")
MANAGE = Option(N_("Move or cancel a family call"), "manage")


def start(ctx: Ctx) -> list[Prompt]:
    """Which of this teacher's upcoming calls (straight to it when there is one)."""
    mine = changes.upcoming(ctx.uow, actor=ctx.bound(), now=ctx.now)
    ctx.finish()
    if not mine:
        return [say(GONE)]
    if len(mine) == 1:
        return [_action(ctx, mine[0])]
    options = [Option(N_("{child} with {parent}, {when}"), f"c{c}", family_calls.describe(ctx.uow, c)) for c in mine]
    return [ctx.ask(FLOW, State.PICK, N_("Which family call do you want to move or cancel?"),
                    options=(*options, LEAVE))]


def _action(ctx: Ctx, call_id: int) -> Prompt:
    ctx.values["call_id"] = call_id
    return ctx.ask(FLOW, State.ACTION, N_("Family call: {child} with {parent} ({relation}), {when}, {room}."),
                   family_calls.describe(ctx.uow, call_id),
                   options=(Option(N_("Move to another time"), "move"), Option(N_("Cancel the call"), "cancel"),
                            LEAVE))


def _ask_slot(ctx: Ctx, call_id: int) -> list[Prompt]:
    free = changes.slots(ctx.uow, call_id=call_id, now=ctx.now, default_tz=ctx.timezone)
    if not free:
        ctx.finish()
        return [say(N_("The room has no other free slot in the next two weeks. Nothing was changed."))]
    return [ctx.ask(FLOW, State.SLOT, N_("The new time for the call of {child} with {parent} (now {when}):"),
                    family_calls.describe(ctx.uow, call_id),
                    options=(*(Option(N_("{when}"), f"s{int(at.timestamp())}", {"when": dt(at)}) for at, _m in free),
                             LEAVE))]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A call picked; move, cancel, a slot, the confirmation."""
    actor = ctx.bound()
    if value == "leave":
        ctx.finish()
        return [say(N_("Nothing was changed."))]
    if ctx.conv.state == State.PICK:
        return [_action(ctx, int(value[1:]))]
    call_id = int(ctx.values["call_id"])
    if changes.changeable(ctx.uow, actor=actor, call_id=call_id, now=ctx.now) is None:
        ctx.finish()
        return [say(GONE)]
    if value == "move":
        return _ask_slot(ctx, call_id)
    if value == "cancel":
        return [ctx.ask(FLOW, State.CONFIRM_CANCEL,
                        N_("Cancel the family call of {child} with {parent}, {when}? Both sides will be told."),
                        family_calls.describe(ctx.uow, call_id),
                        options=(Option(N_("Yes, cancel the call"), "confirm_cancel", typed=True), LEAVE))]
    if value == "confirm_cancel":
        changes.cancel(ctx.uow, actor=actor, call_id=call_id, now=ctx.now)
        ctx.finish()
        return [say(N_("The family call is cancelled; both sides are told."))]
    starts_at = datetime.fromtimestamp(int(value[1:]), tz=ctx.now.tzinfo)
    outcome = changes.move(ctx.uow, actor=actor, call_id=call_id, starts_at=starts_at, now=ctx.now)
    if outcome is Outcome.TAKEN:
        return [say(N_("Sorry, that time was just taken. Please choose another.")), *_ask_slot(ctx, call_id)]
    ctx.finish()
    return [say(N_("Moved: the family call of {child} with {parent} is now {when}. Both sides are told and will be "
                   "reminded."), **family_calls.describe(ctx.uow, call_id))]


def on_text(_ctx: Ctx, _typed: str) -> list[Prompt] | None:
    """Nothing is typed in this flow (its answers are choices)."""
    return None
