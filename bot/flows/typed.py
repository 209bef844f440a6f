"""Reading a typed answer: a number ("2", full-width "２") or the words of a choice ("好", "Skip", a synonym).

The flow runner matches typed text only against the choices of the chat's
current question (:mod:`bot.flows.agenda`): numbered from 1, words from the
rendered labels and their synonyms in the catalogs (``LABEL_SYNONYMS``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.flows.common import LABEL_SYNONYMS, Ctx
from bot.i18n import gettext, render
from bot.messages.prompt import Choice, Prompt


def fold(value: str) -> str:
    """Text compared without width, case or spaces ("ＯＫ" = "ok")."""
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def number(typed: str) -> int | None:
    """A numbered reply: "2" or full-width "２" (WeChat has no buttons); None otherwise."""
    if typed.isdecimal() and len(typed) <= 3:
        return int(unicodedata.normalize("NFKC", typed))
    return None


def words(ctx: Ctx, label_id: str, label: str) -> set[str]:
    """The folded label and its synonyms from the catalog (``LABEL_SYNONYMS``)."""
    found = {fold(label)}
    synonyms = LABEL_SYNONYMS.get(label_id)
    if synonyms:
        listed = gettext(ctx.locale, synonyms).replace("：", ":").partition(":")[2]
        found.update(fold(w) for w in listed.replace("，", ",").split(",") if w.strip())
    return found


def matching(ctx: Ctx, choices: Sequence[Choice], typed: str) -> Choice | None:
    """The choice whose label (or a synonym of it) the person typed, as a tap would pick it.

    Grandparents often type the word rather than its number or a button.
    """
    want = fold(typed)
    for choice in choices:
        label = render(Prompt(choice.label, choice.params), ctx.locale, ctx.timezone).text
        if want in words(ctx, choice.label, label):
            return choice
    return None
