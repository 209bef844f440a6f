"""/incident [name] (报告 / 事件): report an incident, and the ack:/close: buttons of the chain.

States: pick the child → kind → severity → description → confirm; confirming
calls ``report_incident`` once (keyed by the confirm question) and the
escalation chain starts. See docs/flows/incident.md.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.enums import STAFF_ROLES, IncidentKind, Severity
from bot.flows import pick
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, say, text_problem
from bot.messages.prompt import N_, Prompt, msg, text
from bot.services import incident_messages, incidents
from bot.services.access import Purpose

log = logging.getLogger(__name__)
FLOW = "incident"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/)."""

    PICK_CHILD = "pick_child"
    KIND = "kind"
    SEVERITY = "severity"
    DESCRIPTION = "description"
    CONFIRM = "confirm"


KIND_LABELS = {
    IncidentKind.INJURY: N_("Injury"),
    IncidentKind.ILLNESS: N_("Illness"),
    IncidentKind.MISSING: N_("Missing"),
    IncidentKind.BULLYING: N_("Bullying"),
    IncidentKind.OTHER: N_("Other"),
}
SEVERITY_LABELS = {Severity.EMERGENCY: N_("Emergency"), Severity.MINOR: N_("Minor")}
CONFIRM = (Option(N_("Report now"), "report"), Option(N_("Cancel"), "cancel"))


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """Begin: with a name pick the child, else ask for it."""
    actor = ctx.bound()
    if not STAFF_ROLES & actor.roles:
        ctx.finish()
        return [say(N_("Incident reports are for school staff. In an emergency, call the school or 110/120."))]
    ctx.conv.data["v"] = {}
    if name:
        return _by_name(ctx, name)
    return [ctx.ask(FLOW, State.PICK_CHILD, N_("Which child is it about? Send the name."), free_text=True)]


def _by_name(ctx: Ctx, name: str) -> list[Prompt]:
    children = pick.by_name(ctx, name, Purpose.INCIDENT)
    if not children:
        ctx.finish()
        return [say(pick.NOT_FOUND, name=text(name.strip()))]
    if len(children) > 1:
        return [pick.ask_which(ctx, FLOW, State.PICK_CHILD, name.strip(), children)]
    pick.remember(ctx, children[0])
    return [_ask(ctx, State.KIND)]


def _ask(ctx: Ctx, state: State) -> Prompt:
    name = pick.child_param(ctx)
    if state is State.KIND:
        options = [Option(label, kind.value) for kind, label in KIND_LABELS.items()]
        return ctx.ask(FLOW, state, N_("Incident about {name}: what happened?"), {"name": name}, options)
    if state is State.SEVERITY:
        options = [Option(label, sev.value) for sev, label in SEVERITY_LABELS.items()]
        return ctx.ask(FLOW, state, N_("How serious is it?"), {}, options)
    if state is State.DESCRIPTION:
        return ctx.ask(FLOW, state, N_("Describe briefly what happened (where, when, what has been done)."), {},
                       prose=True)
    v = ctx.values
    lines = (
        (N_("Kind: {value}"), {"value": msg(KIND_LABELS[IncidentKind(v["kind"])])}),
        (N_("Severity: {value}"), {"value": msg(SEVERITY_LABELS[Severity(v["severity"])])}),
        (N_("Description: {value}"), {"value": text(v["description"])}),
    )
    return ctx.ask(FLOW, State.CONFIRM, N_("Report this incident about {name}?"), {"name": name}, CONFIRM, lines=lines)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer picked from the current question's options."""
    state = State(ctx.conv.state or "")
    if state is State.PICK_CHILD:
        child = pick.by_choice(ctx, value, Purpose.INCIDENT)
        if child is None:
            ctx.finish()
            return [say(INVALID_BUTTON)]
        pick.remember(ctx, child)
        return [_ask(ctx, State.KIND)]
    if state is State.KIND:
        ctx.values["kind"] = value
        return [_ask(ctx, State.SEVERITY)]
    if state is State.SEVERITY:
        ctx.values["severity"] = value
        return [_ask(ctx, State.DESCRIPTION)]
    if value == "cancel":
        ctx.finish()
        return [say(CANCELLED)]
    return _report(ctx)


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text: the child's name while picking, or the description."""
    state = State(ctx.conv.state or "")
    if state is State.PICK_CHILD:
        return _by_name(ctx, typed)
    if state is State.DESCRIPTION:
        problem = text_problem(typed)
        if problem is not None:
            return [problem, _ask(ctx, State.DESCRIPTION)]
        ctx.values["description"] = typed.strip()
        return [_ask(ctx, State.CONFIRM)]
    return None


def _report(ctx: Ctx) -> list[Prompt]:
    actor = ctx.bound()
    v = ctx.values
    incident_id = incidents.report_incident(
        ctx.uow, reporter_id=actor.person_id, child_id=v["child_id"], kind=v["kind"],
        severity=v["severity"], description=v["description"], now=ctx.now,
        request_key=f"incident:{ctx.conv.id}:{ctx.conv.version}",
    )
    ctx.finish()
    log.info("conversation %s reported incident %s", ctx.conv.id, incident_id)
    # The close button is here so the reporter can stop the chain at once (a false alarm, the child
    # found); otherwise the first message with one would be a missed-deadline notice 30 minutes later.
    return [
        Prompt(
            N_("Reported. The contact chain has started; you will hear when people acknowledge."),
            choices=(incident_messages.close_choice(incident_id),),
        )
    ]


def on_button(ctx: Ctx, action: str, incident_id: int) -> list[Prompt]:
    """``ack:<id>`` or ``close:<id>`` pressed on a chain message (outside any conversation).

    Args:
        ctx: the update being handled.
        action: ``"ack"`` or ``"close"``.
        incident_id: from the decoded payload (:mod:`bot.messages.payloads`).
    """
    actor = ctx.bound()
    if action == "ack":
        acked = incidents.acknowledge(ctx.uow, person_id=actor.person_id, incident_id=incident_id, now=ctx.now)
        log.info("person %s ack incident %s: %s", actor.person_id, incident_id, acked)
        return [incident_messages.ack_reply(acked)]
    closed = incidents.close_incident(ctx.uow, person_id=actor.person_id, incident_id=incident_id, now=ctx.now)
    log.info("person %s close incident %s: %s", actor.person_id, incident_id, closed)
    return [incident_messages.close_reply(closed)]
