"""``报告老师`` or ``老师`` alone from a family member: what do you want to tell the teacher? (fix6ad, issue 6).

A grandmother who types ``报告老师`` (or ``报告老师！``, ``老师``, ``张老师``) is calling the teacher, as she
would in the classroom door; her message comes next. Passed on as typed, the teacher read "留言：“报告老师”"
and nothing else, and her next words became a second message. Now the words that only address the teacher
ask one question in her language, "您想告诉老师什么？", and what she writes next is passed on like any family
message (:func:`bot.flows.relay.pass_on`), without the address. ``报告老师，孩子发烧了`` passes
``孩子发烧了``: :func:`strip_address` takes the address off the words after the command word.
The word lists are the catalogs' ("teacher_address", :data:`bot.flows.words.WORD_LISTS`).
See docs/flows/relay.md.
"""

from __future__ import annotations

import re

from bot.flows import close_words
from bot.flows import words as everyday
from bot.flows.common import Ctx, Option, say
from bot.messages.prompt import N_, Prompt

FLOW = "to_teacher"
STATE = "words"
CANCEL = Option(N_("Cancel"), "cancel")
WHAT = N_("What would you like to tell the teacher? Please write it here, and I will pass it on.")
NOTHING_PASSED = N_("All right: nothing was passed to the teacher.")

_NAMED = re.compile(r"(?:报告)?[\u4e00-\u9fff]{0,2}老师(?:好|您好|你好)?")
"""``张老师``, ``报告王老师``, ``老师您好`` (folded: no spaces or punctuation): the address alone."""
_LEADING = re.compile(r"^\s*(?:报告\s*)?(?:[\u4e00-\u9fff]{0,2}老师(?:您好|你好|好)?)[\s，,：:！!。.、]*")
"""A teacher addressed at the start of the words after ``报告`` (``老师，孩子发烧了``)."""
_LEADING_SPOKEN = re.compile(r"^\s*(?:报告\s*)?(?:[\u4e00-\u9fff]{0,2}老师(?:您好|你好|好)?)[\s，,：:！!。.、]+")
"""The same in words typed without a command word: only when a comma or space follows (``老师说`` is a sentence)."""


def address_only(ctx: Ctx, typed: str) -> bool:
    """Whether ``typed`` only calls the teacher (``报告老师``, ``老师！``, ``张老师``, ``hello teacher``)."""
    folded = everyday.fold(typed)
    return bool(folded) and (everyday.matches(ctx.locale, "teacher_address", typed) or bool(_NAMED.fullmatch(folded)))


def strip_address(words: str, *, after_command: bool) -> str:
    """``words`` without the teacher addressed at their start; ``after_command``: they followed ``报告``.

    After the command word the address may run into the message (``报告老师孩子今天没来``); typed alone, a
    comma or a space must follow it (``老师，孩子发烧了``), since ``老师说…`` is a sentence about the teacher.
    """
    rest = (_LEADING if after_command else _LEADING_SPOKEN).sub("", words, count=1)
    return rest.strip() if rest.strip() else words.strip()


def ask(ctx: Ctx) -> Prompt:
    """The one question: "What would you like to tell the teacher?" (her next words are the message)."""
    return ctx.ask(FLOW, STATE, WHAT, options=(CANCEL,), prose=True)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """Cancel: nothing is passed on (any waiting question comes back after)."""
    ctx.finish()
    return [say(NOTHING_PASSED)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Her message: passed on without the address; the address alone again, or a skip word, as such."""
    if address_only(ctx, typed):
        return [ask(ctx)]
    if close_words.is_skip(ctx, typed) or everyday.matches(ctx.locale, "cancel", typed):
        ctx.finish()
        return [say(NOTHING_PASSED)]
    from bot.flows.family_report import pass_words  # (family_report asks this module's question)

    ctx.finish()  # the relay may ask "which child?" next: that is then the question shown
    # 孩子发烧了 while the check-in waits: its "needs help", as typed without 老师 first (fix6t).
    return pass_words(ctx, strip_address(typed, after_command=False)) or [say(NOTHING_PASSED)]
