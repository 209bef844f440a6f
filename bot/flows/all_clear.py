"""``没事了`` from a family member who answered an incident alert lately: news for everyone alerted (conv6l c).

Within the follow-up window after acknowledging (the one the reporter gets
the family's further words in, :data:`bot.services.incident_replies.FOLLOW_UP`),
an everyday "all clear" (``没事了``, ``好了没事了``, ``all clear``) is no mere
"ok": it reaches the reporter and everyone else the incident reached, naming
the child (:mod:`bot.services.incident_all_clear`). Outside the window, or
without an open incident, the words are handled as before.
"""

from __future__ import annotations

from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages, incident_all_clear, incident_replies

# The names come last, after a colon: the sentence reads the same for one name or several.
PASSED_ALL_CLEAR = N_("Thank you. Your words about {child} were passed to those alerted about the incident: {names}.")


def all_clear(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The reply to an "all clear" after an alert; None when ``typed`` is none, or no alert was answered lately."""
    if ctx.actor is None or not everyday.matches(ctx.locale, "all_clear", typed):
        return None
    children = family_messages.family_children(ctx.uow, ctx.actor.person_id)
    child_id = incident_replies.followed_child(ctx.uow, person_id=ctx.actor.person_id,
                                               child_ids=[c.id for c in children], now=ctx.now)
    if child_id is None:
        return None
    told = incident_all_clear.pass_all_clear(ctx.uow, person_id=ctx.actor.person_id, child_id=child_id,
                                             words=typed.strip(), now=ctx.now)
    if not told:
        return None
    child = next(c.name for c in children if c.id == child_id)
    return [say(PASSED_ALL_CLEAR, child=text(child), names=[text(n) for n in told])]
