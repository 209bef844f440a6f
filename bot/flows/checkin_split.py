"""One line about two children, each part to its own child: ``刘帅发烧了，婷婷还好`` (fix6q, new-user trial item 6).

李雪, grandmother of 刘婷婷 and 刘帅, answers the Friday check-in with
``刘帅发烧了，婷婷还好``, and later ``婷婷很好，帅帅不太好``. Both lines speak of both
children: asked "which child?" for the first, the whole line went under the child
she picked, and the second was filed as 刘帅's note. Now a line whose clauses
(split at ``，。；！`` and their ASCII twins) name two or more of her children is
read clause by clause; a clause naming no child belongs to the child named before it.
Each child's part is then:

* the answer to that child's check-in when one is waiting in the chat and the part
  gives one — worry words (``发烧``) "needs help", else the everyday words once the
  name is set aside (``还好`` 一般, ``很好`` 很好);
* otherwise her words about that child, passed on to that child's class teacher.

The part about the child of the question on screen is left to that question
(:mod:`bot.flows.checkin_mixed`, :mod:`bot.flows.checkin`): this module handles the others.
"""

from __future__ import annotations

import re

from bot.domain import child_mentions
from bot.flows import agenda as agenda_flow
from bot.flows import checkin_named, checkin_worry, family_notes
from bot.flows import relay as family_flow
from bot.flows import words as everyday
from bot.flows.common import Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import checkins
from bot.services import family_notes as note_relay
from bot.services.checkin_messages import ANSWER_LABELS
from bot.services.family_messages import FamilyChild

RECORDED_TOO = N_("Recorded: {child} this week: {answer}.")
# A space between Chinese words parts clauses too (``婷婷好 帅帅一般般``, fix6z); English words keep theirs.
_CLAUSES = re.compile(r"[，,。.；;！!？?\n]+|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def parts(ctx: Ctx, typed: str) -> list[tuple[FamilyChild, str]] | None:
    """``typed`` split per child of the writer's, in the order named; None unless it names two or more."""
    mine = family_notes.children(ctx)
    if len(mine) < 2 or everyday.is_question(typed):
        return None
    pairs = [(c.id, c.name) for c in mine]
    found: dict[int, list[str]] = {}
    current: int | None = None
    for clause in (c.strip() for c in _CLAUSES.split(typed)):
        if not clause:
            continue
        named = child_mentions.named(clause, pairs)
        if len(named) > 1:
            return None  # 婷婷和帅帅都很好: one clause for both (bot.flows.checkin_all), never split here
        if named:
            current = named[0]
        if current is None:
            return None  # words before any name: whose they are is not said
        found.setdefault(current, []).append(clause)
    if len(found) < 2:
        return None
    by_id = {c.id: c for c in mine}
    return [(by_id[i], "，".join(clauses)) for i, clauses in found.items()]


def answer_for(ctx: Ctx, child: FamilyChild, words: str) -> str | None:
    """The check-in answer (``CheckinAnswer`` value) a child's part gives, or None (words to pass on)."""
    if checkin_worry.is_worry(words):
        return "needs_help"
    return checkin_named.word_answer(ctx, child.name, words)


def others(ctx: Ctx, found: list[tuple[FamilyChild, str]], shown_child: int | None) -> list[Prompt]:
    """Each part about a child other than ``shown_child``: its waiting check-in answered, else passed on.

    A check-in answered so is recorded without a follow-up of its own (the question on screen keeps the
    chat's numbers); "needs help" tells the helper teacher, and the words are the check-in's note.
    """
    out: list[Prompt] = []
    for child, words in found:
        if child.id == shown_child:
            continue
        answer = answer_for(ctx, child, words)
        payload = checkin_named.waiting_payload(ctx, child.id, answer) if answer else None
        pressed = payloads.decode(payload) if payload else None
        if answer and isinstance(pressed, payloads.CheckinPress):
            guardian = ctx.bound().person_id
            result = checkins.record_checkin_answer(ctx.uow, guardian_id=guardian, checkin_id=pressed.checkin_id,
                                                    answer=answer, now=ctx.now)
            if result == checkins.AnswerResult.RECORDED:
                agenda_flow.drop_answered(ctx, payload or "")
                out.append(say(RECORDED_TOO, child=text(child.name), answer=msg(ANSWER_LABELS[answer])))
                if answer == "needs_help":
                    out.extend(_worry_told(ctx, pressed.checkin_id, words))
                continue
        out.append(family_flow.about_child(ctx, child.id, words))
    return out


def _worry_told(ctx: Ctx, checkin_id: int, words: str) -> list[Prompt]:
    """The worry part of a split line (``帅帅发烧了两天``): the helper teacher's task note, and the class teacher.

    As for a worry at the child's own question (:func:`bot.flows.family_notes.checkin_note`), the class teacher
    reads the words too, and the writer is told who reads them now: a new-user trial (fix6s) found 刘帅's fever
    only in the helper teacher's task while his class teacher read "婷婷没事" alone.
    """
    guardian = ctx.bound().person_id
    checkins.record_checkin_note(ctx.uow, guardian_id=guardian, checkin_id=checkin_id, note=words, now=ctx.now,
                                 relayed=True, own_words=True)
    filed = note_relay.relay_checkin_note(ctx.uow, guardian_id=guardian, checkin_id=checkin_id, note=words,
                                          now=ctx.now, channel=ctx.channel)
    return [family_notes.helper_has_it(ctx, filed)] if filed is not None else []
