"""Traditional characters read as simplified, by OpenCC's ``t2s`` conversion (its phrase and character tables).

Some phones' input methods, and relatives in Hong Kong or Taiwan, type
traditional characters: ``報告 楊秀雲`` means ``报告 杨秀云``, ``發燒`` is ``发烧``,
``確認`` is ``确认``. A hand-made table covered only the characters someone had
thought of (``同學欺負他`` kept its ``負``, so the words were not read); OpenCC
is the well-kept conversion every Chinese input tool relies on.

The converter loads its dictionaries once (about 50 ms), on first use, not at
import: a process that never meets a Chinese word does not pay for it. A
conversion then takes a few microseconds, so names are compared through it row
by row (``bot.services.access``) without a cost worth caching. A text already
simplified is left as it is.
"""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(typed: str) -> str:
    """``typed`` with its traditional characters as simplified (``報告 楊秀雲`` → ``报告 杨秀云``)."""
    if typed.isascii():  # nothing to convert: most commands and every English word
        return typed
    return str(_converter().convert(typed))
