"""The organiser moves or cancels a meeting they called (``/meeting`` → Move or cancel a meeting I called).

Which meeting (when there are several) → the replies as they stand, with
Move to another time / Cancel the meeting → the new date and time, typed as
when calling it, and a confirmation; or a confirmation of the cancellation
(typed, never a bare number: it cannot be undone). Everyone invited is told
(``bot.services.meeting_changes``). See docs/flows/meetings.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.domain.meetings import parse_when
from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Prompt, dt, plural
from bot.services import meeting_changes as changes
from bot.services import meetings

FLOW = "meeting_change"


class State(StrEnum):
    """The flow's states."""

    PICK = "pick"
    ACTION = "action"
    WHEN = "when"
    CONFIRM_MOVE = "confirm_move"
    CONFIRM_CANCEL = "confirm_cancel"


LEAVE = Option(N_("Leave it as it is"), "leave")
UNCHANGED = N_("Nothing was changed.")
GONE = N_("That meeting can no longer be changed (it has started or was cancelled).")


def start(ctx: Ctx) -> list[Prompt]:
    """Which of this organiser's upcoming meetings (straight to it when there is one)."""
    mine = changes.upcoming_organised(ctx.uow, person_id=ctx.bound().person_id, now=ctx.now)
    ctx.finish()
    if not mine:
        return [say(GONE)]
    if len(mine) == 1:
        return [_action(ctx, mine[0])]
    options = [Option(N_("{kind}, {when}"), f"m{m}", meetings.about(ctx.uow, m)) for m in mine]
    return [ctx.ask(FLOW, State.PICK, N_("Which meeting do you want to move or cancel?"), options=(*options, LEAVE))]


def _action(ctx: Ctx, meeting_id: int) -> Prompt:
    ctx.values["meeting_id"] = meeting_id
    summary = changes.summary(ctx.uow, meeting_id)
    return ctx.ask(FLOW, State.ACTION,
                   *plural("{kind}, {when}, at {place}: {invited} invited; {yes} will come, {no} cannot come, {none} "
                           "has not replied yet.",
                           "{kind}, {when}, at {place}: {invited} invited; {yes} will come, {no} cannot come, {none} "
                           "have not replied yet.", summary["none"], **summary),
                   options=(Option(N_("Move to another time"), "move"), Option(N_("Cancel the meeting"), "cancel"),
                            LEAVE))


def _ask_when(ctx: Ctx) -> Prompt:
    return ctx.ask(FLOW, State.WHEN, N_("The new date and time? For example 10 December 15:00."), options=(LEAVE,),
                   free_text=True)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """A meeting picked; move, cancel, leave; the confirmations."""
    person_id = ctx.bound().person_id
    if value == "leave":
        ctx.finish()
        return [say(UNCHANGED)]
    if ctx.conv.state == State.PICK:
        return [_action(ctx, int(value[1:]))]
    meeting_id = int(ctx.values["meeting_id"])
    if changes.changeable(ctx.uow, meeting_id=meeting_id, person_id=person_id, now=ctx.now) is None:
        ctx.finish()
        return [say(GONE)]
    if value == "move":
        return [_ask_when(ctx)]
    if value == "cancel":
        summary = changes.summary(ctx.uow, meeting_id)
        return [ctx.ask(FLOW, State.CONFIRM_CANCEL,
                        *plural("Cancel the {kind} of {when}? The {invited} person invited will be told. This "
                                "cannot be undone.",
                                "Cancel the {kind} of {when}? The {invited} people invited will be told. This "
                                "cannot be undone.", summary["invited"], **summary),
                        options=(Option(N_("Yes, cancel the meeting"), "confirm_cancel", typed=True), LEAVE))]
    if value == "confirm_move":
        told = changes.move(ctx.uow, meeting_id=meeting_id, person_id=person_id,
                            starts_at=datetime.fromisoformat(str(ctx.values["when"])), now=ctx.now)
        ctx.finish()
        return [Prompt(*plural("Moved. The {count} person invited is told the new time and asked again whether they "
                               "can come.",
                               "Moved. The {count} people invited are told the new time and asked again whether they "
                               "can come.", told or 0, count=told or 0))]
    told = changes.cancel(ctx.uow, meeting_id=meeting_id, person_id=person_id, now=ctx.now)
    ctx.finish()
    return [Prompt(*plural("The meeting is cancelled. The {count} person invited is told.",
                           "The meeting is cancelled. The {count} people invited are told.", told or 0,
                           count=told or 0))]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The new date and time."""
    if ctx.conv.state != State.WHEN:
        return None
    when = parse_when(typed, ctx.now, ctx.timezone)
    if when is None:
        return [say(N_("Please give a date and time within the next six months, such as 10 December 15:00.")),
                _ask_when(ctx)]
    ctx.values["when"] = when.isoformat()
    meeting_id = int(ctx.values["meeting_id"])
    summary = changes.summary(ctx.uow, meeting_id)
    return [ctx.ask(FLOW, State.CONFIRM_MOVE,
                    *plural("Move the {kind} from {old} to {new}? The {invited} person invited will be told and "
                            "asked again whether they can come.",
                            "Move the {kind} from {old} to {new}? The {invited} people invited will be told and "
                            "asked again whether they can come.", summary["invited"],
                            **summary, old=meetings.about(ctx.uow, meeting_id)["when"], new=dt(when)),
                    options=(Option(N_("Move it"), "confirm_move"), LEAVE))]
