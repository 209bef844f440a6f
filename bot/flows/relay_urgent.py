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
FOLLOWED_FAMILY = N_("Thank you. Your message about {child} was sent at once to {reader} ({role}) with the urgent "
                     "message from {writer}: they will phone you or answer here.")


def followed(ctx: Ctx, child_id: int, body: str | None, media: tuple[tuple[str, str], ...]) -> Prompt | None:
    """Send ``body`` (and ``media``) as the follow-up of the open 【紧急】 message about ``child_id``.

    The writer's own one first, else one another family member of the child sent (fixg): the emergency is
    the family's, and words about the child while it is open never wait for the morning.

    Returns:
        What the writer is told, or ``None`` when no urgent message about the child is open (or the
        words repeat it exactly: 30 × 救命 rings the teacher once), so the words take the ordinary path.
    """
    actor = ctx.bound()
    first = urgent_messages.open_urgent(ctx.uow, from_person_id=actor.person_id, child_id=child_id, now=ctx.now)
    others = ""
    if first is None:  # the mother's 孩子怎么了？ while the grandfather's 【紧急】 message is open: it goes with it
        first = urgent_messages.open_urgent(ctx.uow, child_id=child_id, now=ctx.now, writer_id=actor.person_id)
        others = urgent_messages.writer_name(ctx.uow, first) if first is not None else ""
    if first is None:
        return None
    more = urgent_messages.follow_up(ctx.uow, open_id=first, from_person_id=actor.person_id, child_id=child_id,
                                     body=body, media=media, channel=ctx.channel, now=ctx.now)
    if more is None:
        return None
    role = msg(ROLE_LABELS.get(more.reader_role, N_("teacher")))
    told = (say(FOLLOWED_FAMILY, child=text(more.child), reader=text(more.reader), role=role, writer=text(others))
            if others else say(FOLLOWED, child=text(more.child), reader=text(more.reader), role=role))
    return replace(told, lines=family_messages.cut_line(body))
