"""``好的`` / ``收到`` / ``谢谢`` right after a teacher's answer: a thank-you, never "not an answer" (issue 6 trial).

A grandfather wrote ``孩子发烧了`` with the week's check-in waiting; 王老师
answered "明天我去看看"; he types ``好的``. The answer was the last thing he
read, so his word acknowledges it: he is told it is noted, and the check-in
still waiting is asked again with its child named — it is not refused as a
wrong answer to that check-in (:func:`bot.flows.relay_unanswered.not_an_answer`). So too when the check-in reached him
after the answer (:mod:`bot.services.family_thanks`): a number answers the check-in, ``谢谢`` thanks the teacher.
"""

from __future__ import annotations

from bot.flows.agenda import STILL_WAITING
from bot.flows.common import Ctx, say
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_thanks

NOTED = N_("Thank you. Noted that you have read {teacher}'s answer.")


def after_answer(ctx: Ctx, again: list[Prompt]) -> list[Prompt] | None:
    """The reply to an everyday acknowledgement with ``again`` waiting, when a teacher's answer was shown last.

    None when something else was shown last (the acknowledgement is then about that question).
    """
    if not again or ctx.actor is None:
        return None
    person_id, conversation_id = ctx.actor.person_id, ctx.conv.id
    # The answer shown last, or shown last but for the week's check-in that reached them after it.
    teacher = family_thanks.answer_shown_last(ctx.uow, person_id=person_id, conversation_id=conversation_id)
    if teacher is None:
        return None
    return [say(NOTED, teacher=text(teacher)), Prompt(STILL_WAITING), *again]
