"""A typed head count: ``5``, ``５``, ``5人``, ``五个``, ``十二个人``, ``两位`` (meeting attendance).

Teachers answer "how many came?" as they would say it, in digits or Chinese
numerals, with or without a measure word. Anything else (``很多``, ``5-6``)
is not a count: the question is asked again rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_TAIL = re.compile(r"(?:个人|个|人|位|名)$")
MAX_COUNT = 9999


def _chinese(numeral: str) -> int | None:
    """``十二`` → 12, ``二十`` → 20, ``一百零五`` → 105; None when it is not a numeral."""
    total, digit = 0, None
    for ch in numeral:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None  # 五五: not how a count is said
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_count(typed: str) -> int | None:
    """The count a person typed (0–:data:`MAX_COUNT`), or None when the text is not one count."""
    cleaned = "".join(unicodedata.normalize("NFKC", typed).split()).rstrip("。.!！")
    cleaned = _TAIL.sub("", cleaned)
    if not cleaned:
        return None
    if cleaned.isdecimal() and cleaned.isascii():
        value: int | None = int(cleaned)
    else:
        value = _chinese(cleaned)
    return value if value is not None and value <= MAX_COUNT else None
