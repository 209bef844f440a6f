"""Another command in the middle of a flow: drop the unfinished one? (DESIGN.md "Conversations").

A teacher halfway through a talk who types ``报告 杨婷`` is asked first
whether to drop the unfinished talk, naming it (a flow still at its first
question has nothing to lose and is simply replaced). "Drop it" ends the talk
(nothing of it was saved) and runs the new command; "Go back to it" shows the
talk's question again, its buttons working as before. An incident report
(``报告 杨婷``) asks nothing: the talk is set aside, named, and asked again
after the report. See
docs/flows/conversations.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from bot.flows import agenda as agenda_flow
from bot.flows import card_glance, incident_manage, leave_out_reason
from bot.flows.common import Ctx, Option
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import queued_topic

FLOW = "switch"


class State(StrEnum):
    """The flow's one state."""

    CONFIRM = "confirm"
    WHICH = "which"  # a word that names two commands for this person (``report``): which one?


DROP = Option(N_("Drop it and go on"), "drop")
KEEP = Option(N_("Go back to it"), "keep")
QUESTION = N_("You have not finished {what}; nothing of it is saved yet. Drop it?")
WHAT = {
    "talk": N_("your talk with {name}"),
    "incident": N_("your incident report about {name}"),
    "checkin": N_("the check-in about {name}"),
    "incident_manage": N_("closing the incident about {name}"),
    "incident_readmit": N_("letting someone back into the incident about {name}"),
    "aid": N_("the aid entry for {name}"),
}
WHAT_OTHER = N_("what you were doing")
WHAT_RELAY = N_("your answer to {name} about {child}")
DROPPED = N_("Dropped {what}; nothing of it was saved.")
CANCEL_COMMAND = "cancelled"
"""The command "Drop it?" runs after 取消 (:func:`bot.flows.cancelling.dropped`): it names what was dropped itself."""
CANCEL_INCIDENT_COMMAND = "cancelled_incident"
"""The same after 取消 in an incident report (:func:`bot.flows.cancelling.dropped_incident`)."""
CANCEL_COMMANDS = frozenset({CANCEL_COMMAND, CANCEL_INCIDENT_COMMAND})


def unfinished(ctx: Ctx, flows: Mapping[str, Any], arg: str) -> bool:
    """Whether to ask before running a command: answers were given, or words were asked for and it names a child.

    ``报告 杨秀云`` typed where the answer to a family is asked for may have been meant as that answer. A
    check-in's note is asked after its answer was saved: a command there loses nothing.
    """
    if ctx.conv.flow not in flows:
        return False
    prose = bool(arg and ctx.conv.data.get("prose")) and ctx.conv.flow != "checkin"
    return int(ctx.conv.data.get("steps") or 0) > 1 or prose


# A flow showing something with optional next steps (a card with its corrections, a plan, the aid ledger): the
# person has nothing unfinished there, so /due replaces it rather than asking it again after the list (a trial
# found the whole card re-shown under /due, its numbers taking the place of the family message's Reply).
# Their "which child?" (namesakes, or close names for a misspelt one) is a lookup too: nothing is lost by /due.
RESTING = frozenset({("card", "card"), ("plan", "plan"), ("aid", "ledger"),
                     ("card", "which"), ("plan", "which"), ("aid", "which")})


AFTER_SAVED = frozenset({("talk", "safety_offer")})
"""A question asked after the flow's work was saved ("Report an incident now?" after a talk with a safety concern):
nothing is unsaved, so no "Drop it?", but a look (``谈心记录 杨秀云``) must not lose it either (fix6ah)."""


def glance_after_saved(ctx: Ctx, command: str, arg: str) -> list[Prompt] | None:
    """A look typed at a question after saved work (:data:`AFTER_SAVED`): shown, the question asked again; else None.

    A trial's ``谈心记录 杨秀云`` at "Report an incident now?" showed the talks, and that question was never asked
    again: the offer the safety concern was meant to bring was lost to a look.
    """
    if (ctx.conv.flow, ctx.conv.state) not in AFTER_SAVED:
        return None
    return card_glance.glance(ctx, command, arg)


SET_ASIDE_AFTER_SAVED = N_("Set aside {what}; I will ask it again once this is done.")


def aside_after_saved(ctx: Ctx, command: str, arg: str,
                      run: Callable[[Ctx, str, str], list[Prompt]]) -> list[Prompt] | None:
    """Another command at a question after saved work (:data:`AFTER_SAVED`): set aside, named, and run; else None.

    ``/tasks`` or ``数据`` typed at "Report an incident now?" (after a talk with a safety concern) once ended that
    question unsaid (fix6aj): the offer the concern was meant to bring was lost. Now it waits on the agenda and
    comes back, named, once the command is done (:func:`bot.flows.agenda.ask_next`). A report about the same child
    is what the question offered: it takes its place.
    """
    if (ctx.conv.flow, ctx.conv.state) not in AFTER_SAVED:
        return None
    name = str((ctx.conv.data.get("v") or {}).get("child_name") or "")
    if command == "incident" and arg.strip() == name:
        return None
    what = msg(queued_topic.AFTER_SAVED_TALK, name=text(name))
    agenda_flow.suspend(ctx)
    return [Prompt(SETS_ASIDE.get(command, SET_ASIDE_AFTER_SAVED), {"what": what}), *run(ctx, command, arg)]


def resting(ctx: Ctx) -> bool:
    """Whether the running flow only shows something (:data:`RESTING`): no question of it is waiting."""
    return (ctx.conv.flow, ctx.conv.state) in RESTING


def another(ctx: Ctx, command: str, arg: str, run: Callable[[Ctx, str, str], list[Prompt]]) -> list[Prompt]:
    """Another command typed at "Drop it?": the unfinished flow dropped, and said so, then ``run``.

    A look (``/card 杨婷``) drops nothing: it is shown and "Drop it?" asked again (a trial's ``/card`` there
    threw the talk away: :mod:`bot.flows.card_glance`).
    """
    looked = card_glance.glance(ctx, command, arg)
    if looked is not None:
        return looked
    if command in SETS_ASIDE and ctx.conv.state == State.CONFIRM:  # the flow asked about is set aside, not lost
        old = ctx.values["old"]
        agenda_flow.restore(ctx, str(old["flow"]), old.get("state"), dict(old.get("data") or {}))
        return ask(ctx, command, arg, run)
    return [*drop(ctx), *run(ctx, command, arg)]


def drop(ctx: Ctx) -> list[Prompt]:
    """Another command typed at "Drop it?": the unfinished flow is dropped, and the person is told which.

    At "which do you mean?" nothing was begun: the question simply ends.
    """
    if ctx.conv.state == State.WHICH:
        ctx.finish()
        return []
    what = _what(ctx.values.get("old") or {})
    ctx.finish()
    return [Prompt(DROPPED, {"what": what})]


WHICH_LABELS = {"incident": N_("Report an incident"), "report": N_("See the figures")}
WHICH = N_("“{word}” can mean two things here. Which do you mean?")


def ask_which(ctx: Ctx, arg: str) -> list[Prompt]:
    """``report`` alone from someone who may both report incidents and read the figures: ask which one.

    ``arg``: the word typed, then the commands it may mean (``report incident report``).
    """
    word, *meanings = arg.split()
    return [ctx.ask(FLOW, State.WHICH, WHICH, {"word": text(word)},
                    [Option(WHICH_LABELS[m], m) for m in meanings if m in WHICH_LABELS])]


SET_ASIDE = N_("Set aside {what}: I will ask you again where you left off once the report is done.")
SET_ASIDE_CLOSE = N_("Set aside {what}: I will ask you again where you left off once the incident is closed.")
SETS_ASIDE = {"incident": SET_ASIDE, "close": SET_ASIDE_CLOSE}
"""Commands that never wait on, nor discard, work in progress: an emergency's report, and its close (a
new-user trial's teacher closing an emergency lost a talk of four answers, where reporting one set it aside)."""
SET_ASIDE_REPLY = N_("Set aside {what}: I will ask you again where you left off once your answer is sent or "
                     "cancelled.")


def ask(ctx: Ctx, command: str, arg: str, run: Callable[[Ctx, str, str], list[Prompt]] | None = None,
        ) -> list[Prompt]:
    """Ask whether to drop the running flow before running ``command`` (kept with its argument).

    An incident report or its close (:data:`SETS_ASIDE`) never waits on, nor discards, work in progress: the
    flow is set aside (named) and asked again after it (:func:`bot.flows.agenda.suspend`), and the report or
    close begins at once — also when typed at "Drop it?" (:func:`another`). A look
    (``/card 杨婷``) loses nothing either: shown, and the flow's question asked again (:mod:`bot.flows.card_glance`).
    """
    looked = card_glance.glance(ctx, command, arg)
    if looked is not None:
        return looked
    if command in SETS_ASIDE and run is not None and ctx.conv.flow not in ("incident", "incident_manage", FLOW):
        what = _what({"flow": ctx.conv.flow, "data": ctx.conv.data})
        agenda_flow.suspend(ctx)
        return [Prompt(SETS_ASIDE[command], {"what": what}), *run(ctx, command, arg)]
    if command == "reply" and run is not None and ctx.conv.flow not in ("relay", FLOW):
        # 回复 typed for a family's message waiting behind a talk: she means to answer it now, and the talk is not
        # hers to lose for it (fix6ac: she was asked to drop it). Set aside, it comes back once the answer is sent
        # or cancelled (bot.flows.relay_cancel).
        what = _what({"flow": ctx.conv.flow, "data": ctx.conv.data})
        agenda_flow.suspend(ctx)
        return [Prompt(SET_ASIDE_REPLY, {"what": what}), *run(ctx, command, arg)]
    if ctx.conv.flow == FLOW:  # a second command while asking: that one is what they want now
        old = ctx.values["old"]
    else:
        old = {"flow": ctx.conv.flow, "state": ctx.conv.state, "data": ctx.conv.data}
    what = _what(old)
    ctx.conv.data = {"v": {"command": command, "arg": arg, "old": old}}
    return [ctx.ask(FLOW, State.CONFIRM, QUESTION, {"what": what}, (DROP, KEEP))]


def _what(old: dict[str, Any]) -> dict[str, Any]:
    values = (old.get("data") or {}).get("v") or {}
    if old.get("flow") == "relay" and values.get("writer"):
        return msg(WHAT_RELAY, name=text(str(values["writer"])), child=text(str(values.get("child") or "")))
    if old.get("flow") == incident_manage.FLOW and (pending := leave_out_reason.reason_pending(values)) is not None:
        return pending
    name = values.get("child_name") or values.get("child")
    message = WHAT.get(str(old.get("flow")))
    return msg(message, name=text(str(name))) if message and name else msg(WHAT_OTHER)


def on_choice(ctx: Ctx, value: str, run: Callable[[Ctx, str, str], list[Prompt]]) -> list[Prompt]:
    """Drop the unfinished flow and ``run`` the command; or go back to the flow's question."""
    v = ctx.values
    if ctx.conv.state == State.WHICH:
        ctx.finish()
        return run(ctx, value, "")
    if value == DROP.value:
        old = v.get("old") or {}
        # Told what was dropped before what comes next (a trial's teacher read the next question unsure whether
        # her talk was kept, fix6an); 取消's own "cancelled your talk with 杨秀云" names it already.
        said = _kept(old) or ([] if v.get("command") in CANCEL_COMMANDS else [Prompt(DROPPED, {"what": _what(old)})])
        ctx.finish()
        return [*said, *run(ctx, str(v["command"]), str(v["arg"]))]
    return go_back(ctx)


ABANDONED = N_("Cancelled {what}; nothing of it was saved, and nothing else was started.")


def abandon(ctx: Ctx) -> list[Prompt]:
    """``取消`` / ``cancel`` / ``算了`` at "Drop it?" (要放弃吗？): the unfinished work is dropped, said so plainly.

    At "do you want to abandon it?" a teacher's 取消 means "yes, cancel it" (found by a trial, fix6m: the talk
    came back instead). Nothing of it was saved; the command typed before is not run either (cancel stops).
    ``继续`` (or "Go back to it") is what resumes it: :func:`go_back`.
    """
    old = ctx.values.get("old") or {}
    ctx.finish()
    return _kept(old) or [Prompt(ABANDONED, {"what": _what(old)})]


def _kept(old: dict[str, Any]) -> list[Prompt]:
    """What of dropped work stands: a person picked to be left out of an incident stays left out (fix9t)."""
    if old.get("flow") != incident_manage.FLOW:
        return []
    said = leave_out_reason.cancelled_reason((old.get("data") or {}).get("v") or {})
    return [said] if said is not None else []


def go_back(ctx: Ctx) -> list[Prompt]:
    """"Go back to it" (``继续``, or a back word ``返回``) at "Drop it?": the unfinished flow again, as it was left."""
    old = ctx.values["old"]
    agenda_flow.restore(ctx, str(old["flow"]), old.get("state"), dict(old.get("data") or {}))
    question = ctx.current_prompt()
    return [agenda_flow.back_to(ctx), *([question] if question is not None else [])]


def asking_to_drop(ctx: Ctx) -> bool:
    """Whether the question shown is "Drop it?" about unfinished work."""
    return ctx.conv.flow == FLOW and ctx.conv.state == State.CONFIRM


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text is no answer here (the runner asks again)."""
    return None
