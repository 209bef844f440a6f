"""What a family member is told when a reply acknowledged their alerts (split from :mod:`bot.flows.reached`, fix6x)."""

from __future__ import annotations

from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import relay as family_flow
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import incident_replies

ACKED = N_("Thank you: your acknowledgement of the alert about {children} is recorded.")
RELAYED = N_("{reporter} (who reported it) will read your message.")
RELAYED_ALL = N_("{readers} will read your message.")


def answered(ctx: Ctx, incident_ids: list[int]) -> None:
    """The alerts' acknowledge questions are answered now: they leave the chat's agenda."""
    for incident_id in incident_ids:
        agenda_flow.drop_answered(ctx, payloads.incident_ack(incident_id))


def notice(ctx: Ctx, done: incident_replies.Reached) -> Prompt:
    """"Thank you: your acknowledgement of the alert about 刘帅 is recorded", and who reads the words."""
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    if any(role != "reporter" for _, role in done.readers):  # the class teacher too (conv6s): each named
        lines = ((RELAYED_ALL, {"readers": family_flow.readers_param(list(dict.fromkeys(done.readers)))}),)
    elif done.relayed_to:
        lines = ((RELAYED, {"reporter": [text(n) for n in dict.fromkeys(done.relayed_to)]}),)
    return Prompt(ACKED, {"children": [text(n) for n in dict.fromkeys(done.children)]}, lines=lines)
