"""``好的`` / ``ok`` / ``收到`` / ``嗯`` / ``知道了`` at "how is the child this week?": asked, never recorded (fix6q).

These words say "I have read it" as often as "fine": a grandfather who
answers an emergency's all-clear notice with ``收到`` and then ``好的`` was
recorded as "杨秀云这周很好" although he had said nothing about the week (a
new-user trial). So at a check-in question an acknowledgement (the catalogs'
"received", "yes", "agree" and "week_ok" lists) asks a short confirmation
naming the child — "是说杨秀云这周很好吗？ 1. 是，很好 2. 一般 3. 需要帮助" —
whose answers are the check-in's own (``ci:<id>:g|s|h``). The clear words
(``很好``, ``好``, ``挺好``, ``good``, ``fine``, ``1``) still record at once:
they are the "good" list, read before this module is asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, text
from bot.services import checkin_messages, checkins, family_thanks
from bot.services.checkin_messages import ANSWER_LABELS

CONFIRM = checkin_messages.CONFIRM
YES_GOOD = N_("Yes, all good")
_LABELS = {"good": YES_GOOD, "so_so": ANSWER_LABELS["so_so"], "needs_help": ANSWER_LABELS["needs_help"]}


def is_unclear(locale: str, typed: str) -> bool:
    """Whether ``typed`` only acknowledges (``好的``, ``ok``, ``收到``, ``嗯``, ``知道了``, ``👍``), no "good" of it.

    ``好`` and ``挺好`` are in the "good" list as typed: they say how the week was.
    """
    if typed_answers.number(typed) is not None or everyday.is_question(typed):
        return False
    if everyday.is_only_acknowledgement(locale, typed):  # 好的, 收到, ok (好的 as typed is no "good" word)
        return True
    return everyday.matches(locale, "week_ok", typed) and not everyday.matches(locale, "good", typed)  # 行, 可以


def at_checkin(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """An acknowledgement at a check-in question (``choices``): the confirmation naming the child; else None.

    None as well at the confirmation itself (its "Yes, all good" takes ``好的``, ``是``, ``嗯``) and at any
    question that is no check-in.
    """
    if any(c.label == YES_GOOD for c in choices):
        return None
    pressed = [p for c in choices if isinstance(p := payloads.decode(c.payload), payloads.CheckinPress)]
    if not pressed or not is_unclear(ctx.locale, typed):
        return None
    if ctx.actor is not None and family_thanks.answer_shown_last(ctx.uow, person_id=ctx.actor.person_id,
                                                                 conversation_id=ctx.conv.id) is not None:
        return None  # 好的 right after a teacher's answer thanks the teacher (bot.flows.thanks)
    checkin_id = pressed[0].checkin_id
    child = checkins.child_name(ctx.uow, checkin_id)
    return [ask(checkin_id, child)]


def ask(checkin_id: int, child: str) -> Prompt:
    """"Do you mean {child} is all good this week?" with the check-in's three answers, "yes" first."""
    return Prompt(CONFIRM, {"child": text(child)},
                  choices=tuple(Choice(label, payloads.checkin_answer(checkin_id, answer))
                                for answer, label in _LABELS.items()))
