"""An answer word first, then more: ``很好 谢谢老师👍``, ``一般吧 就是不爱写作业`` (issue 6 trial, fix6z).

A grandfather asked "how is 杨秀云 this week?" writes the answer and then
thanks, or the answer and a few words about why. Read as a whole, neither is
an answer, so the line went to the teacher as a message and the question was
asked again. Now the words before the first space or comma (or before a
closing thank-you or emoji) are read as a typed answer: "good" or "so-so"
(never "needs help", which worry words pick: :mod:`bot.flows.checkin_worry`,
read before this). What follows is:

* thanks, an acknowledgement or emoji alone: the answer is recorded and the
  usual follow-up asks for a note;
* any other words: the check-in's note, passed on to the class teacher as if
  typed at "anything to tell the teacher?" (:func:`bot.flows.checkin.on_text`).

A bare ``好的`` / ``ok`` is no answer word here: it is still asked back
(:mod:`bot.flows.checkin_confirm`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.flows import agenda as agenda_flow
from bot.flows import checkin
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt

_ANSWERS = ("good", "so_so")
_FILLERS = frozenset({"well"})
_BREAK = re.compile(r"[\s，,。.；;！!～~、:：]+")


def splits(locale: str, typed: str) -> list[tuple[str, str]]:
    """``typed`` as (answer words, the rest), longest head first: at a space or comma, before thanks or emoji.

    Several heads are tried (``not bad, she …``, ``all good thanks``): English answers are often two words.
    """
    words = unicodedata.normalize("NFKC", typed).strip()
    found = [(words[:m.start()], words[m.end():].strip()) for m in _BREAK.finditer(words) if m.start() > 0][:3]
    end = len(words)
    while end and everyday.says_nothing(words[end - 1]):
        end -= 1
    if 0 < end < len(words):
        found.append((words[:end], words[end:]))
    head = everyday.before_thanks(locale, words)
    if head:
        found.append((head, "thanks"))  # 很好谢谢: only the courtesy is after the answer
    return sorted((f for f in found if f[1]), key=lambda f: len(f[0]), reverse=True)


def _courtesy(locale: str, rest: str) -> bool:
    """Thanks, an acknowledgement or emoji (``谢谢老师👍``): nothing to pass on as a note."""
    if everyday.says_nothing(rest):
        return True
    bare = "".join(ch for ch in rest if not everyday.says_nothing(ch))
    for kind in ("thanks", "received", "yes"):
        if everyday.matches(locale, kind, bare):
            return True
    return False


def at_checkin(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """The check-in among ``choices`` answered by the words ``typed`` opens with; None when it opens with none."""
    if everyday.is_question(typed) or typed_answers.number(typed) is not None:
        return None
    for head, rest in splits(ctx.locale, typed):
        if head.casefold() in _FILLERS:
            continue  # "well, I don't know": a pause before the sentence, no "good"
        picked = typed_answers.matching(ctx, choices, head)
        pressed = payloads.decode(picked.payload) if picked is not None else None
        if picked is not None and isinstance(pressed, payloads.CheckinPress) and pressed.answer in _ANSWERS:
            return _answered(ctx, picked.payload, pressed, rest)
    return None


def _answered(ctx: Ctx, payload: str, pressed: payloads.CheckinPress, rest: str) -> list[Prompt]:
    """The answer recorded; ``rest`` its note unless it is only courtesy."""
    agenda_flow.answered(ctx, payload)
    shown = checkin.on_answer(ctx, pressed.checkin_id, pressed.answer)
    if _courtesy(ctx.locale, rest) or ctx.conv.flow != checkin.FLOW or ctx.conv.state != checkin.State.NOTE:
        return shown
    return [*shown[:1], *(checkin.on_text(ctx, rest) or shown[1:])]
