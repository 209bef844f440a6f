"""A check-in answered in words that name the child: ``婷婷很好``, ``帅帅还行`` (issue 6 trial).

A grandmother with two grandchildren answers "how is 刘婷婷 this week?" by
naming the child with the answer word. The name picks the check-in (hers,
waiting in this chat: the one shown or the other child's), the rest of the
words the answer, from the catalog's everyday words (很好, 还行, 不好 …). Any
other words are no answer here (they are passed on as a message).
"""

from __future__ import annotations

import re

from bot.domain import child_mentions
from bot.domain.traditional import simplified
from bot.flows import agenda as agenda_flow
from bot.flows import family_notes
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.services.checkin_messages import ANSWER_LABELS
from bot.services.family_notes import checkin_child

_CLAUSE = re.compile(r"[，,。;；!！\n]")


def named_answer(ctx: Ctx, typed: str) -> payloads.CheckinPress | None:
    """The waiting check-in answer that ``typed`` gives by naming the child, or None."""
    mine = family_notes.children(ctx)
    found = child_mentions.named(typed, [(c.id, c.name) for c in mine])
    if len(found) != 1 or everyday.is_question(typed):  # 秀云没事吧， asks how she is: no answer
        return None
    child = next(c for c in mine if c.id == found[0])
    answer = word_answer(ctx, child.name, typed)
    payload = waiting_payload(ctx, child.id, answer) if answer else None
    pressed = payloads.decode(payload) if payload else None
    if payload is None or not isinstance(pressed, payloads.CheckinPress):
        return None
    agenda_flow.answered(ctx, payload)
    return pressed


def word_answer(ctx: Ctx, child_name: str, words: str) -> str | None:
    """The check-in answer (``CheckinAnswer`` value) in ``words`` once the child's name is taken out, or None."""
    rest = simplified("".join(words.split()))
    for form in sorted(child_mentions.forms(child_name), key=len, reverse=True):
        rest = rest.replace(form, "")
    whole = next((a for a in ANSWER_LABELS if everyday.matches(ctx.locale, a, rest)), None)
    clauses = [clause for clause in _CLAUSE.split(rest) if everyday.fold(clause)]
    if whole is not None or len(clauses) < 2:
        return whole
    # 婷婷没事了，很好: each clause the same answer is that answer (fix6ab); 没事了，不太好 is none of them.
    each = {next((a for a in ANSWER_LABELS if everyday.matches(ctx.locale, a, clause)), None) for clause in clauses}
    return next(iter(each)) if len(each) == 1 else None


def waiting_payload(ctx: Ctx, child_id: int, answer: str) -> str | None:
    """The payload of ``answer`` on the check-in about ``child_id`` waiting in this chat, else None."""
    for entry in ctx.conv.agenda:
        if entry.get("kind") != "offer":
            continue
        for choice in agenda_flow.offer_choices(entry):
            pressed = payloads.decode(choice.payload)
            if (isinstance(pressed, payloads.CheckinPress) and pressed.answer == answer
                    and checkin_child(ctx.uow, pressed.checkin_id) == child_id):
                return choice.payload
    return None
