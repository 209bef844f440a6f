"""A family member's words while their 【紧急】 message is still unanswered: its follow-up, sent at once.

Split from :mod:`bot.flows.relay` (fixa): 孩子不见了 typed at 23:10 a minute after 孩子發高燒抽筋了 must
reach the class teacher now, marked as the first message's follow-up, never be held by quiet hours
(:func:`bot.services.urgent_messages.follow_up` writes it in the urgent lane and links it to the first).
"""

from __future__ import annotations

from dataclasses import replace

from bot.flows.common import Ctx, say
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import family_messages, urgent_messages

FOLLOWED = N_("Thank you. Your message about {child} was sent at once to {reader} ({role}) with your urgent "
              "message: they will phone you or answer here.")


def followed(ctx: Ctx, child_id: int, body: str | None, media: tuple[tuple[str, str], ...]) -> Prompt | None:
    """Send ``body`` (and ``media``) as the follow-up of the writer's open 【紧急】 message about ``child_id``.

    Returns:
        What the writer is told, or ``None`` when no urgent message of theirs about the child is open (or the
        words repeat it exactly: 30 × 救命 rings the teacher once), so the words take the ordinary path.
    """
    actor = ctx.bound()
    first = urgent_messages.open_urgent(ctx.uow, from_person_id=actor.person_id, child_id=child_id, now=ctx.now)
    if first is None:
        return None
    more = urgent_messages.follow_up(ctx.uow, open_id=first, from_person_id=actor.person_id, child_id=child_id,
                                     body=body, media=media, channel=ctx.channel, now=ctx.now)
    if more is None:
        return None
    return replace(say(FOLLOWED, child=text(more.child), reader=text(more.reader),
                       role=msg(ROLE_LABELS.get(more.reader_role, N_("teacher")))),
                   lines=family_messages.cut_line(body))
