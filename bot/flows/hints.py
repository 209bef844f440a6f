"""What a typed answer that does not fit the current question hears (DESIGN.md "Conversations").

A number outside the choices shown, a number where words are wanted (a note,
an answer to a family), other words where an irreversible choice must be typed
exactly (``确认结束``): each is told what the question wants, and the question
is shown again by the runner (:mod:`bot.flows.runner`).
"""

from __future__ import annotations

from typing import Any

from bot.domain.enums import STAFF_ROLES
from bot.flows import typed as typed_answers
from bot.flows import words as everyday
from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, msg

NUMBER_BETWEEN = N_("Please reply with a number from {low} to {high}.")
NUMBER_ONE = N_("Please reply with 1, or with the words of the answer.")
WORDS_NOT_A_NUMBER = N_("A number alone does not answer this question: please write a few words.")
NOT_A_NUMBER = N_("To avoid mistakes, this question cannot be answered with a number. Type “{label}” to confirm, "
                  "or tap its button.")
TYPE_THE_WORDS = N_("Please type “{label}” to confirm.")


def number_between(count: int) -> Prompt:
    """"Reply with a number from 1 to n" (or "reply with 1" for a question with one answer)."""
    return Prompt(NUMBER_ONE) if count == 1 else Prompt(NUMBER_BETWEEN, {"low": 1, "high": count})


WORDS_OR_ONE = N_("Please type the words themselves. To choose “{label}” instead, reply 1.")
WORDS_OR_NUMBER = N_("Please type the words themselves, or reply with a number from 1 to {high} to choose an option.")


def words_or_choice(ctx: Ctx) -> Prompt:
    """A number beside the choices of a question that wants words (a note, an answer to a family)."""
    prompt = ctx.current_prompt()
    choices = prompt.choices if prompt else ()
    if len(choices) == 1:
        return Prompt(WORDS_OR_ONE, {"label": msg(choices[0].label, **choices[0].params)})
    return Prompt(WORDS_OR_NUMBER, {"high": len(choices)})


def not_a_number(ctx: Ctx, message: str = NOT_A_NUMBER) -> Prompt:
    """"Type the words": the answer to a number, or to other words, at a question with a typed-only choice."""
    prompt = ctx.current_prompt()
    typed = [c for c in (prompt.choices if prompt else ()) if c.typed]
    label: Any = msg(typed[0].label, **typed[0].params) if typed else ""
    return Prompt(message, {"label": label})


OFFER_NOT_A_NUMBER = N_("To avoid mistakes, this question cannot be answered with a number. Please type {choices} "
                        "or {last}.")
OFFER_TYPE_THE_WORDS = N_("Please answer with the words: type {choices} or {last}.")


def typed_offer(ctx: Ctx, prompt: Prompt, typed: str) -> Prompt | None:
    """At a question shown outside a flow with a typed-only choice: what a number or a bare yes hears.

    "Did you link it yourself?" (``bot.services.binding_probation``) waits behind an incident alert; a ``1``
    typed twice once acknowledged the alert and then confirmed a stranger's account (fix9ab). A number, an
    acknowledgement (``好的``, ``收到``, ``是``) or emoji are told the words to type. None: not such a question,
    or other words (a family member's message is passed on as ever).
    """
    if not any(c.typed for c in prompt.choices):
        return None
    if typed_answers.number(typed) is not None:
        message = OFFER_NOT_A_NUMBER
    elif everyday.is_acknowledgement(ctx.locale, typed) or everyday.says_nothing(typed):
        message = OFFER_TYPE_THE_WORDS
    else:
        return None
    named = [msg(N_("“{words}”"), words=msg(c.label, **c.params)) for c in prompt.choices]
    if len(named) == 1:
        return Prompt(NOT_A_NUMBER if message == OFFER_NOT_A_NUMBER else TYPE_THE_WORDS,
                      {"label": msg(prompt.choices[0].label, **prompt.choices[0].params)})
    return Prompt(message, {"choices": named[:-1], "last": named[-1]})


NOT_UNDERSTOOD = N_("Sorry, I didn't understand that. Send /help to see what I can do.")
STAFF_NOT_UNDERSTOOD = N_("Sorry, I didn't understand that. To report something about a child, send “report” and the "
                          "child's name, e.g. “report 张三”; I will ask the rest step by step. Send /help to see all "
                          "the commands for teachers.")
FOR_TEACHERS = N_("That command is for the child's teachers, so I have not passed it on. You can see your own "
                  "child's card with “card” and the child's name; anything you would like the teacher to know, "
                  "just write it here and I will pass it on to the class teacher.")


def not_understood(ctx: Ctx) -> Prompt:
    """Words that are no command and answer nothing: staff also hear how to report (``报告 姓名``).

    A teacher's ``报告老师孩子今天没来`` (a new-user trial, LOW-6) was only told "not understood"; a report is
    what a teacher most often means by a sentence typed with nothing in progress.
    """
    actor = ctx.actor
    return Prompt(STAFF_NOT_UNDERSTOOD if actor is not None and STAFF_ROLES & actor.roles else NOT_UNDERSTOOD)


def for_teachers(ctx: Ctx, _word: str) -> list[Prompt]:
    """A family member's staff command with a name (``谈心记录 刘帅``): whom it is for, and what to do instead.

    Never relayed as a message (LOW-5), and the same words whatever the name: nothing is said about the child.
    """
    ctx.finish()
    return [Prompt(FOR_TEACHERS)]
