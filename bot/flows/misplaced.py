"""Words typed for one question while an urgent one arrived: kept, and asked which question they answer.

The rule (DESIGN.md "Conversations": a typed answer goes to the question
shown last, and nothing said is dropped). A teacher writing an incident's
description, a talk's note or an answer to a family is shown a family's
【紧急】 message meanwhile: it becomes the question shown. What she sends next
may have been typed for either — we cannot know whether she began before the
message arrived. Such words are therefore applied to neither: when

* the question shown is a family's message (its Reply), and
* under it a flow waits for words (a description, a note, an answer), and
* the text is words — no number, no choice of the message (``回复``), no
  command, no ``回复：…`` (that one answers the message: :mod:`bot.flows.natural`),

the text is kept as typed and one question asks what it is: the words for the
flow (named: "The description of your incident report about 杨秀云") or the
answer to the family (named). Either choice applies the text as typed; the
urgent message is asked again first, then the flow, named. A description is
never sent to a family, and an answer is never saved as a description.
"""

from __future__ import annotations

from typing import Any

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows import aid, incident, intent, plan, talk
from bot.flows import relay as family_flow
from bot.flows import typed as typed_answers
from bot.flows.common import INVALID_BUTTON, Ctx, Option, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import family_messages

FLOW = "misplaced"
WHICH = N_("You wrote: “{text}”. {name}'s urgent message arrived just then. What is it?")
WORDS_FOR = {
    "incident": N_("The description of your incident report about {name}"),
    "talk": N_("A note for your talk with {name}"),
    family_flow.FLOW: N_("Your answer to {name}'s earlier message"),
}
WORDS_FOR_OTHER = N_("An answer to the question you were answering")
REPLY_TO = N_("Your reply to {name}")
TAKEN = {
    "incident": N_("Kept as the description of your incident report about {name}."),
    "talk": N_("Kept as a note for your talk with {name}."),
}
TAKEN_OTHER = N_("Kept as the answer to the question you were answering.")
_MODULES: dict[str, Any] = {"incident": incident, "talk": talk, family_flow.FLOW: family_flow,
                            plan.FLOW: plan, aid.FLOW: aid}  # a family's reply to an open emergency: fix6at


def catch(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Ask which question ``typed`` answers when it may have been typed before the message shown arrived; else None."""
    top = agenda_flow.current(ctx)
    message_id = _family_message(top)
    under = _words_wanted_under(ctx)
    if (ctx.actor is None or message_id is None or under is None or typed_answers.number(typed) is not None
            or intent.command(ctx, typed) is not None or agenda_flow.answers_current(ctx, typed)):
        return None
    target = family_messages.reply_target(ctx.uow, teacher_id=ctx.actor.person_id, message_id=message_id)
    if target is None:
        return None
    agenda_flow.suspend(ctx)  # the flow waiting for words, set aside with its question (under the message)
    flow, key, data = under if under[1] else (under[0], f"saved:{ctx.conv.serial}", under[2])
    writer = target[0]
    ctx.conv.data["v"] = {"text": typed, "message_id": message_id, "key": key, "flow": flow,
                          "name": _name(flow, data)}
    options = (Option(WORDS_FOR.get(flow, WORDS_FOR_OTHER), "flow", {"name": text(_name(flow, data))}),
               Option(REPLY_TO, "reply", {"name": text(writer)}))
    return [ctx.ask(FLOW, "which", WHICH, {"text": text(typed), "name": text(writer)}, options=options)]


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """The words are for the flow under the message, or the answer to the family."""
    v = dict(ctx.values)
    ctx.finish()
    ctx.conv.agenda = agenda.remove(ctx.conv.agenda, agenda.FLOW_KEY)
    if value == "reply":
        started = family_flow.on_reply_button(ctx, int(v["message_id"]))
        if not family_flow.answering(ctx):
            return started  # answered by someone else meanwhile: said so
        return family_flow.on_text(ctx, str(v["text"])) or []
    entry = next((e for e in ctx.conv.agenda if e["key"] == v["key"]), None)
    module = _MODULES.get(str(v["flow"]))
    if entry is None or module is None:
        return [say(INVALID_BUTTON)]
    agenda_flow.resume(ctx, entry)
    state = (ctx.conv.flow, ctx.conv.state)
    result: list[Prompt] = module.on_text(ctx, str(v["text"])) or []
    if ctx.conv.flow is None or (ctx.conv.flow, ctx.conv.state) == state:
        return result  # the flow ended with it (an answer sent), or asked again (too long): as the flow says
    agenda_flow.suspend(ctx)  # the urgent message first; the flow's next question comes back after it, named
    taken = TAKEN.get(str(v["flow"]))
    return [say(taken, name=text(str(v["name"]))) if taken else say(TAKEN_OTHER)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Other words at "what is it?": not an answer (the runner asks again)."""
    return None


def _family_message(entry: dict[str, Any] | None) -> int | None:
    if entry is None or entry["kind"] != "offer":
        return None
    found = [p for p in map(payloads.decode, entry.get("payloads") or ()) if isinstance(p, payloads.FamilyReply)]
    return found[0].message_id if found else None


def _words_wanted_under(ctx: Ctx) -> tuple[str, str, dict[str, Any]] | None:
    """``(flow, saved key or "", data)`` of the flow waiting for words under the question shown, else None."""
    if ctx.conv.flow:
        if ctx.conv.flow in _MODULES and ctx.conv.data.get("prose"):
            return ctx.conv.flow, "", ctx.conv.data
        return None
    for entry in ctx.conv.agenda[1:]:
        if entry["kind"] == "saved":
            data = entry["data"]
            return (entry["flow"], entry["key"], data) if entry["flow"] in _MODULES and data.get("prose") else None
    return None


def _name(flow: str, data: dict[str, Any]) -> str:
    values = data.get("v") or {}
    if flow == family_flow.FLOW:
        return str(values.get("writer") or "")
    return str(values.get("child_name") or values.get("child") or "")
