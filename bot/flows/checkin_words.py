"""A check-in answered in a whole everyday sentence: ``都很好``, ``好的很``, ``she is fine`` (issue 6 trial).

A grandfather with one grandchild asked "how is 杨秀云 this week?" writes
``都很好`` or ``everything is fine`` rather than ``很好``: the words around the
answer say who or what (都, 孩子, 她, everything, she is), not how. Without them
the rest is read like any typed answer (:func:`bot.flows.typed.matching`), so
``都挺好的`` is 很好 and ``她不太好`` 一般, while a negation stays no "good"
(``not fine``, ``都不好``) and "received" stays no answer (``都收到了``, asked again), while ``都好的``
is ``好的``, the check-in's everyday "fine" (fix6g). Several children's check-ins
waiting are answered together first (:mod:`bot.flows.checkin_all`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.domain.traditional import simplified
from bot.flows import agenda as agenda_flow
from bot.flows import checkin
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt

# Words that say who or what the answer is about, at its start: 都很好, 孩子挺好的, 她很好, 一切都好.
_WHO_ZH = re.compile(r"^(?:孩子们|孩子|小孩|娃娃|娃|他们|她们|他|她|一切|这周|本周|全都|都|全|也|一直)+")
_WHO_EN = frozenset({"she", "he", "it", "they", "everything", "all", "things", "is", "are",
                     "this", "week", "the", "child", "kid", "kids", "really"})
# "was"/"were" are no who-words: "she was fine" tells of the past, not this week — passed on, never recorded.
_ANSWERS = ("good", "so_so")  # "needs help" is never read out of a sentence: its own words or number pick it


def everyday_answer(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """The check-in among ``choices`` answered by ``typed`` once its who-words are set aside; else None."""
    if everyday.is_question(typed):  # 孩子没事吧？ is a worry to pass on, never "all good"
        return None
    rest = _without_who(typed)
    if not rest or rest == typed.strip():
        return None
    picked = typed_answers.matching(ctx, choices, rest)
    pressed = payloads.decode(picked.payload) if picked is not None else None
    if picked is None or not isinstance(pressed, payloads.CheckinPress) or pressed.answer not in _ANSWERS:
        return None
    agenda_flow.answered(ctx, picked.payload)
    return checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)


def _without_who(typed: str) -> str:
    """``typed`` without the words about whom (``都``, ``she is``, ``he's``, ``everything``), trimmed."""
    words = simplified(unicodedata.normalize("NFKC", typed).casefold()).replace("’", "'").strip()
    if words.isascii():
        kept = [w for w in re.findall(r"[a-z'-]+", words) if w.removesuffix("'s") not in _WHO_EN]
        return " ".join(kept)
    return _WHO_ZH.sub("", words).strip()
