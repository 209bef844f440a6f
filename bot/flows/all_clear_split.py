"""One message, two children: ``刘帅没事了，婷婷还没找到`` is 刘帅's all clear and 婷婷's news, never one (fix6g).

A grandmother of two whose grandchildren both have an open incident writes, at 婷婷's alert,
``刘帅没事了，婷婷还没找到``. Read whole, the words were no all clear (``还没找到``), so nobody handling
刘帅's incident heard he was safe; read by its first clause, they were 刘帅's all clear quoting "婷婷还没找到"
to 刘帅's chain. Here the message is cut clause by clause into each child's words
(:func:`bot.flows.all_clear_words.per_child`): a child whose words are an all clear
(:func:`bot.flows.all_clear_words.said`, nothing "not found" in them) gets it passed to everyone alerted about
that child's incident, with the close for the reporter (:func:`bot.flows.all_clear_pick.passed`); every other
child's words go to those handling that child's incident (:func:`bot.flows.relay.about_child`), or, when the
alert shown is about that child, acknowledge it and reach its reporter (:mod:`bot.flows.reached`). A child named
"not found" (or anything but fine) is never cleared, whatever another clause says.

Commas left out (``刘帅没事了婷婷还没找到``) are put back where a clause ends before another child's name
(:func:`bot.flows.all_clear_words.commas`, fix6l); a question about the other child (``刘帅找到了，婷婷呢``) is
that child's words, passed on as a question, and the child named found is cleared.

Only when at least one cleared child has an incident the writer was alerted about: otherwise the message is
handled as before (an all clear of a child with nothing open is no news).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.domain.emergency_words import emergency_kind
from bot.domain.traditional import simplified
from bot.flows import all_clear_pick, all_clear_words, relay
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt
from bot.services import family_messages, incident_replies


@dataclass(frozen=True)
class Split:
    """A message cut into each child's words.

    Attributes:
        parts: (child id, that child's words), children in the order first named.
        clears: the children whose words are an all clear.
    """

    parts: tuple[tuple[int, str], ...]
    clears: frozenset[int]

    def words(self, child_id: int) -> str | None:
        """The words about ``child_id``, None when the message does not name the child."""
        return next((words for i, words in self.parts if i == child_id), None)


def split(ctx: Ctx, typed: str, *, alerted: Collection[int] = ()) -> Split | None:
    """``typed`` as each child's words, when it clears one child and not another; else None (handled as before).

    Args:
        ctx: the update (its actor bound).
        typed: the typed text.
        alerted: the incidents whose alert is shown now (the reply acknowledges them).
    """
    if ctx.actor is None:
        return None
    # A question is looked for clause by clause (_clears): ``刘帅找到了，婷婷呢`` clears 刘帅 and asks after 婷婷
    # (fix6l); ``刘帅没事吧？婷婷呢？`` clears nobody, so it is no split and goes out whole, as before.
    children = [(c.id, c.name) for c in family_messages.family_children(ctx.uow, ctx.actor.person_id)]
    parts = all_clear_words.per_child(typed, children)
    if parts is None:
        return None
    clears = frozenset(child_id for child_id, words in parts if _clears(ctx, words, child_id, children))
    shown = {incident_replies.child_of(ctx.uow, i) for i in alerted}
    followed = {i for i in clears if i in shown or incident_replies.followed_child(
        ctx.uow, person_id=ctx.actor.person_id, child_ids=[i], now=ctx.now, within=None) is not None}
    return Split(tuple(parts), clears) if followed else None


def _clears(ctx: Ctx, words: str, child_id: int, children: list[tuple[int, str]]) -> bool:
    """Whether ``words`` are an all clear of ``child_id`` (no question, nothing "not found", no emergency)."""
    folded = simplified(words).casefold()
    if everyday.is_question(words) or all_clear_pick.NOT_FOUND.search(folded) or emergency_kind(words) is not None:
        return False
    said = all_clear_words.said(ctx.locale, words.replace("也", ""), children)  # 婷婷也找到了: 也 says nothing
    return said is not None and child_id in said.child_ids


def pass_on(ctx: Ctx, found: Split, *, done: Collection[int] = ()) -> list[Prompt]:
    """Each child's words where they belong: an all clear to everyone alerted, other words to those handling it.

    Args:
        ctx: the update.
        found: the message cut per child.
        done: children whose words went already (as the reply acknowledging their alert shown).
    """
    out: list[Prompt] = []
    for child_id, words in found.parts:
        if child_id in done or not words:
            continue
        if child_id in found.clears:
            passed = all_clear_pick.passed(ctx, [child_id], words)
            if passed:
                out.extend(passed)
                continue
        out.append(relay.about_child(ctx, child_id, words))
    return out
