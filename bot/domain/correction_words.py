"""Words that correct an answer just given: ``不对，是一般``, ``刚才按错了应该是需要帮助``, ``I meant so-so`` (fix6ak).

A grandparent who tapped the wrong number at the Friday check-in says so in words, right after: ``刚才按错了应该是
需要帮助``. Those words were passed to the class teacher as a note while the wrong answer stood (a new-user trial).
This module only says whether a message corrects, and what is left of it once the correction words are set
aside — the caller (:mod:`bot.flows.checkin_amend`) reads the answer in what is left.

A message corrects when one of its clauses (split at ``，。；！？`` and their ASCII twins) opens with a correction
word of the catalogs (``bot.flows.words.WORD_LISTS["correction"]``: ``不对``, ``按错了``, ``应该是``, ``wrong``,
``I meant``), after words that only lead in (``刚才``, ``我``, ``不好意思``, ``sorry``). A correction word inside a
clause is no correction: ``孩子作业写错了`` tells of homework; ``孩子最近不对劲`` says something is wrong with the
child (:data:`NOT_A_CORRECTION`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import help_words

LEADS = ("不好意思", "对不起", "哎呀", "哎哟", "刚刚", "刚才", "其实", "那个", "哎", "啊", "哦", "噢", "呃", "嗯", "我",
         "sorry", "oops", "oh", "ah", "um", "i")
"""Words that only lead into a correction (``刚才按错了``, ``sorry, wrong one``)."""

FILLERS = ("应该是", "应该选", "应该", "其实是", "孩子", "这周", "是", "选", "按", "点", "为", "成", "了", "的", "要",
           "就", "她", "他", "it should be", "should be", "it is", "it's", "she is", "he is", "she's", "he's",
           "they are", "has been", "seems to be", "seems", "are", "was", "to", "is", "it", "the", "this week")
"""Words between a correction word and the answer (``应该是需要帮助``, ``I meant: she is so-so``)."""

NOT_A_CORRECTION = ("不对劲", "不对付", "不对头")
"""Words holding a correction word that tell of the child, never of the answer (``孩子最近不对劲``)."""

_HIDDEN = "\ue000"
_CLAUSES = re.compile(r"[，,。.；;！!？?\n、…~～:：]+")


def _opening(clause: str, words: Iterable[str]) -> str | None:
    """The word of ``words`` that ``clause`` opens with (the longest), English ones as whole words; else None."""
    for word in sorted(words, key=len, reverse=True):
        if not word or not clause.startswith(word):
            continue
        after = clause[len(word):len(word) + 1]
        if word[-1].isascii() and word[-1].isalnum() and after.isascii() and after.isalnum():
            continue  # "i" is no opening of "it"; "wrong" none of "wrongly"
        return word
    return None


def _strip(clause: str, *lists: Iterable[str]) -> tuple[str, list[str]]:
    """``clause`` with the words of ``lists`` it opens with taken off, again and again; and the words taken."""
    words = [w for each in lists for w in each]
    taken: list[str] = []
    while True:
        word = _opening(clause, words)
        if word is None:
            return clause, taken
        clause = clause[len(word):].strip()
        taken.append(word)


def clauses(typed: str, markers: Iterable[str], *, always: bool = False) -> tuple[str, ...] | None:
    """What is left of each clause of ``typed`` without its correction and lead-in words, when ``typed`` corrects.

    Args:
        typed: the message as written.
        markers: the catalogs' correction words, any language, as listed.
        always: the clauses left even when none opens with a correction word.

    Returns:
        The clauses left (folded: simplified, case-folded; empty ones dropped — ``()`` for a bare ``按错了``),
        or None when no clause opens with a correction word (and not ``always``).
    """
    folded = help_words.fold(typed)
    for kept in NOT_A_CORRECTION:  # hidden while clauses are read (no clause opens with 不对 then), kept
        folded = folded.replace(kept, kept.replace("不", _HIDDEN))
    marks = tuple(w for w in (help_words.fold(m).strip() for m in markers) if w)
    corrects = False
    left: list[str] = []
    for clause in (c.strip() for c in _CLAUSES.split(folded)):
        rest, taken = _strip(clause, marks, LEADS)  # 我刚才按错了, I meant (a lead-in "i" no part of it)
        corrects = corrects or any(word in marks for word in taken)
        rest, _ = _strip(rest, LEADS, marks, FILLERS)
        if rest:
            left.append(rest.replace(_HIDDEN, "不"))
    if not (corrects or always):
        return None
    return tuple(left)


def bare(clause: str) -> str:
    """``clause`` folded, without the lead-in and filler words it opens with (``is fine`` → ``fine``, ``是一般``)."""
    return _strip(help_words.fold(clause).strip(), LEADS, FILLERS)[0]
