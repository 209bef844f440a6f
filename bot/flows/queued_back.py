"""A message queued behind a flow comes back as soon as the flow ends with an optional action (fix6r, break6 F3).

王老师 was describing an injury when 张强's message about his granddaughter's fever arrived; she was told "please
first answer my question above … then I will ask you this one again". Her report was sent ("已报告", with the
optional "1. 结束事件"), but that optional line became the current question and 张强's message waited until she
typed something — and her ``好的`` was then read against the wrong message. Now, when a flow ends with a reply
whose only question is an optional action and a question that waits for an answer is queued behind, the optional
action is shown without its numbers (it stays reachable by its command, 结束事件) and the queued question is
asked again, named, at once — as promised.
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows.common import Ctx
from bot.messages.prompt import Prompt


def after_flow(ctx: Ctx, prompts: list[Prompt], top_before: str | None) -> list[Prompt]:
    """The reply of a turn that ended a flow with an optional action: the queued question asked again after it.

    Args:
        ctx: the update.
        prompts: the reply as :func:`bot.flows.agenda.finish_turn` made it.
        top_before: the agenda key current before the turn (:data:`bot.domain.agenda.FLOW_KEY` for a flow).

    Returns:
        ``prompts`` unchanged unless the flow that was current ended with an optional action shown last while
        a question waiting for an answer is queued; then the action without its choices, and that question.
    """
    top = agenda_flow.current(ctx)
    if top_before != agenda.FLOW_KEY or ctx.conv.flow or top is None or top["kind"] != "offer" \
            or top.get("required") or not prompts or not prompts[-1].choices:
        return prompts
    if [c.payload for c in prompts[-1].choices] != list(top.get("payloads") or ()):
        return prompts
    if not any(e.get("required") for e in ctx.conv.agenda[1:]):
        return prompts
    ctx.conv.agenda = agenda.remove(ctx.conv.agenda, top["key"])
    return [*prompts[:-1], replace(prompts[-1], choices=()), *agenda_flow.ask_next(ctx)]
