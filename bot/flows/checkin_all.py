"""Every waiting check-in answered at once: ``两个孩子都很好``, ``都很好``, ``both are fine`` (issue 6 trial).

A grandmother asked "how is 刘婷婷 this week?" with 刘帅's check-in queued
behind it answers for both. With check-ins waiting in this chat for two or more
of her children, words that say "all of them" (都 / 全 / both) with an answer
word (很好, 还行) answer each of them, and she is told both were recorded,
naming the children. "Needs help" is never given this way: each child's help is
asked about on its own. Other words are no answer here (passed on as before).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.domain.traditional import simplified
from bot.flows import agenda as agenda_flow
from bot.flows import family_notes as family_flow
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.flows.typed import fold
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import checkin_changes, checkins, family_notes
from bot.services.checkin_messages import ANSWER_LABELS

RECORDED_ALL = N_("Thank you! Recorded for {children}: {answer} this week. To tell a teacher more, just write here.")

# "The two children", "they", "this week" …: words around 都 that say who, not how.
WHO_WORDS = re.compile(r"两个孩子|两个小孩|两个娃|俩孩子|两孩子|孩子们|孩子|小孩|他们俩|她们俩|他俩|她俩|他们|她们|"
                       r"两个|俩|这周|本周|这个星期|\bboth\b|\bof them\b|\bthe kids\b|\bthe children\b|\bkids\b|"
                       r"\bchildren\b|\bthey\b|\bare\b|\bis\b|\bthis week\b")
ALL_WORDS = re.compile(r"全都|都|全")
_WAYS = ("good", "so_so")  # never "needs_help": its kind of help is asked child by child


def _answer(locale: str, typed: str) -> str | None:
    """The answer ``typed`` gives for every child, or None when it does not speak of them all."""
    words = simplified(typed.strip()).casefold()
    said_all = bool(ALL_WORDS.search(words)) or bool(re.search(r"\bboth\b", words))
    if not said_all or everyday.is_question(typed):  # 都没事吧， asks: no answer for every child
        return None
    rest = fold(ALL_WORDS.sub("", WHO_WORDS.sub(" ", words))).strip("，,。.!！~～")
    if not rest:
        return None
    if rest.isascii() and rest.isalpha() and everyday.matches(locale, "week_ok", rest):
        return "good"  # "both ok": said of both children, no mere "read it" (fix6z)
    return next((a for a in _WAYS if everyday.matches(locale, a, rest) or fold(rest) == fold(a)), None)


def answered(ctx: Ctx, typed: str, before: Callable[[], None] | None = None) -> list[Prompt] | None:
    """Each waiting check-in answered by ``typed`` (``都很好``); None unless it speaks of two or more children.

    ``before``: called once it does, before anything is recorded (the note question it was typed at ends).
    """
    answer = _answer(ctx.locale, typed)
    if answer is None or ctx.actor is None:
        return None
    waiting: dict[int, str] = {}  # check-in id → the payload of this answer
    for entry in ctx.conv.agenda:
        if entry.get("kind") != "offer":
            continue
        for choice in agenda_flow.offer_choices(entry):
            pressed = payloads.decode(choice.payload)
            if isinstance(pressed, payloads.CheckinPress) and pressed.answer == answer:
                waiting.setdefault(pressed.checkin_id, choice.payload)
    answered_alike = _answered_alike(ctx, answer, {family_notes.checkin_child(ctx.uow, c) for c in waiting})
    if not waiting or answered_alike is None or len(waiting) + len(answered_alike) < 2:
        return None
    if before is not None:
        before()
    names: dict[int, str] = dict(answered_alike)
    for checkin_id, payload in waiting.items():
        agenda_flow.answered(ctx, payload)
        result = checkins.record_checkin_answer(ctx.uow, guardian_id=ctx.actor.person_id, checkin_id=checkin_id,
                                                answer=answer, now=ctx.now)
        child_id = family_notes.checkin_child(ctx.uow, checkin_id)
        if result == checkins.AnswerResult.RECORDED and child_id is not None:
            names[child_id] = checkins.child_name(ctx.uow, checkin_id)
    if len(names) == len(answered_alike):
        return None
    order = [c.id for c in family_flow.children(ctx)]  # as on the roster: 刘婷婷、刘帅
    shown = sorted(names, key=lambda c: order.index(c) if c in order else len(order))
    return [say(RECORDED_ALL, children=[text(names[c]) for c in shown], answer=msg(ANSWER_LABELS[answer]))]


def _answered_alike(ctx: Ctx, answer: str, waiting: set[int | None]) -> dict[int, str] | None:
    """Her other children answered ``answer`` just now (刘婷婷 很好 before 刘帅's question: 两个都很好 at it).

    None when one of them was answered otherwise (``都很好`` would then be a change: read as before, fix6aj).
    """
    alike: dict[int, str] = {}
    for child in family_flow.children(ctx):
        if child.id in waiting or ctx.actor is None:
            continue
        was = checkin_changes.recent_for_child(ctx.uow, guardian_id=ctx.actor.person_id, child_id=child.id,
                                               now=ctx.now)
        if was is not None and was.answer != answer:
            return None
        if was is not None:
            alike[child.id] = child.name
    return alike
