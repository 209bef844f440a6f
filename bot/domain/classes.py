"""Ordering of class names the way a school lists them (一年级（1）班 before 二年级（1）班)."""

from __future__ import annotations

import re
import unicodedata

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GRADE = re.compile(r"^(?P<grade>[一二三四五六七八九十]+|\d+)\s*年级")
_NUMBER = re.compile(r"\d+")


def _grade(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):  # 十一, 十二
        return 10 + _NUMERALS.get(text[1:], 0)
    return _NUMERALS.get(text)


def class_sort_key(name: str | None) -> tuple[int, int, str]:
    """Sort key for a class name: grade, then class number, then the name itself.

    ``一年级（2）班`` → (1, 2, …); names without a recognisable grade sort last,
    by name. Code-point order would put 三年级 before 二年级.
    """
    if not name:
        return (99, 0, "")
    folded = unicodedata.normalize("NFKC", name)
    match = _GRADE.match(folded)
    grade = _grade(match.group("grade")) if match else None
    rest = folded[match.end():] if match else folded
    number = _NUMBER.search(rest)
    return (grade if grade is not None else 99, int(number.group()) if number else 0, folded)
