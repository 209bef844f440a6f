"""A question held back under emergency advice, and the message after it (split from :mod:`bot.flows.agenda`).

A panicked ``1`` after ``救命`` must not record "all good": the check-in waiting is marked ``held`` and comes back,
with its numbered choices, on the person's next message (:func:`unheld`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows import typed as typed_answers
from bot.flows import words
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt
from bot.services import queued_topic

NOT_AFTER_EMERGENCY = N_("That number was not recorded as an answer. When you can, please answer this question:")
WORD_NOT_AFTER_EMERGENCY = N_("That was not recorded as an answer to the question below. When you can, please "
                              "answer it:")
ACK_AFTER_EMERGENCY = N_("All right. The teacher has your urgent message.")


def held_back(ctx: Ctx, prompts: list[Prompt]) -> list[Prompt]:
    """The answer to an emergency message (``救命``): a check-in waiting is not asked again under it.

    A panicked ``1`` must not record "all good": the question waiting is marked
    ``held`` and comes back on the person's next message (:func:`unheld`). A
    flow's question is asked again as after any information (:func:`beside_current`).
    """
    top = agenda_flow.current(ctx)
    if top is None or not top.get("required") or top["kind"] != "offer":
        return agenda_flow.beside_current(ctx, prompts)
    ctx.conv.agenda = [{**top, "held": True}, *ctx.conv.agenda[1:]]
    # Said, not left to guess: the check-in interrupted by the emergency is not gone (a tester thought it was).
    # (An alert held so is acknowledged by the emergency words at once: bot.flows.reached; nothing to say.)
    alert = any(isinstance(payloads.decode(p), payloads.IncidentAck) for p in top.get("payloads") or ())
    topic = None if alert else queued_topic.topic(ctx.uow, top, None, {})
    return [*prompts, Prompt(HELD_FOR_LATER, {"topic": topic})] if topic is not None else prompts


HELD_FOR_LATER = N_("Later, when you can: {topic}. I will ask it again, with its answers, when you next write; no "
                    "hurry.")


def hold_next(ctx: Ctx) -> None:
    """The question held back under emergency advice was answered (an alert acknowledged): the next one is held.

    The hold passes to the question next in turn (a check-in waiting under the alert), which :func:`ask_next`
    then does not ask: it comes back on the person's next message (:func:`unheld`).
    """
    ctx.conv.agenda = agenda.next_up(ctx.conv.agenda)
    top = agenda_flow.current(ctx)
    if top is not None and top.get("required") and top["kind"] == "offer":
        ctx.conv.agenda = [{**top, "held": True}, *ctx.conv.agenda[1:]]


def unheld(ctx: Ctx, top: dict[str, Any], typed: str, number: int | None) -> list[Prompt] | None:
    """The message after an emergency one: the question held back is current again; a bare number answers nothing.

    A bare word that would answer it (``好``, ``没事``) is not recorded either:
    the person had the advice on screen, not the question. An acknowledgement
    (``收到``, ``好的``) is answered as one. Either way the question is shown
    again, with its numbered choices, so the next answer is to a question seen.

    Returns what to say (the question asked again, not answered), else None (handled as usual).
    """
    if not top.get("held"):
        return None
    ctx.conv.agenda = [{k: v for k, v in top.items() if k != "held"}, *ctx.conv.agenda[1:]]
    question = replace(Prompt.from_dict(top["prompt"]), first_number=1)
    if number is not None:
        return [Prompt(NOT_AFTER_EMERGENCY), question]
    if words.is_only_acknowledgement(ctx.locale, typed):  # 收到, 好的: they read the advice, no answer to the week
        return [Prompt(ACK_AFTER_EMERGENCY), question]
    # 好, 没事, 还好: not recorded either
    if typed_answers.matching(ctx, agenda_flow.offer_choices(top), typed) is not None:
        return [Prompt(WORD_NOT_AFTER_EMERGENCY), question]
    return None
