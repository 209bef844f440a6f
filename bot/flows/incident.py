"""/incident [name] (报告 / 事件 / 紧急情况): report an incident (its ack: button: bot.flows.incident_manage).

States: pick the child → kind → (an open report about the child from the last
minutes: add to it, or report separately) → severity (not for a safeguarding
report or a missing child: always urgent) → description → confirm. The confirm screen says who
will be told, step by step (:mod:`bot.flows.incident_preview`: the family by
relation only to a reporter outside the child's circle), and offers to leave someone out (with a reason);
confirming calls ``report_incident`` once (keyed by the confirm question).
A guardian or parent asking gets the emergency numbers instead. Closing,
leaving someone out after the report and the incident view are
:mod:`bot.flows.incident_manage`. See docs/flows/incident.md.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain import agenda
from bot.domain.enums import STAFF_ROLES, IncidentKind, Severity
from bot.domain.privacy import AuditAction
from bot.flows import agenda as agenda_flow
from bot.flows import family_report, incident_harm, pick, report_words
from bot.flows import incident_preview as preview
from bot.flows.common import CANCELLED, INVALID_BUTTON, Ctx, Option, reason_problem, say, text_problem
from bot.messages import payloads
from bot.messages.prompt import N_, Prompt, dt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services import audit, incident_limits, incident_messages, incidents
from bot.services.access import Purpose
from bot.services.emergency_contacts import emergency_contacts
from bot.services.incident_limits import IncidentRateLimited
from bot.services.incident_people import is_safeguarding

log = logging.getLogger(__name__)
FLOW = "incident"


class State(StrEnum):
    """The flow's states (see its diagram in docs/flows/)."""

    PICK_CHILD = "pick_child"
    KIND = "kind"
    MERGE = "merge"
    SEVERITY = "severity"
    DESCRIPTION = "description"
    CONFIRM = "confirm"
    LEAVE_OUT = "leave_out"
    LEAVE_OUT_REASON = "leave_out_reason"
    ADD_DESCRIPTION = "add_description"
    ADD_CONFIRM = "add_confirm"
    HARM = "harm"
    ADD_HARM = "add_harm"


KIND_LABELS = {
    IncidentKind.INJURY: N_("Injury"),
    IncidentKind.ILLNESS: N_("Illness"),
    IncidentKind.MISSING: N_("Missing"),
    IncidentKind.BULLYING: N_("Bullying"),
    IncidentKind.SUSPECTED_ABUSE: N_("Suspected abuse or neglect (by an adult)"),
    IncidentKind.OTHER: N_("Other"),  # last: the list is read top down, "other" is what nothing above fits
}
SEVERITY_LABELS = {Severity.EMERGENCY: N_("Emergency"), Severity.MINOR: N_("Minor")}
CONFIRM = (Option(N_("Report now"), "report"), Option(N_("Leave someone out"), "leave_out"),
           Option(N_("Cancel"), "cancel"))
MERGE = (Option(N_("Add to that report"), "add"), Option(N_("Report separately"), "separate"))
ADD_CONFIRM = (Option(N_("Add"), "add"), Option(N_("Cancel"), "cancel"))
BACK = Option(N_("Back"), "back")
DESCRIBE = N_("Describe briefly what happened to {name} (where, when, what has been done).")
EMERGENCY_NUMBERS = N_("Incident reports are for school staff. In an emergency call 110 (police) or 120 "
                       "(ambulance) first, then the school.")


def start(ctx: Ctx, name: str) -> list[Prompt]:
    """Begin: with a name pick the child, else ask for it; the emergency numbers for a family member."""
    actor = ctx.bound()
    if not STAFF_ROLES & actor.roles:  # their words still reach the class teacher (报告 杨秀云发烧了)
        return family_report.words_after_report(ctx, name, _emergency_numbers(ctx))
    refused = _refused(ctx)
    if refused is not None:
        return [refused]
    ctx.conv.data["v"] = {}
    if name:  # 报告 杨秀云 摔倒了: the child, and the words kept for the description
        return _by_name(ctx, report_words.child_and_words(ctx, name))
    return [ctx.ask(FLOW, State.PICK_CHILD, N_("Which child is it about? Send the name."), free_text=True)]


def start_for_child(ctx: Ctx, child_id: int, *, talk_note: str | None = None) -> list[Prompt]:
    """Begin about a child already chosen (the talk card's "Report an incident"), re-checking access.

    Args:
        ctx: the update.
        child_id: the child.
        talk_note: the saved talk's note: it counts toward the harm question with the report's own words
            (``她说爷爷经常用皮带抽她``, then ``背上有很多伤痕``: :func:`bot.flows.incident_harm.asks`).
    """
    refused = _refused(ctx)
    if refused is not None:
        return [refused]
    ctx.conv.data["v"] = {}
    child = pick.by_choice(ctx, payloads.child_value(child_id), Purpose.INCIDENT)
    if child is None:
        ctx.finish()
        return [say(INVALID_BUTTON)]
    pick.remember(ctx, child)
    if talk_note:
        ctx.values["talk_note"] = talk_note
    return [_ask(ctx, State.KIND)]


def _emergency_numbers(ctx: Ctx) -> Prompt:
    """What a guardian or parent asking for emergency help reads: 110/120, the school, the class teachers."""
    contacts = emergency_contacts(ctx.uow, ctx.bound().person_id)
    lines: list[tuple[str, dict[str, Any]]] = []
    if contacts.school_phone:
        lines.append(contacts.school_phone.line())
    by_teacher: dict[tuple[str, str], list[str]] = {}  # one line per teacher: both grandchildren in her class
    for child, teacher, number in contacts.teachers:
        if number and child not in by_teacher.setdefault((teacher, number), []):
            by_teacher[(teacher, number)].append(child)
    for (teacher, number), kids in by_teacher.items():
        lines.append((N_("{teacher}, class teacher of {child}: {phone}"),
                      {"teacher": text(teacher), "child": [text(c) for c in kids], "phone": phone_param(number)}))
    return Prompt(EMERGENCY_NUMBERS, lines=tuple(lines))


def _refused(ctx: Ctx) -> Prompt | None:
    """The reporter's limit is used up: say whom to phone instead (and tell the admins once an hour)."""
    actor = ctx.bound()
    if not incident_limits.reporter_limited(ctx.uow, actor.person_id, ctx.now):
        return None
    ctx.finish()
    incident_limits.tell_admins_of_limit(ctx.uow, reporter_id=actor.person_id, now=ctx.now)
    return _limit_prompt(ctx)


def _limit_prompt(ctx: Ctx) -> Prompt:
    leaders = incident_limits.leaders_to_phone(ctx.uow, ctx.bound().school_id)
    return Prompt(
        N_("You have reported {count} incidents in the last {minutes} minutes, the most the bot accepts at once. "
           "If more children need help, phone the school's leaders now; in an emergency call 110 (police) or "
           "120 (ambulance)."),
        {"count": incident_limits.REPORTS_PER_WINDOW, "minutes": int(incident_limits.WINDOW.total_seconds() // 60)},
        lines=tuple((N_("{name}: {phone}"), {"name": text(name), "phone": phone_param(number)})
                    for name, number in leaders if number),
    )


def _by_name(ctx: Ctx, name: str) -> list[Prompt]:
    children = pick.by_name(ctx, name, Purpose.INCIDENT)
    if not children:
        return pick.not_found(ctx, FLOW, State.PICK_CHILD, name, Purpose.INCIDENT)
    if len(children) > 1:
        return [pick.ask_which(ctx, FLOW, State.PICK_CHILD, name.strip(), children)]
    pick.remember(ctx, children[0])
    return [_ask(ctx, State.KIND)]


def _ask(ctx: Ctx, state: State) -> Prompt:
    name = pick.child_param(ctx)
    v = ctx.values
    if state is State.KIND:
        options = [Option(label, kind.value) for kind, label in KIND_LABELS.items()]
        return ctx.ask(FLOW, state, N_("Incident about {name}: what happened?"), {"name": name}, options,
                       lines=report_words.kept_line(ctx))
    if state is State.MERGE:
        return ctx.ask(FLOW, state, N_("There is an open report about {name} from {reported_at} ({kind}, reported "
                                       "by {reporter}). Add this to it?"),
                       {"name": name, "reported_at": dt(_from_iso(v["merge"]["at"])),
                        "kind": msg(incident_messages.KIND_LABELS.get(v["merge"]["kind"], "other incident")),
                        "reporter": text(v["merge"]["reporter"])}, MERGE)
    if state is State.SEVERITY:
        options = [Option(label, sev.value) for sev, label in SEVERITY_LABELS.items()]
        return ctx.ask(FLOW, state, N_("How serious is the incident about {name}?"), {"name": name}, options)
    if state in (State.DESCRIPTION, State.ADD_DESCRIPTION):
        return ctx.ask(FLOW, state, DESCRIBE, {"name": name}, report_words.said_options(ctx),
                       lines=report_words.said_line(ctx), prose=True)
    if state is State.LEAVE_OUT:
        return ctx.ask(FLOW, state, N_("Who should not be told about the incident about {name}?"), {"name": name},
                       [*preview.leave_out_options(ctx), BACK])
    if state is State.LEAVE_OUT_REASON:
        return ctx.ask(FLOW, state, N_("Why should {name} not be told? Write a few words; they are kept with the "
                                       "incident."), {"name": preview.leaving_out(ctx)}, prose=True)
    if state is State.ADD_CONFIRM:
        return ctx.ask(FLOW, state, N_("Add this to the report about {name} from {reported_at}?"),
                       {"name": name, "reported_at": dt(_from_iso(v["merge"]["at"]))}, ADD_CONFIRM,
                       lines=((N_("Description: {value}"), {"value": text(v["description"])}),
                              *incident_harm.readers_lines(ctx)))
    if state in (State.HARM, State.ADD_HARM):
        return incident_harm.question(ctx, FLOW, state, adding=state is State.ADD_HARM)
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("Kind: {value}"), {"value": msg(KIND_LABELS[IncidentKind(v["kind"])])}),
        (N_("Severity: {value}"), {"value": msg(SEVERITY_LABELS[Severity(v["severity"])])}),
        (N_("Description: {value}"), {"value": text(v["description"])}),
        *preview.chain_lines(ctx),
    ]
    return ctx.ask(FLOW, State.CONFIRM, N_("Report this incident about {name}?"), {"name": name}, CONFIRM,
                   lines=tuple(lines))


def _from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _after_kind(ctx: Ctx) -> Prompt:
    """After the kind: offer to add to a recent open report, else severity (a safeguarding report skips it)."""
    v = ctx.values
    recent = incident_limits.recent_open(ctx.uow, person_id=ctx.bound().person_id, child_id=v["child_id"],
                                         kind=v["kind"], now=ctx.now)
    if recent is not None and "merge_declined" not in v:
        v["merge"] = {"id": recent.incident_id, "at": recent.reported_at.isoformat(), "kind": recent.kind,
                      "reporter": recent.reporter}
        return _ask(ctx, State.MERGE)
    return _after_merge(ctx)


def _after_merge(ctx: Ctx) -> Prompt:
    if is_safeguarding(ctx.values["kind"]) or ctx.values["kind"] == IncidentKind.MISSING.value:  # always urgent
        ctx.values["severity"] = Severity.EMERGENCY.value
        return _ask(ctx, State.DESCRIPTION)
    return _ask(ctx, State.SEVERITY)


def on_choice(ctx: Ctx, value: str) -> list[Prompt]:
    """An answer picked from the current question's options."""
    state = State(ctx.conv.state or "")
    v = ctx.values
    if state is State.PICK_CHILD:
        child = pick.by_choice(ctx, value, Purpose.INCIDENT)
        if child is None:
            ctx.finish()
            return [say(INVALID_BUTTON)]
        pick.remember(ctx, child)
        return [_ask(ctx, State.KIND)]
    if state is State.KIND:
        v["kind"] = value
        return [_after_kind(ctx)]
    if state is State.MERGE:
        if value == "add":
            return [_ask(ctx, State.ADD_DESCRIPTION)]
        v["merge_declined"] = True
        v.pop("merge", None)
        return [_after_merge(ctx)]
    if state is State.SEVERITY:
        v["severity"] = value
        return [_ask(ctx, State.DESCRIPTION)]
    if state is State.LEAVE_OUT:
        name = v.get("names", {}).get(value[1:])
        if value == "back" or name is None:
            return [_ask(ctx, _confirm(v))]
        v["leaving_out"] = value[1:]
        v["leaving_out_name"] = name
        return [_ask(ctx, State.LEAVE_OUT_REASON)]
    if state is State.ADD_CONFIRM:
        return _add(ctx) if value == "add" else _cancel(ctx)
    if state in (State.HARM, State.ADD_HARM) and value in ("safeguard", "continue", "add"):
        if value == "safeguard":  # a new family-free report; the earlier one's family is left out when it is made
            v["safeguard_from"] = v.pop("merge", {}).get("id")
            incident_harm.make_safeguarding(ctx)
        return [_ask(ctx, State.ADD_CONFIRM if value == "add" else State.CONFIRM)]
    if state in (State.DESCRIPTION, State.ADD_DESCRIPTION) and value == "said" and v.get("said"):
        return on_text(ctx, v["said"]) or []  # the words typed with the command (报告 杨秀云 摔倒了)
    if value == "cancel":
        return _cancel(ctx)
    if value == "leave_out":
        return [_ask(ctx, State.LEAVE_OUT)]
    return _report(ctx)


def back(ctx: Ctx) -> list[Prompt] | None:
    """``返回`` typed: the question before this one, asked again; None at the first (then the report is cancelled)."""
    state = State(ctx.conv.state or "")
    v = ctx.values
    previous: State | None = {
        State.MERGE: State.KIND, State.SEVERITY: State.MERGE if "merge" in v else State.KIND,
        State.ADD_DESCRIPTION: State.MERGE, State.ADD_CONFIRM: State.ADD_DESCRIPTION, State.CONFIRM: State.DESCRIPTION,
        State.LEAVE_OUT: _confirm(v), State.LEAVE_OUT_REASON: State.LEAVE_OUT, State.HARM: State.DESCRIPTION,
        State.ADD_HARM: State.ADD_DESCRIPTION,
    }.get(state)
    if state is State.DESCRIPTION:
        previous = State.KIND if is_safeguarding(v["kind"]) else State.SEVERITY
    if previous is None:
        return None
    if previous is State.LEAVE_OUT:
        v.pop("leaving_out", None)
    return [_ask(ctx, previous)]


def _cancel(ctx: Ctx) -> list[Prompt]:
    ctx.finish()
    return [say(CANCELLED)]


def on_text(ctx: Ctx, typed: str) -> list[Prompt] | None:
    """Typed text: the child's name while picking, the description, a reason for leaving someone out."""
    state = State(ctx.conv.state or "")
    if state is State.PICK_CHILD:
        return _by_name(ctx, typed)
    if state in (State.DESCRIPTION, State.ADD_DESCRIPTION, State.LEAVE_OUT_REASON):
        problem = (reason_problem(typed, preview.leaving_out(ctx)) if state is State.LEAVE_OUT_REASON
                   else text_problem(typed))
        if problem is not None:
            return [problem, _ask(ctx, state)]
        if state is State.LEAVE_OUT_REASON:
            ctx.values.setdefault("left_out", {})[ctx.values.pop("leaving_out")] = typed.strip()
            return [_ask(ctx, _confirm(ctx.values))]
        ctx.values["description"] = typed.strip()
        adding = state is State.ADD_DESCRIPTION
        if incident_harm.asks(ctx):  # harm at home in the words: asked before anyone is told (module doc)
            return [_ask(ctx, State.ADD_HARM if adding else State.HARM)]
        return [_ask(ctx, State.ADD_CONFIRM if adding else State.CONFIRM)]
    return None


def _add(ctx: Ctx) -> list[Prompt]:
    name, at = pick.child_param(ctx), dt(_from_iso(ctx.values["merge"]["at"]))
    added = incident_harm.add(ctx)
    ctx.finish()
    if not added:
        return [say(N_("That report about {name} was closed meanwhile. Please report again if it is needed."),
                    name=name)]
    return [say(N_("Added to the report about {name} from {reported_at}; everyone already told will read it."),
                name=name, reported_at=at)]


def _confirm(v: dict[str, Any]) -> State:
    """The confirm the leave-out step returns to: adding to an open report's, or the new report's."""
    return State.ADD_CONFIRM if "merge" in v else State.CONFIRM


def _report(ctx: Ctx) -> list[Prompt]:
    actor = ctx.bound()
    v = ctx.values
    left_out = {int(p): reason for p, reason in v.get("left_out", {}).items()}
    try:
        incident_id = incidents.report_incident(
            ctx.uow, reporter_id=actor.person_id, child_id=v["child_id"], kind=v["kind"],
            severity=v["severity"], description=v["description"], now=ctx.now,
            request_key=f"incident:{ctx.conv.id}:{ctx.conv.version}", excluded=left_out,
            quiet_hours=(ctx.settings.quiet_start, ctx.settings.quiet_end),
        )
    except IncidentRateLimited as limited:
        name = pick.child_param(ctx)
        ctx.finish()
        if limited.reason == "reporter":
            incident_limits.tell_admins_of_limit(ctx.uow, reporter_id=actor.person_id, now=ctx.now)
            return [_limit_prompt(ctx)]
        return [say(N_("There are already several open reports about {name} from the last hour. Please add to one "
                       "of them, or phone the school's leaders."), name=name)]
    if v.get("safeguard_from"):
        incident_harm.leave_family_out(ctx, int(v["safeguard_from"]))
    ctx.finish()
    audit.record(ctx.uow, actor_id=actor.person_id, action=AuditAction.INCIDENT_REPORTED, child_id=int(v["child_id"]),
                 channel=ctx.channel, now=ctx.now, incident=incident_id)
    log.info("conversation %s reported incident %s", ctx.conv.id, incident_id)
    reported = _reported(ctx, incident_id, v)
    if any(e["kind"] == "saved" for e in ctx.conv.agenda):  # work set aside for this report: asked again, named
        ctx.conv.agenda = agenda.remove(ctx.conv.agenda, agenda.FLOW_KEY)
        return [reported, *agenda_flow.ask_next(ctx)]
    return [reported]


def _reported(ctx: Ctx, incident_id: int, v: dict[str, Any]) -> Prompt:
    """The reply: what happens now, who else knows, and a Close button to stop the chain at once.

    The close button is here so the reporter can stop the chain at once (a false alarm, the child
    found); otherwise the first message with one would be a missed-deadline notice 30 minutes later.
    """
    starts = incidents.chain_starts_at(ctx.uow, incident_id)
    if is_safeguarding(v["kind"]):
        message, params = N_("Reported to the school's leaders and the child-protection contacts. The bot does not "
                             "tell the child's family; you will hear when people acknowledge."), {}
    elif starts is not None and starts > ctx.now:
        message, params = N_("Reported. It is quiet hours: the family will be told of this minor incident at "
                             "{at}; you will hear when they acknowledge."), {"at": dt(starts)}
    else:
        message, params = N_("Reported. The contact chain has started; you will hear when people acknowledge."), {}
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    teacher = incidents.class_teacher_told(ctx.uow, incident_id)
    if teacher:
        lines = ((N_("{name}, the class teacher, has been told too."), {"name": text(teacher)}),)
    return Prompt(message, params, choices=(incident_messages.close_choice(incident_id),), lines=lines)
