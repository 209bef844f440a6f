"""What a typed answer that does not fit the current question hears (DESIGN.md "Conversations").

A number outside the choices shown, a number where words are wanted (a note,
an answer to a family), other words where an irreversible choice must be typed
exactly (``确认结束``): each is told what the question wants, and the question
is shown again by the runner (:mod:`bot.flows.runner`).
"""

from __future__ import annotations

from typing import Any

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
