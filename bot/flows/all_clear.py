"""``没事了`` from a family member who answered an incident alert: news for everyone alerted (conv6l c).

While the incident about their child is open (no window: ``没事了`` two hours
after acknowledging is the news the parents wait for), an everyday "all clear"
(``没事了``, ``孩子找到了``, ``all clear``) of someone who acknowledged its alert
is no mere "ok" — nor, naming the child or all of them (``杨秀云没事了``,
``孩子都没事了``, ``两个孩子都很好``: :mod:`bot.flows.all_clear_words`), a check-in
answer: it reaches the reporter and everyone else the incident
reached, naming the child (:mod:`bot.services.incident_all_clear`), once per
person; a second one reaches the reporter only. A question (``孩子没事吧？``)
is no all clear: it goes to those handling the incident as a question. Someone
left out of the chain (``家属涉嫌，不再通知``) reaches the school only, as
ordinary words about the child, and is told nothing of the chain. Without an
open incident, the words are handled as before. Words naming no child
(``she is fine now``, ``找到了``) clear the one child with an open incident; with
several, or a count that is not the family's (``两个孩子都没事了`` from a guardian
of three), the writer is asked which child (:mod:`bot.flows.all_clear_pick`, fix6b). Words clearing one child
and not another (``刘帅没事了，婷婷还没找到``) are cut per child (:mod:`bot.flows.all_clear_split`, fix6g).

:func:`intercept` is the one entry point: the runner hands it every typed text
of a bound person before anything shown may take the words (a check-in, a
talk or another flow's question, a note, the relay's "which child?"), so every
path and channel behaves the same, and whatever was waiting is asked again.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows import agenda as agenda_flow
from bot.flows import all_clear_pick, all_clear_split, all_clear_words, checkin_note_clear, relay
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt
from bot.services import family_messages, incident_exclusions, incident_replies


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
    meant = checkin_note_clear.ask_first(ctx, typed)  # 没事了 at 刘婷婷's note, 刘帅's incident open: which? (fix6aw)
    if meant is not None:
        return meant
    cleared = all_clear(ctx, typed)
    if cleared is None:
        return None
    if ctx.conv.flow == all_clear_pick.FLOW:
        return cleared  # "which child?" is the question shown now; whatever waited comes back after it
    checkin_note_clear.answered_by(ctx)  # 帅帅没事了 at "您是说刘帅已经平安了，还是…": that question is moot
    top = agenda_flow.current(ctx)
    if top is not None and top.get("held"):
        # A check-in held back under an emergency answer (救命, then 没事了): it is asked again now, numbered,
        # so the next answer is to a question seen (bot.flows.agenda.unheld).
        # Held for the child's open emergency (bot.flows.checkin_hold): the family's own all clear lifts it too.
        kept = {k: v for k, v in top.items() if k not in ("held", "held_child")}
        ctx.conv.agenda = [{**kept, "cleared": True} if "held_child" in top else kept, *ctx.conv.agenda[1:]]
    waiting = again(ctx)
    return [*cleared, Prompt(agenda_flow.STILL_WAITING), *waiting] if waiting else cleared


def all_clear(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The reply to an "all clear" about a child with an open incident; None when ``typed`` is none, or no such."""
    if ctx.actor is None:
        return None
    found = all_clear_split.split(ctx, typed)
    if found is not None:  # 刘帅没事了，婷婷还没找到: each child's words to that child's incident (fix6g)
        return all_clear_split.pass_on(ctx, found) or None
    children = family_messages.family_children(ctx.uow, ctx.actor.person_id)
    said = all_clear_words.said(ctx.locale, typed, [(c.id, c.name) for c in children])
    if said is None:
        return None
    # 杨秀云没事了 is about 杨秀云 only; 孩子都没事了 about whichever children have an open incident (fixg).
    open_ids = [i for i in said.child_ids if incident_replies.followed_child(
        ctx.uow, person_id=ctx.actor.person_id, child_ids=[i], now=ctx.now, within=None) is not None]
    if not open_ids and not said.plain:
        return None  # 婷婷很好 about a child with no open incident: her check-in's answer, as before
    if not open_ids:
        ids = list(said.child_ids)
        # Left out of the chain (家属涉嫌): ordinary words about the child for the school, never the chain's news,
        # and nothing said about who is in the chain.
        left_out = incident_exclusions.left_out_child(ctx.uow, person_id=ctx.actor.person_id, child_ids=ids)
        return None if left_out is None else [relay.about_child(ctx, left_out, typed.strip())]
    # 刘帅很好 while 刘帅's emergency is open reads like the week's answer, not news that he is safe (fix6u, a
    # breaker): only the catalog's all clear (没事了, 找到了, 平安了) is; "fine" goes to those handling it as words.
    if everyday.is_question(typed) or everyday.is_question(all_clear_words.first_clause(typed)) or not said.plain:
        # 孩子没事吧？ asks, never tells: to those handling the incident, as a question
        latest = incident_replies.followed_child(ctx.uow, person_id=ctx.actor.person_id, child_ids=open_ids,
                                                 now=ctx.now, within=None)
        return [relay.about_child(ctx, latest or open_ids[0], typed.strip())]
    targets = _targets(said, open_ids, len(children))
    if targets is None:  # she is fine, two children with open incidents: which one? (never guessed)
        return all_clear_pick.ask(ctx, typed.strip(), open_ids)
    return all_clear_pick.passed(ctx, targets, typed.strip())


def _targets(said: all_clear_words.Said, open_ids: list[int], family: int) -> list[int] | None:
    """The children the all clear is about, or None when unsure (the writer is asked).

    A count that is not the family's (两个孩子都没事了 from a guardian of three) clears only as many children
    with an open incident as it counts, when exactly that many have one; a name or "all of them" clears every
    child it speaks of with an open incident; "she", or no name, only the one child with an open incident.
    """
    if said.count is not None and said.count != family:
        return open_ids if len(open_ids) == said.count else None
    if said.named or said.together:
        return open_ids
    return open_ids if len(open_ids) == 1 else None
