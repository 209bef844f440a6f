"""``没事了`` from a family member who answered an incident alert lately: news for everyone alerted (conv6l c).

Within the follow-up window after acknowledging (the one the reporter gets
the family's further words in, :data:`bot.services.incident_replies.FOLLOW_UP`),
an everyday "all clear" (``没事了``, ``孩子找到了``, ``all clear``) is no mere
"ok": it reaches the reporter and everyone else the incident reached, naming
the child (:mod:`bot.services.incident_all_clear`). Outside the window, or
without an open incident, the words are handled as before.

:func:`intercept` is the one entry point: the runner hands it every typed text
of a bound person before anything shown may take the words (a check-in, a
talk or another flow's question, a note, the relay's "which child?"), so every
path and channel behaves the same, and whatever was waiting is asked again.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import agenda as agenda_flow
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages, incident_all_clear, incident_replies

# The names come last, after a colon: the sentence reads the same for one name or several.
PASSED_ALL_CLEAR = N_("Thank you. Your words about {child} were passed to those alerted about the incident: {names}.")


def intercept(ctx: Ctx, typed: str, again: Callable[[Ctx], list[Prompt]]) -> list[Prompt] | None:
    """An all clear, whatever question is shown: passed on, and the question waiting asked again.

    Args:
        ctx: the update.
        typed: the typed text.
        again: the question shown, to ask again (the runner's ``_again``).

    Returns:
        The thanks naming who was told, then "Still waiting for your answer:" and the question shown (never
        answered by the words: ``没事了`` is no "good week" for whichever check-in was waiting); None when
        ``typed`` is no all clear or no alert was answered lately (handled as usual).
    """
    cleared = all_clear(ctx, typed)
    if cleared is None:
        return None
    top = agenda_flow.current(ctx)
    if top is not None and top.get("held"):
        # A check-in held back under an emergency answer (救命, then 没事了): it is asked again now, numbered,
        # so the next answer is to a question seen (bot.flows.agenda.unheld).
        ctx.conv.agenda = [{k: v for k, v in top.items() if k != "held"}, *ctx.conv.agenda[1:]]
    waiting = again(ctx)
    return [*cleared, Prompt(agenda_flow.STILL_WAITING), *waiting] if waiting else cleared


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
