"""Reading a typed answer: a number ("2", full-width "２") or the words of a choice ("好", "Skip", a synonym).

The flow runner matches typed text only against the choices of the chat's
current question (:mod:`bot.flows.agenda`): numbered from 1, words from the
rendered labels and their everyday words in the catalogs (:mod:`bot.flows.words`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.i18n import render
from bot.messages.prompt import Choice, Prompt


def fold(value: str) -> str:
    """Text compared without width, case or spaces ("ＯＫ" = "ok")."""
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


_CHINESE = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def number(typed: str) -> int | None:
    """A numbered reply: "2", full-width "２" (WeChat has no buttons), a Chinese numeral 一 … 十; None otherwise.

    A list's mark after the number is the number (``2.``, ``2、``, ``２．``, ``2)``): people copy it from the
    choices shown ("1. 很好 2. 一般"). A signed number (``+2``, ``＋2``, ``-1``) is no choice's number: it is
    :data:`NO_CHOICE`, answered "please reply 1 to 3" with the question again, never picking choice 2
    (a trial user's ``+2``) nor taken for a message to the teacher (found by a breaker).
    """
    typed = unicodedata.normalize("NFKC", typed).strip()
    bare = typed[:-1].rstrip() if typed[-1:] in _MARKS and len(typed) > 1 else typed
    if bare.isdecimal() and len(bare) <= 3:
        return int(bare)
    sign, digits = typed[:1], typed[1:].strip()
    if sign in _SIGNS and digits.isdecimal() and len(digits) <= 3:
        return NO_CHOICE
    return _CHINESE.get(bare)


NO_CHOICE = 0
"""What a signed number reads as: a number outside every question's choices (they count from 1)."""
_SIGNS = frozenset({"-", "\u2212", "+"})  # NFKC makes the full-width forms (－, ＋) these
_MARKS = frozenset({".", "。", "、", ")", ":"})  # after NFKC: ．→. ）→) ：→:


def matching(ctx: Ctx, choices: Sequence[Choice], typed: str) -> Choice | None:
    """The choice whose label, or else one of its everyday words (:mod:`bot.flows.words`), the person typed.

    Grandparents often type the word rather than its number or a button. The
    label itself wins: only when no label was typed exactly do the everyday
    words count (``收到`` for 确认收到, ``挺好的`` for 很好).
    """
    numbered = _numbered_label(ctx, choices, typed)
    if numbered is not None:
        return numbered
    want = fold(typed)
    for choice in choices:
        if want == fold(render(Prompt(choice.label, choice.params), ctx.locale, ctx.timezone).text):
            return choice
    for choice in choices:
        if everyday.label_matches(ctx.locale, choice.label, typed):
            return choice
    return None


_NUMBERED = re.compile(r"(\d{1,3})\s*[.。、):]?\s*(\S.*)")


def _numbered_label(ctx: Ctx, choices: Sequence[Choice], typed: str) -> Choice | None:
    """``2.一般``, ``2、一般``, ``2 一般``: an option copied as shown, number and label of the same choice.

    Only when both agree (choice 2 is 一般): ``1 一般`` is neither, and is read as words as before.
    A choice picked only by its words (:attr:`Choice.typed`) has no number, as on the screen.
    """
    found = _NUMBERED.fullmatch(unicodedata.normalize("NFKC", typed).strip())
    if found is None:
        return None
    numbered = [c for c in choices if not c.typed]
    index = int(found.group(1)) - 1
    if not 0 <= index < len(numbered):
        return None
    choice, words = numbered[index], found.group(2)
    label = render(Prompt(choice.label, choice.params), ctx.locale, ctx.timezone).text
    if fold(words) == fold(label) or everyday.label_matches(ctx.locale, choice.label, words):
        return choice
    return None
