"""``/card 杨婷`` (or ``/talks``, ``/card`` alone) in the middle of a talk: a look, and the talk goes on.

A teacher halfway through a talk who wants to look at a child's card has
nothing to drop: the card is shown as it is read (without its "Correct …"
answers, which would take the numbers of the question waiting), and the
talk's question is asked again after it, as after ``/due``
(:func:`bot.flows.agenda.beside_current`). Typed at "Drop it?" the card once
threw the talk away (``已放弃与杨婷的谈心记录``: a new-user trial); now "Drop it?"
is asked again after the card. A name that needs a question (namesakes, or
"did you mean …?") is no look: None, and the caller asks "Drop it?" as for any
other command (DESIGN.md "Conversations").
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

from bot.flows import agenda as agenda_flow
from bot.flows import card
from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, text

LOOKS: dict[str, Callable[[Ctx, str], list[Prompt]]] = {"card": card.start, "talks": card.talks_command}
"""The look-only commands (``bot.flows.commands.COMMANDS`` values) → their handlers."""

TO_CORRECT = N_("To correct {child}'s card, send /card {child} again when you have finished.")


def glance(ctx: Ctx, command: str, arg: str) -> list[Prompt] | None:
    """``command`` shown beside the running flow, which stays as it was; None when it is no look or asks.

    The running flow (its state, values and question) is kept aside while the card is read and put back
    with its question re-stamped (its earlier buttons keep working), then asked again after the card.
    """
    look = LOOKS.get(command)
    if look is None or ctx.actor is None:
        return None
    flow, state, data = ctx.conv.flow, ctx.conv.state, copy.deepcopy(ctx.conv.data)
    ctx.conv.flow, ctx.conv.state, ctx.conv.data = None, None, {}
    shown = look(ctx, arg)
    asks = ctx.conv.flow == card.FLOW and ctx.conv.state == card.State.WHICH
    correctable = ctx.conv.flow == card.FLOW and ctx.conv.state == card.State.CARD
    child = str(ctx.values.get("child_name") or "")
    if flow:
        agenda_flow.restore(ctx, flow, state, data)
    else:
        ctx.finish()
    if asks:
        return None
    looked = [replace(p, choices=()) for p in shown]
    if correctable and looked:
        looked[-1] = replace(looked[-1], lines=(*looked[-1].lines, (TO_CORRECT, {"child": text(child)})))
    return agenda_flow.beside_current(ctx, looked)
