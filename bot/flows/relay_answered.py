"""When a family member's words went to two readers (the reporter and the class teacher), the other's answer.

Split from :mod:`bot.flows.relay` (conv6s): the second reader who presses Reply sees who answered, when and
what, and may still write an answer of their own (:mod:`bot.services.family_copies`).
"""

from __future__ import annotations

from dataclasses import replace

from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, dt, text
from bot.services import family_copies

ANSWERED_BY = N_("{name} already answered this message at {at}:")
MORE_MAY_FOLLOW = N_("You may still write an answer of your own; it is sent as well.")


def by_other(ctx: Ctx, message_id: int) -> list[Prompt]:
    """The answer another reader of the same words gave (the reporter and the class teacher: conv6s)."""
    earlier = family_copies.answered_by_other(ctx.uow, message_id, ctx.bound().person_id)
    if earlier is None:
        return []
    told = say(ANSWERED_BY, name=text(earlier[0]), at=dt(earlier[1]))
    return [replace(told, lines=((N_("“{words}”"), {"words": text(earlier[2])}), (MORE_MAY_FOLLOW, {})))]
