"""A check-in answer with a clause about someone else records nothing for that clause (fix6ag; fix6u, fix6ad).

李雪, grandmother of 刘婷婷 and 刘帅, answers the Friday check-in ``婷婷很好，杨秀云发烧了``. fix6ad read the fever
as 婷婷's ("needs help": a wrong record) so that she would not learn 杨秀云 goes to the school. Now a clause whose
subject is a name-like word that is none of her children's names or forms (:mod:`bot.domain.name_like`: the shape
of the words only, never the roster) is about someone else, whether or not such a child exists: it answers no
check-in, her own children's clauses answer as before, and she reads one reply, the same for ``王小军发烧了`` (no
child) as for ``杨秀云发烧了``: she can only answer for her own children, and the words about someone else were
passed to her children's class teacher. A copy of words of concern to a real child's class teacher is made
before, unsaid (:mod:`bot.flows.other_child`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.domain import child_mentions, name_like
from bot.flows import agenda as agenda_flow
from bot.flows import checkin_hold, family_notes, relay
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text

ONLY_OWN = N_("I can only record answers about your own children ({children}); what you wrote about someone else "
              "was not recorded and was passed to the teacher.")
_CLAUSES = re.compile(r"[，,。.；;！!？?\n]+|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def split(ctx: Ctx, typed: str) -> tuple[str, str] | None:
    """``typed`` as (words about her own children, words about someone else); None when no clause is about another.

    A clause opening with another name starts that person's part, and the clauses after it naming none of hers
    belong to it; a clause naming her child starts her part again; clauses before any name are hers.
    """
    if ctx.actor is None or typed_answers.number(typed) is not None:
        return None
    mine = family_notes.children(ctx)
    if not mine:
        return None
    forms = {f for c in mine for f in (*child_mentions.forms(c.name), *child_mentions.latin_forms(c.name))}
    pairs = [(c.id, c.name) for c in mine]
    own: list[str] = []
    other: list[str] = []
    about_other = False
    for clause in (c.strip() for c in _CLAUSES.split(typed)):
        if not clause:
            continue
        if name_like.other_subject(clause, forms):
            about_other = True
        elif child_mentions.named(clause, pairs):
            about_other = False
        (other if about_other else own).append(clause)
    if not other:
        return None
    return "，".join(own), "，".join(other)


def passed_on(ctx: Ctx, words: str) -> list[Prompt]:
    """One reply: "I can only record your own children; the rest went to the teacher" — the words sent so.

    The words reach her children's class teacher(s) as a message about all her children; what that step would
    tell her ("your message about 刘婷婷、刘帅 was passed on") is not shown: the words are not about them.
    """
    if words.strip():
        relay.to_every_reader(ctx, words.strip(), plain=True)
    return [say(ONLY_OWN, children=[text(c.name) for c in family_notes.children(ctx)])]


def at_checkin(ctx: Ctx, top: dict[str, Any], typed: str,
               rest: Callable[[str], list[Prompt]]) -> list[Prompt] | None:
    """Words at a check-in question with a clause about someone else: that part passed on, hers answered; else None.

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
    if own:
        return [*told, *rest(own)]
    return [*told, Prompt(agenda_flow.STILL_WAITING), replace(Prompt.from_dict(top["prompt"]), first_number=1)]
