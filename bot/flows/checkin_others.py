"""A check-in answer naming another family's child records nothing (fix6u, a breaker's trial).

李雪, grandmother of 刘婷婷 and 刘帅, wrote at the Friday check-in ``婷婷很好，杨秀云发烧了``: the fever was read as
婷婷's, recorded "needs help" and her helper teacher sent to call. A check-in answer is about the writer's own
children only, so words naming another child of the school (by full name:
:func:`bot.services.other_children.names_another`) answer no check-in — not even the part about her own child,
since which words belong to whom is then a guess. They are not dropped either: they go to the class teacher of her
children as any family message (:func:`bot.flows.relay.pass_on`), she is told politely that she can only answer for
her own children and who will read her words, and the question on screen is asked again. Nothing about the other
child is said, looked up for her or passed on beyond her own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.domain import child_mentions
from bot.flows import agenda as agenda_flow
from bot.flows import checkin_hold, family_notes, relay
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import other_children

ONLY_OWN = N_("Sorry, I can only record answers about your own children ({children}); what you wrote about "
              "another child was not recorded for any child.")
_CLAUSES = re.compile(r"[，,。.；;！!？?\n]+")


def split(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``typed`` as (words about her own children, words about another child); None when it names no other child.

    A clause naming another child of the school starts that child's part, and the clauses after it naming none of
    hers belong to it; a clause naming her child starts her part again; clauses before any name are hers.
    """
    if ctx.actor is None or typed_answers.number(typed) is not None:
        return None
    person = ctx.actor.person_id
    if not other_children.names_another(ctx.uow, person, typed):
        return None
    mine = [(c.id, c.name) for c in family_notes.children(ctx)]
    own: list[str] = []
    other: list[str] = []
    about_other = False
    for clause in (c.strip() for c in _CLAUSES.split(typed)):
        if not clause:
            continue
        if other_children.names_another(ctx.uow, person, clause):
            about_other = True
        elif child_mentions.named(clause, mine):
            about_other = False
        (other if about_other else own).append(clause)
    return "，".join(own), "，".join(other) or typed.strip()


def passed_on(ctx: Ctx, words: str) -> list[Prompt]:
    """"I can only record your own children", and the words passed to her children's class teacher."""
    told = say(ONLY_OWN, children=[text(c.name) for c in family_notes.children(ctx)])
    return [told, *(relay.pass_on(ctx, words.strip()) or [])]


def at_checkin(ctx: Ctx, top: dict[str, Any], typed: str,
               rest: Callable[[str], list[Prompt]]) -> list[Prompt] | None:
    """Words at a check-in question naming another family's child: that part passed on, hers answered; else None.

    Args:
        ctx: the update.
        top: the check-in question shown.
        typed: the words.
        rest: reads her own part (``婷婷很好``) as if she had typed only it.
    """
    if not checkin_hold.is_checkin(top):
        return None
    parts = split(ctx, typed)
    if parts is None:
        return None
    own, other = parts
    told = passed_on(ctx, other)
    if ctx.conv.flow == relay.FLOW:
        return told  # "which child is it about?" is the question shown now; the check-in comes back after it
    if own:
        return [*told, *rest(own)]
    return [*told, Prompt(agenda_flow.STILL_WAITING), replace(Prompt.from_dict(top["prompt"]), first_number=1)]
