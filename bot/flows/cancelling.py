"""``取消`` / ``/cancel``: what it cancels is decided by the question shown (DESIGN.md "Conversations", issue 6).

In this order:

* an incident alert shown: never reaches here — the word is the alert's
  answer (:mod:`bot.flows.reached`);
* a family's message shown over a flow in progress (a 【紧急】 message during a
  talk): the message is set aside — it stays unanswered, is asked again once
  the flow is done, and the flow comes back at once, named;
* a talk or an incident report with answers given: "要放弃吗？" first (:func:`answers_given`), as for any other
  command;
* a flow running: it ends, unsaved; when other questions wait in the chat the
  answer names what was cancelled ("Cancelled your talk with 杨婷");
* no flow running but one set aside (a talk interrupted by a family's
  message): that flow is cancelled, named, and the question shown is asked again;
* a back word (``返回``: :mod:`bot.flows.quitting`) in a talk, an incident
  report or a close goes back one question instead; at the first question it cancels;
* "Drop it?" (another command typed in the middle of a flow): the unfinished
  flow is abandoned, said so, and the other command not run (``返回`` goes back to it);
* a check-in's follow-up (its note): it ends, and the answer is said to be
  kept — it was recorded when given;
* a check-in's question shown: "not now" — it stays open, to be answered
  later in the week (a grandparent expects the question to wait, not to be
  struck off);
* nothing at all: "Nothing is in progress".

Questions waiting for an answer (a check-in, a family's message) are never
cancelled: they are answered, or set aside to be asked again.
"""

from __future__ import annotations

from typing import Any

from bot.domain import agenda
from bot.flows import agenda as agenda_flow
from bot.flows import checkin as checkin_flow
from bot.flows import checkin_which, incident, incident_manage, leave_out_reason, quitting, relay_cancel, switch, talk
from bot.flows import relay as family_flow
from bot.flows.common import CANCELLED, Ctx, say
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, text
from bot.services import checkins, family_messages

NOTHING_TO_CANCEL = N_("Nothing is in progress, so there is nothing to cancel.")
SET_ASIDE = N_("{name}'s message about {child} is set aside: I will ask you about it again once you have finished.")
NOT_NOW = N_("All right, not now. The question about {child} stays open: reply with its number whenever you are "
            "ready this week.")
BACK_STEPS = {"talk": talk.back, "incident": incident.back, incident_manage.FLOW: incident_manage.back}
CANCELLED_NAMED = {
    "talk": N_("Cancelled your talk with {name}. Nothing was saved."),
    "incident": N_("Cancelled your incident report about {name}. Nothing was saved or sent."),
}


def cancel(ctx: Ctx, arg: str = "") -> list[Prompt]:
    """``/cancel`` or ``取消`` typed (not at an alert), or a back word (``arg`` BACK): see the module docstring."""
    top = agenda_flow.current(ctx)
    saved = [e for e in ctx.conv.agenda if e["kind"] == "saved"]
    message_id = _family_message(top)
    if top is not None and message_id is not None and (ctx.conv.flow or saved):
        return _set_aside(ctx, top, message_id)
    if arg != quitting.BACK and answers_given(ctx):  # 取消 with answers given: "要放弃吗？" first, as other commands
        return switch.ask(ctx, DROPPED_COMMANDS[str(ctx.conv.flow)],
                          str((ctx.conv.data.get("v") or {}).get("child_name") or ""))
    back = BACK_STEPS.get(ctx.conv.flow or "") if arg == quitting.BACK else None
    stepped = back(ctx) if back is not None else None
    if stepped is not None:
        return stepped
    if ctx.conv.flow == checkin_flow.FLOW:
        return checkin_flow.cancel(ctx)
    if ctx.conv.flow == checkin_which.FLOW:  # 取消 at "which child?": her words are passed on, never dropped
        return checkin_which.cancel(ctx)
    if switch.asking_to_drop(ctx):  # 取消 at "要放弃吗？" is "yes, abandon it" (fix6m); 返回 goes back to it
        return switch.go_back(ctx) if arg == quitting.BACK else switch.abandon(ctx)
    if ctx.conv.flow == family_flow.FLOW and family_flow.answering(ctx):  # a talk set aside comes back first
        return [relay_cancel.cancelled(ctx)]
    if ctx.conv.flow:
        named = _named(ctx.conv.flow, ctx.conv.data)  # every answer about a child names the child
        ctx.finish()
        return [named or say(CANCELLED)]
    if saved and saved[0]["flow"] == checkin_flow.FLOW:  # its note question held (note_hold): the answer is kept
        agenda_flow.resume(ctx, saved[0])
        return agenda_flow.beside_current(ctx, checkin_flow.cancel(ctx))  # never "nothing was saved" (fix6t)
    if saved:
        ctx.conv.agenda = agenda.remove(ctx.conv.agenda, saved[0]["key"])
        cancelled = _named(saved[0]["flow"], saved[0]["data"]) or say(CANCELLED)
        return agenda_flow.beside_current(ctx, [cancelled])
    checkin_id = quitting.checkin_waiting(ctx)
    if checkin_id is not None:
        return [say(NOT_NOW, child=text(checkins.child_name(ctx.uow, checkin_id)))]
    return [say(NOTHING_TO_CANCEL)]


DROPPED_COMMAND = switch.CANCEL_COMMAND
"""What "Drop it and go on" runs after 取消 at a talk's note (:func:`dropped`): nothing else starts."""
DROPPED_INCIDENT = switch.CANCEL_INCIDENT_COMMAND
"""The same after 取消 in an incident report with answers given (:func:`dropped_incident`)."""
DROPPED_COMMANDS = {talk.FLOW: DROPPED_COMMAND, incident.FLOW: DROPPED_INCIDENT}


_ANSWERED = frozenset({talk.State.STUDY, talk.State.DAILY_LIFE, talk.State.SAFETY, talk.State.NOTE,
                       talk.State.FOLLOW_UP, talk.State.CONFIRM})
"""A talk's questions after its first answer (the mood): something was entered, and 取消 would lose it."""


def talk_asked(ctx: Ctx) -> bool:
    """Whether ``取消`` / ``/cancel`` is typed in a talk with answers given: it asks "要放弃吗？" first.

    A trial lost five answers to 取消 at the note, and a new-user trial (LOW-7) its first answers at the second
    question: every other command typed there asks first (:func:`bot.flows.switch.unfinished`, issue 6 item 1).
    At the first question (nothing entered yet) it cancels at once.
    """
    return ctx.conv.flow == talk.FLOW and ctx.conv.state in _ANSWERED and "mood" in ctx.values


def incident_asked(ctx: Ctx) -> bool:
    """Whether ``取消`` / ``/cancel`` is typed in an incident report with an answer given (its kind, at least).

    A new-user trial's teacher lost a report of three answers to 取消 at once, where a talk asks first (fix6ao).
    With only the child chosen (what happened? not yet answered) nothing is lost: it cancels at once.
    """
    return (ctx.conv.flow == incident.FLOW and ctx.conv.state != incident.State.PICK_CHILD
            and "kind" in ctx.values)


def answers_given(ctx: Ctx) -> bool:
    """Whether ``取消`` in the running flow asks "要放弃吗？" first: a talk or an incident report with answers given."""
    return talk_asked(ctx) or incident_asked(ctx)


def dropped_incident(ctx: Ctx, name: str) -> list[Prompt]:
    """"Drop it" after 取消 in an incident report: the report is gone, said so, naming the child; nothing starts."""
    return [say(CANCELLED_NAMED["incident"], name=text(name)) if name else say(CANCELLED)]


def dropped(ctx: Ctx, name: str) -> list[Prompt]:
    """"Drop it and go on" after 取消 at a talk's note: the talk is gone, said so, named; nothing else starts."""
    return [say(CANCELLED_NAMED["talk"], name=text(name)) if name else say(CANCELLED)]


def _family_message(entry: dict[str, Any] | None) -> int | None:
    """The family message whose Reply is the question ``entry``, else None."""
    if entry is None or entry["kind"] != "offer":
        return None
    for payload in entry.get("payloads") or ():
        pressed = payloads.decode(payload)
        if isinstance(pressed, payloads.FamilyReply):
            return pressed.message_id
    return None


def _set_aside(ctx: Ctx, top: dict[str, Any], message_id: int) -> list[Prompt]:
    """The family's message goes behind the flow (no longer urgent to the queue): asked again after it."""
    ctx.conv.agenda = [*ctx.conv.agenda[1:], {**agenda.touch(top, ctx.now), "urgent": False}]
    target = family_messages.reply_target(ctx.uow, teacher_id=ctx.bound().person_id, message_id=message_id)
    writer, child = target if target is not None else ("", "")
    return [say(SET_ASIDE, name=text(writer), child=text(child))]  # the flow is asked again, named (ask_next)


def _named(flow: str, data: dict[str, Any]) -> Prompt | None:
    values = data.get("v") or {}
    if flow == family_flow.FLOW:  # an answer to a family being written (``writer``), or a message not yet passed on
        return say(family_flow.NOT_SENT, name=text(str(values["writer"]))) if values.get("writer") else None
    if flow == incident_manage.FLOW:  # at the reason question the person picked is left out already
        return leave_out_reason.cancelled_reason(values)
    name = values.get("child_name") or values.get("child")
    message = CANCELLED_NAMED.get(flow)
    return say(message, name=text(str(name))) if message and name else None
