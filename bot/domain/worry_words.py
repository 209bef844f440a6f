"""Worry words in a guardian's answer to "how is the child this week?": ``孩子病了``, ``老是哭``, ``she is sick``.

A grandparent often answers the weekly check-in in a sentence rather than a
tap. A sentence that says the child is ill, hurt, crying or not eating asks for
help whatever else it says (``不太好，老是哭``): the check-in takes it as "needs
help", with the sentence as its note (``bot.flows.checkin_worry``), and it is
never read as "good" (``好的，就是孩子病了``). The words themselves are per
language in the catalogs (``bot.flows.words.WORD_LISTS["worry"]``); this module
only says whether a message holds one of them.

A word counts when it is contained in the message (traditional characters read
as simplified, spaces ignored in Chinese) and no negation comes just before it —
the negations of :mod:`bot.domain.help_words` (``没生病``, ``不哭了``, ``没有不舒服``;
``she is not sick``, ``no fever``), so a guardian who says the child is *not*
ill is not taken as asking for help. English words count as whole words
(``ill`` is no part of ``will``). ``不太好`` alone is no worry: it is the
check-in's "so-so" (its own everyday words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import help_words


def worried(typed: str, words: Iterable[str]) -> bool:
    """Whether ``typed`` holds one of ``words`` (the catalogs' worry words, any language) not negated.

    Args:
        typed: the message as written.
        words: the worry words, as listed in the catalogs (``病了``, ``not eating``); blank ones are ignored.

    Returns:
        True when a Chinese word is contained (spaces aside) or an English word is a whole word of the
        message, with no negation just before it.
    """
    folded = help_words.fold(typed)
    joined = folded.replace(" ", "")
    chinese: list[str] = []
    english: list[str] = []
    for word in words:
        kept = help_words.fold(word).strip()
        if not kept:
            continue
        if kept.isascii():
            english.append(kept)
        else:
            chinese.append(kept.replace(" ", ""))
    if chinese and help_words.holds(joined, tuple(chinese)):
        return True
    if not english:
        return False
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in english) + r")\b")
    return help_words.holds_in_english(folded, pattern)
