"""``收到`` at a family's URGENT message: the teacher has seen it, the family is told, the chain stops (issue 6).

While a family's URGENT message (【紧急】, :mod:`bot.services.urgent_messages`) is
the question shown to its reader (or a backup it reached,
:mod:`bot.services.urgent_escalation`), an everyday acknowledgement (``收到``,
``好的``, ``ok``) is that person taking it on: nobody else is reminded or told,
the family hears who has seen it, and the Reply stays open for the answer.
"""

from __future__ import annotations

from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import urgent_escalation

SEEN = N_("Recorded: {name} is told you have seen the urgent message, and nobody else will be alerted. "
          "Please phone them now; answer with Reply when you can.")


def on_text(ctx: Ctx, top: dict[str, Any], typed: str) -> list[Prompt] | None:
    """The acknowledgement of the URGENT family message shown; None when it is not one."""
    if ctx.actor is None or not everyday.is_acknowledgement(ctx.locale, typed):
        return None
    for choice in agenda_flow.offer_choices(top):
        pressed = payloads.decode(choice.payload)
        if isinstance(pressed, payloads.FamilyReply):
            writer = urgent_escalation.acknowledge_by(ctx.uow, person_id=ctx.actor.person_id,
                                                      message_id=pressed.message_id, now=ctx.now)
            return [say(SEEN, name=text(writer))] if writer is not None else None
    return None
