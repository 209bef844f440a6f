"""Whether a message says "emergency" (issue 6: a grandparent's ``救命`` at night never waits).

Pure rules over a clear table of words per kind (:data:`WORDS`), Chinese and
English side by side, matched whatever the writer's language:

* a word counts when it is *contained* in a longer message
  (``孩子发高烧抽筋了``, ``紧急情框``);
* not when it is negated just before it (``不紧急``, ``没有出血``,
  ``not urgent``), nor when the message says all is well again (``没事了``,
  ``不急``, ``false alarm``);
* a one-character slip is tolerated where it cannot make an everyday message
  match: two neighbouring characters swapped (``急紧``) in any word, one
  character typed wrong in a Chinese word of four or more characters
  (``呼吸困南``) except in its common characters (``孩子``, ``不``), and one
  letter wrong, missing, extra or swapped in an English word of seven or more
  letters (``emergancy``). A homophone slip of a word of two or three
  characters (``救名``, ``发高绕``) is not caught: one character of two matches
  half of everyday Chinese (``紧张``, ``出去``), and ``发低烧`` is no ``发高烧``.

A false alarm costs a teacher one message at night; a missed emergency waits
until morning, so the lists lean towards matching — but the everyday words
families write (``收到``, ``孩子这周很好``, ``谢谢老师``) never match
(tests/domain/test_emergency_words.py keeps a list of them).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class EmergencyKind(StrEnum):
    """What to do first: 120 for a medical emergency, 110 for the police or a missing child."""

    MEDICAL = "medical"
    POLICE = "police"
    URGENT = "urgent"  # urgent, kind not said (``紧急``, ``救命``, ``SOS``)


_KIN = ("孩子", "娃", "孙子", "孙女", "外孙", "外孙女", "儿子", "女儿")
"""How a family names the child it writes about; the child's own name counts as these (:func:`emergency_kind`)."""

WORDS: dict[EmergencyKind, tuple[str, ...]] = {
    EmergencyKind.MEDICAL: (
        "急救", "抽筋", "抽搐", "昏迷", "晕倒", "昏倒", "不省人事", "发高烧", "高烧", "烧到40", "烧到39", "出血",
        "流血不止", "大出血", "溺水", "淹水了", "掉水里", "掉河里", "呼吸困难", "喘不上气", "没有呼吸", "没呼吸",
        "中毒", "喝了农药", "喝农药", "骨折", "车祸", "被车撞", "被狗咬", "蛇咬", "触电", "烧伤", "烫伤", "救护车",
        "打120", "叫120", "拨120", "call 120",
        "ambulance", "unconscious", "fainted", "seizure", "convulsion", "high fever", "bleeding", "drowning",
        "drowned", "not breathing", "poisoned", "poisoning", "broken bone", "car accident", "hit by a car",
    ),
    EmergencyKind.POLICE: (
        "失踪", "走丢", "被拐", "拐走", "被人带走",
        *(f"{who}不见了" for who in (*_KIN, "人", "他", "她")), *(f"找不到{who}" for who in _KIN),
        *(f"{who}找不到了" for who in _KIN), *(f"{who}丢了" for who in _KIN),
        "报警", "打110", "拨110", "被打", "打孩子", "绑架",
        "missing child", "child is missing", "went missing", "gone missing", "cannot find him", "cannot find her",
        "can't find him", "can't find her", "can't find my child", "cannot find my child", "kidnapped", "abducted",
        "police", "call 110",
    ),
    EmergencyKind.URGENT: (
        "紧急", "救命", "很急", "急急", "十万火急", "出事了", "快来人", "求救",
        "sos", "emergency", "urgent", "help me", "help!", "please help", "need help now",
    ),
}
"""The words per kind, both languages (folded: lower case, full-width as ASCII)."""

NEGATIONS: tuple[str, ...] = ("不是", "并不", "不太", "不算", "没有", "不用", "不", "没", "别", "无", "非", "未")
"""Chinese words that negate the word right after them (``不紧急``, ``没有出血``)."""

ENGLISH_NEGATIONS = frozenset({"not", "no", "nothing", "isn't", "isnt", "never", "non", "without", "wasn't"})
"""English words that negate the word after them, one or two words before it (``not an emergency``)."""

ALL_CLEAR: tuple[str, ...] = (
    "没事了", "没事儿了", "已经没事", "不急", "不要紧", "已经好了", "找到了", "虚惊一场", "不用担心", "烧退了",
    "退烧了",
    "no rush", "not urgent", "false alarm", "all fine now", "all good now", "is fine now", "found him", "found her",
)
"""Phrases that say all is well again: the message is no emergency (it still reaches the teacher as usual)."""

_COMMON = frozenset("子了不的孩到人上我你他她是有在去来好见找没一个儿女孙娃")
"""Characters a slip may not replace: one of them swapped makes everyday Chinese (找不到鞋子, 书包不见了)."""
_LATIN = re.compile(r"[a-z0-9'!]+")
_MIN_LATIN_SLIP = 7
_MIN_CJK_SLIP = 4


def fold(typed: str) -> str:
    """NFKC and case-folded, spaces collapsed: ``ＳＯＳ！`` → ``sos!``."""
    return " ".join(unicodedata.normalize("NFKC", typed).casefold().split())


def emergency_kind(typed: str, names: tuple[str, ...] = ()) -> EmergencyKind | None:
    """The most pressing kind of emergency ``typed`` speaks of, or None (medical before police before urgent).

    Medical first: the advice for it (call 120) is the one that saves a life soonest; a message with only
    ``紧急`` gets both numbers.

    Args:
        typed: the message as written.
        names: the writer's children's names (``杨秀云``, ``秀云``): each is read as ``孩子``, so
            ``秀云不见了`` says ``孩子不见了``.
    """
    text = fold(typed)
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(fold(name), "孩子")
    if not text or any(phrase in text for phrase in ALL_CLEAR):
        return None
    for kind in (EmergencyKind.MEDICAL, EmergencyKind.POLICE, EmergencyKind.URGENT):
        if any(_says(text, word) for word in WORDS[kind]):
            return kind
    return None


def is_emergency(typed: str, names: tuple[str, ...] = ()) -> bool:
    """Whether ``typed`` speaks of an emergency (:func:`emergency_kind` is not None)."""
    return emergency_kind(typed, names) is not None


def _says(text: str, word: str) -> bool:
    if word.isascii():
        return _says_latin(text, word)
    spaceless = text.replace(" ", "")
    return any(not _negated_cjk(spaceless, start) for start in _cjk_hits(spaceless, word))


def _cjk_hits(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text``: exactly, else with one tolerated slip."""
    exact = [m.start() for m in re.finditer(re.escape(word), text)]
    if exact:
        return exact
    n = len(word)
    hits: list[int] = []
    for start in range(len(text) - n + 1):
        window = text[start:start + n]
        diff = [i for i in range(n) if window[i] != word[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and window[diff[0]] == word[diff[1]] \
                and window[diff[1]] == word[diff[0]]:
            hits.append(start)  # two neighbours swapped
        elif len(diff) == 1 and n >= _MIN_CJK_SLIP and not any(ch.isascii() for ch in word) \
                and word[diff[0]] not in _COMMON and window[diff[0]] not in _COMMON \
                and not window[diff[0]].isascii():
            hits.append(start)  # one character typed wrong (呼吸困南)
    return hits


def _negated_cjk(text: str, start: int) -> bool:
    before = text[:start]
    return any(before.endswith(neg) for neg in NEGATIONS)


def _says_latin(text: str, word: str) -> bool:
    tokens = _LATIN.findall(text)
    wanted = _LATIN.findall(word)
    if not wanted:
        return False
    size = len(wanted)
    for i in range(len(tokens) - size + 1):
        window = tokens[i:i + size]
        if all(_same_word(got, want) for got, want in zip(window, wanted, strict=True)) \
                and not ENGLISH_NEGATIONS & {t.rstrip("!") for t in tokens[max(0, i - 2):i]}:
            return True
    return False


def _same_word(got: str, want: str) -> bool:
    """Equal, or (``want`` of seven letters or more) one letter wrong, missing, extra or swapped."""
    if want.endswith("!"):
        return got == want
    got = got.rstrip("!")
    if got == want:
        return True
    return len(want) >= _MIN_LATIN_SLIP and _one_edit(got, want)


def _one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance exactly one (a substitution, insertion, deletion or neighbour swap)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
