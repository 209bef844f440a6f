"""Worry words at "how is the child this week?": ``孩子病了``, ``不太好，老是哭`` are "needs help" (issue 6 trial).

A grandfather asked how 杨秀云 is this week who writes ``孩子病了`` has answered:
the child needs help. Passed on as a message with the question asked again,
his next ``好的`` was "not one of the answers" and the helper teacher was never
asked to call (found by a new-user trial). So a message at the check-in
question holding a worry word (the catalogs' ``worry`` list, any language, not
negated: :mod:`bot.domain.worry_words`) records "needs help", keeps the words as
the check-in's note — the helper teacher's task has them at once and the class
teacher reads them as the family's message — and asks what kind of help,
naming the child. Picking a kind then ends the follow-up (the note is kept);
an acknowledgement (``好的``) or Skip ends it as well.

Called before any everyday-word reading of the answer (``好``, ``好的``), so a
message with a worry word is never taken as "good" (``好的，就是孩子病了``).
Emergency words (``发高烧抽筋``) never reach here: they are answered as urgent
first (:mod:`bot.flows.emergency`). Words naming another of the writer's
children are left to the check-in of that child (:mod:`bot.flows.checkin_named`). Words naming no child from a
writer with several ask which child (:mod:`bot.flows.checkin_which`): which child is ill is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.domain import worry_words
from bot.domain.enums import CheckinAnswer
from bot.flows import checkin_which, family_notes
from bot.flows import typed as typed_answers
from bot.flows.common import Ctx, text_problem
from bot.flows.words import WORD_LISTS
from bot.i18n import LOCALES, gettext
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt
from bot.services.family_notes import checkin_child


@lru_cache(maxsize=4)
def listed_words(key: str = "worry") -> tuple[str, ...]:
    """The worry words of every catalog (``病了``, ``not eating``), as listed: a guardian may write either language.

    ``key``: another list of words found anywhere in an answer (``help_wanted``: ``需要帮助``, ``needs help``).
    """
    entry = WORD_LISTS[key]
    found: set[str] = set()
    for listed in {entry, *(gettext(locale, entry) for locale in LOCALES)}:
        tail = listed.replace("：", ":").partition(":")[2]
        found.update(w.strip() for w in tail.replace("，", ",").replace("、", ",").split(",") if w.strip())
    return tuple(sorted(found))


_REPORT_WORD = re.compile(r"^\s*(?:report|报告)\s*[:：,，]?\s*(?=\S)", re.IGNORECASE)
"""A leading ``report`` (English, not a command when words follow that name no child): not the guardian's news."""


def is_worry(typed: str) -> bool:
    """Whether ``typed`` holds a worry word of the catalogs, or asks for help, not negated (``没生病`` is none).

    ``她需要帮助``, ``孩子需要老师帮助``, ``she needs help`` answer "needs help" as ``孩子病了`` does (fix6x: they were
    passed on as a message, the check-in left unanswered and the helper teacher never told).
    """
    return worry_words.worried(typed, listed_words()) or worry_words.worried(typed, listed_words("help_wanted"))


def at_checkin(ctx: Ctx, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """Worry words typed at a check-in question (``choices``): "needs help", the words its note; else None.

    Returns:
        What the guardian is told (the answer recorded, who reads the words, what kind of help), or None when
        ``typed`` is a number, holds no worry word, names another of the writer's children, or the question
        shown is no check-in.
    """
    needs_help = next((c for c in choices if _answer(c) == CheckinAnswer.NEEDS_HELP.value), None)
    if needs_help is None or typed_answers.number(typed) is not None or not is_worry(typed):
        return None
    if typed_answers.matching(ctx, choices, typed) is not None:  # 需要帮忙 is the answer itself: no note to pass on
        return None
    if text_problem(typed) is not None:  # too long to keep as a note: read as any message is
        return None
    pressed = payloads.decode(needs_help.payload)
    if not isinstance(pressed, payloads.CheckinPress):
        return None
    other = family_notes.named(ctx, typed)
    if other is not None and other.id != checkin_child(ctx.uow, pressed.checkin_id):
        return None
    if other is None and len(family_notes.children(ctx)) > 1:  # 孩子病了 from a grandmother of two: which child?
        return checkin_which.ask(ctx, typed.strip())  # never a guess; then "needs help" for the child she names
    return checkin_which.needs_help(ctx, needs_help.payload, _REPORT_WORD.sub("", typed.strip(), count=1))


def _answer(choice: Choice) -> str | None:
    pressed = payloads.decode(choice.payload)
    return pressed.answer if isinstance(pressed, payloads.CheckinPress) else None
