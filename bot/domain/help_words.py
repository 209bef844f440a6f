"""What kind of help words typed at "what kind of help?" ask for (the weekly check-in's follow-up).

A grandparent who answered "needs help" often writes the need instead of
tapping its kind: ``钱不够买药`` is a money worry, though it names medicine. The
helper teacher's task shows the kind, so the money words here decide it first
(a family that cannot pay for the medicine needs the school's aid, not only a
doctor's advice). Anything not listed stays "other", with the words as the note.

Pure rules over a clear table, Chinese and English side by side, matched
whatever the writer's language: a word counts when it is contained in the
message (traditional characters read as simplified, ``錢不夠``), not when a
negation comes just before it (``不缺钱``, ``no money problem`` is not read).
"""

from __future__ import annotations

import re

from bot.domain.emergency_words import fold as _fold
from bot.domain.traditional import simplified

MONEY_WORDS: tuple[str, ...] = (
    "钱",
    "学费",
    "费用",
    "生活费",
    "医药费",
    "伙食费",
    "买不起",
    "交不起",
    "付不起",
    "供不起",
    "看不起病",
    "缺钱",
    "借钱",
    "欠债",
    "欠款",
    "贷款",
    "经济困难",
    "家里困难",
    "家庭困难",
    "生活困难",
    "困难补助",
    "补助",
    "低保",
    "贫困",
    "穷",
    "没收入",
    "没有收入",
    "打工没工资",
    "工资",
)
"""Chinese words of a money need (contained in the message)."""

ENGLISH_MONEY_WORDS = re.compile(
    r"\b(?:money|cash|afford|fees?|tuition|debts?|loans?|broke|wages?|income|allowance|pay for|can't pay|"
    r"cannot pay|poverty)\b"
)
"""English words of a money need (whole words of the folded message)."""

NEGATIONS = ("不缺", "不差", "不用", "不要", "不")
"""Just before a money word, these say the need is not money (``不缺钱``, ``不用钱``; ``不`` for ``缺钱``)."""


_NO_MONEY_PROBLEM = re.compile(r"\bno (?:money|cash) (?:problems?|issues?|worries)")


def fold(typed: str) -> str:
    """The message as compared: simplified, NFKC, case-folded (:func:`bot.domain.emergency_words.fold`)."""
    return _fold(simplified(typed))


def help_kind(typed: str) -> str | None:
    """``"money"`` when ``typed`` speaks of a money need, else None (the caller's "other").

    The value is a key of ``bot.services.checkin_messages.HELP_KIND_LABELS``.
    """
    folded = fold(typed)
    text = folded.replace(" ", "")
    for word in MONEY_WORDS:
        start = text.find(word)
        while start >= 0:
            if not any(text[:start].endswith(neg) for neg in NEGATIONS):
                return "money"
            start = text.find(word, start + 1)
    if ENGLISH_MONEY_WORDS.search(folded) and not _NO_MONEY_PROBLEM.search(folded):
        return "money"
    return None
