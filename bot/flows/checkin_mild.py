"""A mild complaint at the check-in is "so-so", its words the note: ``挺好的就是有点咳嗽`` (fix6af, a new-user trial).

``我家孙女这礼拜挺好的就是有点咳嗽晚上睡不好老师费心了`` and ``有点感冒`` were "needs help" (咳嗽 and 感冒 are worry
words) and the helper teacher was told to call at once; ``she has a bit of a cold`` recorded nothing and the
question was asked again. A sentence holding a mild complaint of the catalogs' ``mild`` list (``有点咳嗽``,
``小感冒``, ``a bit of a cold``) and no worry word once the complaint is set aside is "so-so": recorded, and the
words passed to the class teacher as the check-in's note. A worry word besides it (``有点咳嗽，发烧两天了``,
``受伤``, ``不吃饭``, ``被打``) still means "needs help" (:mod:`bot.flows.checkin_worry`, read after this).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.domain import help_words, worry_words
from bot.domain.enums import CheckinAnswer
from bot.flows import agenda as agenda_flow
from bot.flows import checkin, checkin_worry
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, Prompt, msg
from bot.services.checkin_messages import ANSWER_LABELS

WHY = N_("I recorded “{answer}” because you wrote of a small complaint. If that is not right, reply “change”, or "
         "say the right answer (for example “wrong, all good”).")


def _without_mild(typed: str) -> str:
    """``typed`` folded with the mild complaints cut out (what is left is read for worry words)."""
    folded = help_words.fold(typed)
    for word in sorted(checkin_worry.listed_words("mild"), key=len, reverse=True):
        kept = help_words.fold(word).strip()
        if kept.isascii():
            folded = re.sub(r"\b" + re.escape(kept).replace(r"\ ", r"\s+") + r"\b", " ", folded)
        else:
            folded = folded.replace(kept, " ")
    return folded


def is_mild(typed: str) -> bool:
    """Whether ``typed`` tells a mild complaint (``有点咳嗽``) and no worry once it is set aside: "so-so"."""
    if not worry_words.worried(typed, checkin_worry.listed_words("mild")):
        return False
    return not checkin_worry.is_worry(_without_mild(typed))


def at_checkin(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """"So-so" with ``typed`` its note when it tells a mild complaint and no worry; else None."""
    if typed_answers.number(typed) is not None or not is_mild(typed):
        return None
    so_so = next((c for c in choices if isinstance(p := payloads.decode(c.payload), payloads.CheckinPress)
                  and p.answer == CheckinAnswer.SO_SO.value), None)
    pressed = payloads.decode(so_so.payload) if so_so is not None else None
    if so_so is None or not isinstance(pressed, payloads.CheckinPress):
        return None
    agenda_flow.answered(ctx, so_so.payload)
    shown = checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)
    if ctx.conv.flow != checkin.FLOW or ctx.conv.state != checkin.State.NOTE:
        return shown
    # Recorded without asking (fix6af): said plainly what was recorded, why, and how to change it (fix6ak).
    why = (WHY, {"answer": msg(ANSWER_LABELS[CheckinAnswer.SO_SO.value])})
    return [replace(shown[0], lines=(*shown[0].lines, why)), *(checkin.on_text(ctx, typed.strip()) or shown[1:])]
