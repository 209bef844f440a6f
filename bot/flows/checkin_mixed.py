"""A line about two children at a check-in question: each child's part to that child (fix6q, trial item 6).

At "how is 刘婷婷 this week?" ``刘帅发烧了，婷婷还好`` answers 刘婷婷's check-in with ``婷婷还好`` (一般) and
刘帅's with ``刘帅发烧了`` (needs help, the words its note) — never one child's answer for both, nor "which
child?" for a line that says. The split is :mod:`bot.flows.checkin_split`'s; the part about the child shown
is answered here as the question on screen, with its follow-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.flows import agenda as agenda_flow
from bot.flows import checkin, checkin_named, checkin_split, checkin_which
from bot.flows import relay as family_flow
from bot.flows.common import Ctx
from bot.messages import payloads
from bot.messages.prompt import Choice, Prompt
from bot.services.family_notes import checkin_child


def at_checkin(ctx: Ctx, top_prompt: Prompt, choices: Sequence[Choice], typed: str) -> list[Prompt] | None:
    """``typed`` naming two or more of the writer's children at a check-in question: each part to its child."""
    pressed = [p for c in choices if isinstance(p := payloads.decode(c.payload), payloads.CheckinPress)]
    if not pressed:
        return None
    found = checkin_split.parts(ctx, typed)
    if found is None:
        return None
    shown = checkin_child(ctx.uow, pressed[0].checkin_id)
    told = checkin_split.others(ctx, found, shown)
    own = next((words for child, words in found if child.id == shown), None)
    answer = checkin_split.answer_for(ctx, next(c for c, _ in found if c.id == shown), own) if own else None
    payload = checkin_named.waiting_payload(ctx, shown, answer) if shown is not None and answer else None
    if payload is not None and answer == "needs_help":
        return [*told, *checkin_which.needs_help(ctx, payload, own or "")]
    if payload is not None and answer is not None:
        agenda_flow.answered(ctx, payload)
        return [*told, *checkin.on_answer(ctx, pressed[0].checkin_id, answer)]
    passed = [family_flow.about_child(ctx, shown, own)] if own and shown is not None else []
    return [*told, *passed, Prompt(agenda_flow.STILL_WAITING), top_prompt]
