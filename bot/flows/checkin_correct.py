"""A line about two children right after answering for both: ``婷婷很好，帅帅有点咳嗽`` after ``都挺好的`` (fix6aj).

李雪 (刘婷婷 and 刘帅) answered the Friday check-in ``都挺好的``: both were recorded 很好. Her next line,
``婷婷很好，帅帅有点咳嗽``, was passed to the class teacher as a message and 刘帅 stayed 很好. A line whose parts
name two or more of her children, each answered within the change window (:data:`bot.services.checkin_changes.
CHANGE_WINDOW`), corrects the answers it gives otherwise: a mild complaint (fix6af) is "so-so", worry words "needs
help", an everyday word its answer; the words of a changed child are that check-in's note, passed to the class
teacher, and she is told what is recorded now. A part that agrees with the answer changes nothing.

The answer of each part is read as any change in words is (:func:`bot.flows.checkin_amend.answer_in`, fix6ak:
``刚才按错了应该是需要帮助`` at the note question), and said the same way: a change to 需要帮助 says the helper
teacher has been told.
"""

from __future__ import annotations

from bot.flows import checkin, checkin_amend, checkin_mild, checkin_split, family_notes
from bot.flows import relay as family_flow
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt
from bot.services import checkin_changes, checkins
from bot.services.family_messages import FamilyChild


def corrected(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Each answer ``typed`` corrects, recorded and said; None when it corrects none (passed on as before)."""
    if ctx.actor is None or ctx.conv.flow:
        return None
    found = checkin_split.parts(ctx, typed)
    if found is None:
        return None
    guardian = ctx.actor.person_id
    answered: list[tuple[FamilyChild, str, checkin_changes.Answered]] = []
    for child, words in found:
        was = checkin_changes.recent_for_child(ctx.uow, guardian_id=guardian, child_id=child.id, now=ctx.now)
        if was is None:  # a child not answered just now: her words are no correction (passed on as before)
            return None
        answered.append((child, words, was))
    said: list[Prompt] = []
    passed: list[tuple[int, str]] = []
    for child, words, was in answered:
        answer = checkin_amend.answer_in(ctx, words, child.name)  # the one reading of a change in words (fix6ak)
        mild = answer == "so_so" and checkin_mild.is_mild(words)
        if answer is None:
            passed.append((child.id, words))
            continue
        if answer == was.answer:
            continue
        result = checkin_changes.change_answer(ctx.uow, guardian_id=guardian, checkin_id=was.checkin_id,
                                               answer=answer, now=ctx.now)
        if result != checkins.AnswerResult.RECORDED:
            passed.append((child.id, words))
            continue
        said.append(checkin_amend.changed_prompt(child.name, answer))
        if mild or answer == "needs_help":  # her words are the check-in's note, read by the class teacher now
            ctx.conv.data["v"] = {"checkin_id": was.checkin_id, "child_name": child.name,
                                  "noted": answer == "needs_help"}
            said.extend(family_notes.checkin_note(ctx, words, checkin.save_note))
            ctx.conv.data = {}
    if not said:
        return None
    return [*said, *(family_flow.about_child(ctx, child_id, words) for child_id, words in passed)]
