"""The flow in progress under the question shown, named where it would go unmentioned (fix6ac, issue 6 item 1).

王老师's talk with 杨秀云 was half done when 张强's 【紧急】 message came on top of it. Her ``/due`` then listed the
talks due and the message with its Reply, and said nothing of the talk she had begun: it looked lost. Now the
line "Your talk with 杨秀云 is still in progress …" stands above the question shown, saying it comes back
where she left it, as every set-aside flow does (:func:`bot.flows.agenda.ask_next`).
"""

from __future__ import annotations

from typing import Any

from bot.flows.common import Ctx
from bot.messages.prompt import N_, Prompt, text

IN_PROGRESS = {
    "talk": N_("Your talk with {name} is still in progress: it comes back where you left it once the question "
               "below is answered."),
    "incident": N_("Your incident report about {name} is still in progress: it comes back where you left it once "
                   "the question below is answered."),
}
AFTER_SAVED = {("talk", "safety_offer"): N_(
    "Your talk with {name} is saved; the question after it (report an incident now?) is still waiting: it comes "
    "back once the question below is answered.")}
"""The question after a saved talk, never called a talk "still in progress" (it is saved: fix6ah)."""
IN_PROGRESS_OTHER = N_("What you were doing is still in progress: it comes back where you left it once the question "
                       "below is answered.")


def _in_progress(ctx: Ctx) -> tuple[str, str, dict[str, Any]] | None:
    """The flow under the question shown (running, or set aside): its name, state and values, else None."""
    if ctx.conv.flow and ctx.conv.agenda and ctx.conv.agenda[0].get("kind") != "flow":
        return ctx.conv.flow, ctx.conv.state or "", ctx.conv.data
    saved = next((e for e in ctx.conv.agenda if e.get("kind") == "saved"), None)
    if saved is None:
        return None
    return str(saved["flow"]), str(saved.get("state") or ""), dict(saved.get("data") or {})


def line(ctx: Ctx) -> Prompt | None:
    """"Your talk with 杨秀云 is still in progress …", or None when no flow waits under the question shown."""
    found = _in_progress(ctx)
    if found is None:
        return None
    flow, state, data = found
    values = data.get("v") or {}
    name = values.get("child_name") or values.get("child")
    message = AFTER_SAVED.get((flow, state)) or IN_PROGRESS.get(flow)
    if message is None or not name:
        return Prompt(IN_PROGRESS_OTHER)
    return Prompt(message, {"name": text(str(name))})


def above_question(ctx: Ctx, prompts: list[Prompt], still_waiting: str) -> list[Prompt]:
    """``prompts`` (an informational reply, the question shown last) with the flow in progress named above it."""
    said = line(ctx)
    if said is None or not prompts:
        return prompts
    asked = [i for i, p in enumerate(prompts) if p.choices]
    at = asked[-1] if asked else len(prompts) - 1
    if at > 0 and prompts[at - 1].message_id == still_waiting:
        at -= 1
    return [*prompts[:at], said, *prompts[at:]]
