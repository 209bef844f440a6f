"""Which children an all clear speaks of: ``没事了``, ``杨秀云没事了``, ``秀云没事了``, ``孩子都没事了`` (fixg).

A grandfather whose granddaughter went missing writes ``杨秀云没事了`` rather than
``没事了``; a grandmother of two writes ``孩子都没事了`` or ``两个孩子都很好``. On
check-in day those words used to answer the Friday check-in as "good week"
(:mod:`bot.flows.checkin_named`, :mod:`bot.flows.checkin_all`) and nobody
handling the incident heard them. Here the child's name (full, given, 帅帅 /
小帅, traditional characters: :mod:`bot.domain.child_mentions`) and the words
that say "all of them" (都, 全, both) are set aside, and what is left must be an
all clear of the catalog — or, since the child was named or all of them were, a
plain "fine" (``很好``, ``平安``): said of a child with an open incident, that is
news for those handling it, not a rating of the week.

Negations stay what they are: ``杨秀云还没回来`` and ``秀云不是没事`` leave words
that are no all clear. Which of the children has an open incident is for the
caller to find (:func:`bot.flows.all_clear.all_clear`). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import child_mentions
from bot.domain.traditional import simplified
from bot.flows import words as everyday
from bot.flows.checkin_all import ALL_WORDS, WHO_WORDS

# Between two names: 秀云和刘帅都没事了.
_AND = re.compile(r"和|跟|与|还有|\band\b")


@dataclass(frozen=True)
class Said:
    """An all clear and the children it may be about.

    Attributes:
        child_ids: the children named, else every child of the family (``没事了``, ``孩子都没事了``).
        plain: the words (names aside) are the catalog's all clear (``没事了``), not only "fine" (``很好``).
    """

    child_ids: tuple[int, ...]
    plain: bool


def said(locale: str, typed: str, children: Sequence[tuple[int, str]]) -> Said | None:
    """The all clear in ``typed`` about the family's ``children`` (id, name); None when the words are none.

    Args:
        locale: the writer's locale (every catalog's words count, see :func:`bot.flows.words.words`).
        typed: the words as typed.
        children: the writer's children, id and name.
    """
    every = tuple(child_id for child_id, _name in children)
    if everyday.matches(locale, "all_clear", typed):
        return Said(every, plain=True)
    named = child_mentions.named(typed, children)
    rest = simplified("".join(typed.split())).casefold()
    forms = {form for _child_id, name in children for form in child_mentions.forms(name)}
    for form in sorted(forms, key=len, reverse=True):  # 杨秀云 before 秀云: nothing of a name is left over
        rest = rest.replace(form, " ")
    said_all = bool(ALL_WORDS.search(rest)) or bool(re.search(r"\b(both|all)\b", rest))
    if not named and not said_all:
        return None  # 很好 alone is the week's rating, as before
    rest = ALL_WORDS.sub(" ", _AND.sub(" ", WHO_WORDS.sub(" ", rest)))
    rest = re.sub(r"\ball\b", " ", rest)
    if not everyday.fold(rest):
        return None  # a name alone (秀云) says nothing of how the child is
    ids = tuple(named) or every
    if everyday.matches(locale, "all_clear", rest):
        return Said(ids, plain=True)
    if everyday.matches(locale, "good", rest):
        return Said(ids, plain=False)
    return None
