"""Whether a short reply sounds like an answer word: ``很号`` for 很好, ``一版`` for 一般 (issue 6 trial).

Elderly grandparents type with a pinyin input method: a slip picks a character of the same sound, so the typo is a
homophone. Compared without tones, each character by any of its readings (还 is hai or huan). Only short replies
(:data:`LONGEST` characters, all Chinese, at least two) are compared: a sentence is never read this way, and one
character (号, 浩) is too little to guess from. Pure: no I/O.
"""

from __future__ import annotations

from functools import cache

from pypinyin import Style, pinyin

LONGEST = 4
"""The longest reply read by its sound (需要帮助 is four characters)."""


def _chinese(word: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in word)


@cache
def _readings(word: str) -> tuple[frozenset[str], ...]:
    """Each character's toneless readings."""
    return tuple(frozenset(each) for each in pinyin(word, style=Style.NORMAL, heteronym=True))


def sounds_like(typed: str, word: str) -> bool:
    """Whether ``typed`` (folded, short, Chinese) reads as ``word`` in toneless pinyin, character by character."""
    if not 2 <= len(typed) <= LONGEST or len(typed) != len(word) or not (_chinese(typed) and _chinese(word)):
        return False
    return all(a & b for a, b in zip(_readings(typed), _readings(word), strict=True))
