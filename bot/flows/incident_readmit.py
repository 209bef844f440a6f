"""``readm:<id>`` (让某人重新加入, next to 排除某人 on an open incident): let someone left out back in.

Whom (those left out, :func:`~bot.services.incident_readmit.readmittable`), why (typed, kept on the
timeline), then a confirmation naming the person and the child that is **typed-only** (``Choice.typed``):
a "1" meant for another question can never let the accused back into an abuse report. Anyone the incident
keeps away reads what an unknown id reads (fix9t). See docs/flows/incident.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.privacy import AuditAction
from bot.flows.common import INVALID_BUTTON, MIN_REASON_LETTERS, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, text
from bot.services import audit, incident_readmit, incident_timeline
from bot.services.incident_close import CloseResult
from bot.services.incident_notices import close_reply

log = logging.getLogger(__name__)
FLOW = "incident_readmit"


class State(StrEnum):
    """The flow's states."""

    PICK = "pick"
    REASON = "reason"
    CONFIRM = "confirm"


BACK = Option(N_("Back"), "back")
CONFIRM = Option(N_("Confirm let back in"), "readmit", typed=True)
KEEP_OUT = Option(N_("Keep them left out"), "keep")
NOT_ALLOWED = N_("Only the reporting teacher or a school administrator can let someone back in.")
LEADERS_ONLY = N_("Only a school leader can let someone back into a report of suspected abuse or neglect; the "
                  "reporting teacher cannot do it alone.")
NOBODY_LEFT_OUT = N_("Nobody who can be let back in is left out of the incident about {child}.")
KEPT_OUT = N_("Nobody was let back in: {name} stays left out of the incident about {child}.")
NOT_BACK = N_("{name} could not be let back in: the incident is closed or they are no longer left out of it.")


def on_readmit_button(ctx: Ctx, incident_id: int) -> list[Prompt]:
    """``readm:<id>``: whom to let back in, or why not (kept away or unknown: the invalid-button words)."""
    person_id = ctx.bound().person_id
    if not incident_timeline.may_view_incident(ctx.uow, person_id=person_id, incident_id=incident_id):
        return [say(INVALID_BUTTON)]
    refused = incident_readmit.refusal(ctx.uow, incident_id, person_id)
    if refused is not None:
        return [say(LEADERS_ONLY if refused == "leaders" else NOT_ALLOWED)]
    found = incident_timeline.close_view(ctx.uow, person_id=person_id, incident_id=incident_id)
    if found is None or found.status != "open":
        return [close_reply(CloseResult.ALREADY)]
    shown = incident_readmit.shown_to(ctx.uow, incident_id, person_id)
    if not shown:
        return [say(NOBODY_LEFT_OUT, child=text(found.child))]
    ctx.finish()
    ctx.conv.data["v"] = {"incident_id": incident_id, "child": found.child, "shown": shown}
    options = [Option(N_("{name}"), f"p{p}", {"name": name}) for p, name in shown.items()]
    return [ctx.ask(FLOW, State.PICK, N_("Who should be told about the incident about {child} again?"),
                    {"child": text(found.child)}, [*options, BACK])]


def _ask(ctx: Ctx, state: State) -> Prompt:
    v = ctx.values
    name, child = v["shown"][v["person"]], text(v["child"])
    if state is State.REASON:
        return ctx.ask(FLOW, state, N_("Why should {name} be told about the incident about {child} again? Write a "
                                       "few words; they are kept with the incident."),
                       {"name": name, "child": child}, prose=True)
    return ctx.ask(FLOW, State.CONFIRM, N_("Let {name} back into the incident about {child}? They will be told "
                                           "about it again from now on."), {"name": name, "child": child},
                   (CONFIRM, KEEP_OUT), lines=((N_("Reason: {value}"), {"value": text(v["reason"])}),))


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer picked from the current question's options."""
    state = State(ctx.conv.state or "")
    v = ctx.values
    if state is State.PICK:
        if not value.startswith("p") or value[1:] not in v.get("shown", {}):
            ctx.finish()
            return [say(N_("Nobody was let back in."))]
        v["person"] = value[1:]
        return [_ask(ctx, State.REASON)]
    if value != CONFIRM.value:
        ctx.finish()
        return [say(KEPT_OUT, name=v["shown"][v["person"]], child=text(v["child"]))]
    return _readmit(ctx)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """The typed reason; None when this state wants a choice (the confirmation is its words, typed)."""
    if State(ctx.conv.state or "") is not State.REASON:
        return None
    words = typed.strip()
    problem = text_problem(words)
    if problem is None and sum(1 for c in words if c.isalpha()) < MIN_REASON_LETTERS:
        problem = say(N_("Please write the reason in a few words, so that the school can see later why {name} was "
                         "told again."), name=ctx.values["shown"][ctx.values["person"]])
    if problem is not None:
        return [problem, _ask(ctx, State.REASON)]
    ctx.values["reason"] = words
    return [_ask(ctx, State.CONFIRM)]


def _readmit(ctx: Ctx) -> list[Prompt]:
    v = ctx.values
    by, incident_id, person = ctx.bound().person_id, int(v["incident_id"]), int(v["person"])
    try:
        done = incident_readmit.readmit(ctx.uow, incident_id=incident_id, by=by, person_id=person,
                                        reason=v["reason"], now=ctx.now)
    except PermissionError:
        done = False
    ctx.finish()
    if not done:
        return [say(NOT_BACK, name=v["shown"][v["person"]])]
    audit.record(ctx.uow, actor_id=by, action=AuditAction.INCIDENT_READMITTED, child_id=audit.incident_child(
        ctx.uow, incident_id), channel=ctx.channel, now=ctx.now, incident=incident_id, person=person)
    return [say(N_("Back in: {name}. They are told about the incident about {child} again from now on."),
                name=v["shown"][v["person"]], child=text(v["child"]))]
