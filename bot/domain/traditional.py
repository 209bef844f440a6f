"""Traditional characters read as simplified, by OpenCC's ``t2s`` conversion (its phrase and character tables).

Some phones' input methods, and relatives in Hong Kong or Taiwan, type
traditional characters: ``報告 楊秀雲`` means ``报告 杨秀云``, ``發燒`` is ``发烧``,
``確認`` is ``确认``. A hand-made table covered only the characters someone had
thought of (``同學欺負他`` kept its ``負``, so the words were not read); OpenCC
is a maintained conversion with phrase and character tables, shipped as wheels.

The converter loads its dictionaries once (about 10 ms; the module imports in
5 ms), on first use: a process that never meets a Chinese word does not pay for
it. A conversion then takes about 3 microseconds; the names of a scope compared
row by row (``bot.services.access``) are the same few thousand strings each time,
so the latest conversions of short texts (names, keywords) are kept, a
dictionary look-up instead; long messages are converted each time rather than
held in memory. ASCII text is returned at once.
"""

from __future__ import annotations

from functools import cache, lru_cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_SHORT = 32
"""Texts up to this length (names, keywords, everyday answers) are cached."""


def simplified(typed: str) -> str:
    """``typed`` with its traditional characters as simplified (``報告 楊秀雲`` → ``报告 杨秀云``)."""
    if typed.isascii():  # nothing to convert: most commands and every English word
        return typed
    return _short(typed) if len(typed) <= _SHORT else _convert(typed)


@lru_cache(maxsize=16384)
def _short(typed: str) -> str:
    return _convert(typed)


def _convert(typed: str) -> str:
    return str(_converter().convert(typed))
