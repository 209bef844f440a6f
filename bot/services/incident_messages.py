"""What the incident chain says: prompt builders for alerts, reminders, notices and replies.

Every builder returns a :class:`~bot.messages.prompt.Prompt` (message id,
parameters, choices); nothing here renders text. Names and descriptions are
user-written (``text()``), kinds and relations are translated labels
(``msg()``), times are ``dt()`` and ``duration()`` so each recipient sees
them in their own locale and the school's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.messages import payloads
from bot.messages.labels import role_label
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, duration, msg, text
from bot.messages.prompt import phone as phone_param

KIND_LABELS = {
    "injury": N_("injury"),
    "illness": N_("illness"),
    "missing": N_("missing child"),
    "bullying": N_("bullying"),
    "other": N_("other incident"),
}
SEVERITY_LABELS = {"emergency": N_("emergency"), "minor": N_("minor incident")}
STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
# Who a step goes to (``bot.domain.escalation.Audience`` values).
AUDIENCE_LABELS = {
    "entrusted_guardians": N_("entrusted guardians"),
    "parents": N_("parents"),
    "officials": N_("education bureau and town government"),
}


def _label(table: dict[str, str], value: str) -> dict[str, Any]:
    return msg(table[value]) if value in table else text(value)


def _role(value: str) -> dict[str, Any]:
    """What a person is in the chain: their relation to the child or their role (:mod:`bot.messages.labels`)."""
    label = role_label(value)
    return msg(label) if label else text(value)


@dataclass(frozen=True)
class IncidentSummary:
    """What every incident message names.

    Attributes:
        incident_id: the incident.
        child: the child's name; class_name: the class or None.
        kind, severity, status: enum values (``IncidentKind``, ``Severity``, ``IncidentStatus``).
        description: the reporter's words.
        reporter: the reporting teacher's name.
        reported_at: aware UTC.
    """

    incident_id: int
    child: str
    class_name: str | None
    kind: str
    severity: str
    status: str
    description: str
    reporter: str
    reported_at: datetime

    def params(self) -> dict[str, Any]:
        """The parameters every incident message shares: child, class, kind, severity."""
        return {
            "child": text(self.child),
            "class_name": text(self.class_name) if self.class_name else msg(N_("no class")),
            "kind": _label(KIND_LABELS, self.kind),
            "severity": _label(SEVERITY_LABELS, self.severity),
        }


def ack_choice(incident_id: int) -> Choice:
    """The acknowledge button of an incident alert (``ack:<incident>``)."""
    return Choice(N_("Acknowledge"), payloads.incident_ack(incident_id))


def close_choice(incident_id: int) -> Choice:
    """The close button offered to the reporter and the school admins (``close:<incident>``)."""
    return Choice(N_("Close incident"), payloads.incident_close(incident_id))


ASAP_BELOW_SECONDS = 5 * 60  # under this left to the deadline (or past it), "as soon as possible"


def alert_prompt(s: IncidentSummary, *, within_seconds: float) -> Prompt:
    """The alert to one recipient of a step, with the acknowledge button.

    Args:
        s: what the incident is.
        within_seconds: time left to the recipient's deadline; negative when the
            alert goes out after it (a late tick). Under :data:`ASAP_BELOW_SECONDS`
            the alert asks for an answer "as soon as possible" instead of
            "within 1 minute".
    """
    if within_seconds < ASAP_BELOW_SECONDS:
        return Prompt(
            N_(
                "Incident: {child} ({class_name}), {kind}, {severity}.\n{description}\n"
                "Reported by {reporter} at {reported_at}.\nPlease acknowledge as soon as possible."
            ),
            {
                **s.params(),
                "description": text(s.description),
                "reporter": text(s.reporter),
                "reported_at": dt(s.reported_at),
            },
            choices=(ack_choice(s.incident_id),),
            kind=PromptKind.INCIDENT_ALERT,
        )
    return Prompt(
        N_(
            "Incident: {child} ({class_name}), {kind}, {severity}.\n{description}\n"
            "Reported by {reporter} at {reported_at}.\nPlease acknowledge within {within}."
        ),
        {
            **s.params(),
            "description": text(s.description),
            "reporter": text(s.reporter),
            "reported_at": dt(s.reported_at),
            "within": duration(max(round(within_seconds / 60) * 60.0, 60.0)),  # whole minutes
        },
        choices=(ack_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_ALERT,
    )


def reminder_prompt(s: IncidentSummary, *, due_by: datetime) -> Prompt:
    """A reminder to a recipient who has not acknowledged yet."""
    return Prompt(
        N_(
            "Reminder: the incident about {child} ({class_name}), {kind}, {severity}, "
            "is not acknowledged yet. Please acknowledge by {due_by}."
        ),
        {**s.params(), "due_by": dt(due_by)},
        choices=(ack_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_REMINDER,
    )


def missed_prompt(
    s: IncidentSummary, *, name: str, role: str, step_no: int, due_by: datetime, phone: str | None
) -> Prompt:
    """To the reporter and the school admins: a recipient was not reached by the deadline.

    Names the incident's kind and report time: two open incidents about one
    child must be told apart (likewise the unreachable and acknowledged notices).
    """
    return Prompt(
        N_(
            "Not reached in time: {name} ({role}, step {step}) has not acknowledged the incident "
            "about {child} ({class_name}), {kind} reported at {reported_at}, by {due_by}. Phone: {phone}"
        ),
        {
            **s.params(),
            "reported_at": dt(s.reported_at),
            "name": text(name),
            "role": _role(role),
            "step": step_no,
            "due_by": dt(due_by),
            "phone": phone_param(phone) if phone else msg(N_("no phone number on record")),
        },
        choices=(close_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_NOTICE,
    )


def no_recipients_prompt(s: IncidentSummary, *, empty_steps: list[tuple[int, str]], all_empty: bool) -> Prompt:
    """To the reporter and the school admins at the report: steps with nobody on record to contact.

    Args:
        s: what the incident is.
        empty_steps: ``(step_no, audience)`` of each step without recipients, in order.
        all_empty: no step has anyone: no message went to anybody.
    """
    if all_empty:
        header = N_(
            "Incident about {child} ({class_name}), {kind} reported at {reported_at}: nobody on record "
            "could be contacted, no message was sent to anyone. Please phone the family and the "
            "authorities yourself."
        )
    else:
        header = N_(
            "Incident about {child} ({class_name}), {kind} reported at {reported_at}: nobody on record "
            "could be contacted for these steps of the contact chain. Please phone the people concerned yourself."
        )
    return Prompt(
        header,
        {**s.params(), "reported_at": dt(s.reported_at)},
        choices=(close_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_NOTICE,
        lines=tuple(
            (N_("Step {step}: {audience} — nobody on record"), {"step": n, "audience": _label(AUDIENCE_LABELS, a)})
            for n, a in empty_steps
        ),
    )


def unreachable_prompt(s: IncidentSummary, *, name: str, role: str, phone: str | None) -> Prompt:
    """To the class teacher: a recipient cannot be reached on any channel; please phone them."""
    return Prompt(
        N_(
            "{name} ({role}) cannot be reached by message about the incident of {child} ({class_name}), "
            "{kind} reported at {reported_at}. Please phone them: {phone}"
        ),
        {
            **s.params(),
            "reported_at": dt(s.reported_at),
            "name": text(name),
            "role": _role(role),
            "phone": phone_param(phone) if phone else msg(N_("no phone number on record")),
        },
        choices=(close_choice(s.incident_id),),
        kind=PromptKind.INCIDENT_NOTICE,
    )


def acknowledged_prompt(s: IncidentSummary, *, name: str, role: str, acknowledged_at: datetime) -> Prompt:
    """To the reporter: a recipient acknowledged the incident."""
    return Prompt(
        N_("{name} ({role}) acknowledged the incident about {child} ({class_name}), {kind} reported at "
           "{reported_at}, at {acknowledged_at}."),
        {**s.params(), "name": text(name), "role": _role(role), "reported_at": dt(s.reported_at),
         "acknowledged_at": dt(acknowledged_at)},
        kind=PromptKind.NOTICE,
    )


def closed_prompt(s: IncidentSummary, *, closer: str, closed_at: datetime) -> Prompt:
    """To everyone who was alerted: the incident is closed."""
    return Prompt(
        N_("The incident about {child} ({class_name}) was closed by {closer} at {closed_at}. "
           "No further action is needed."),
        {**s.params(), "closer": text(closer), "closed_at": dt(closed_at)},
        kind=PromptKind.NOTICE,
    )


def ack_reply(result: str) -> Prompt:
    """The reply to an acknowledge button (``AckResult`` value)."""
    return Prompt(
        {
            "acknowledged": N_("Thank you, your acknowledgement is recorded."),
            "already": N_("You had already acknowledged this incident."),
            "closed": N_("This incident is closed."),
            "not_asked": N_("Thank you — the school has not asked you to acknowledge this incident yet."),
        }.get(str(result), N_("This incident is not one you can acknowledge."))
    )


def close_reply(result: str) -> Prompt:
    """The reply to a close button or command (``CloseResult`` value)."""
    return Prompt(
        {
            "closed": N_("The incident is closed; no further messages will be sent."),
            "already": N_("This incident was already closed."),
        }.get(str(result), N_("Only the reporting teacher or a school administrator can close this incident."))
    )


@dataclass(frozen=True)
class TimelineRow:
    """One person of an incident's chain, as a school shows it to its superiors.

    Attributes:
        person_id, name: the recipient.
        role: relation to the child (``entrusted_guardian``, ``father``, ``mother``)
            or role at the school (``education_bureau``, ``town_government``).
        step_no: 1-based step.
        due_by: deadline to reach them (UTC).
        sent_at: first send (UTC) or None.
        acknowledged_at: their acknowledgement (UTC) or None.
        missed: the deadline passed without acknowledgement.
    """

    person_id: int
    name: str
    role: str
    step_no: int
    due_by: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    missed: bool


def timeline_rows_prompt(s: IncidentSummary, rows: list[TimelineRow]) -> Prompt:
    """The timeline as one message: a header line, then per person "due by / sent at / acknowledged at"."""
    lines: list[tuple[str, dict[str, Any]]] = []
    for r in rows:
        if r.acknowledged_at is not None:
            ack: dict[str, Any] = dt(r.acknowledged_at)
        elif r.missed:
            ack = msg(N_("missed the deadline"))
        else:
            ack = msg(N_("not yet"))
        lines.append(
            (
                N_("Step {step}: {name} ({role}) — due by {due_by}; sent: {sent_at}; acknowledged: {acknowledged_at}"),
                {
                    "step": r.step_no,
                    "name": text(r.name),
                    "role": _role(r.role),
                    "due_by": dt(r.due_by),
                    "sent_at": dt(r.sent_at) if r.sent_at else msg(N_("not yet")),
                    "acknowledged_at": ack,
                },
            )
        )
    if not rows:
        lines.append((N_("No one is in the contact chain of this incident."), {}))
    choices = (close_choice(s.incident_id),) if s.status == "open" else ()
    return Prompt(
        N_("Incident {incident_id}: {child} ({class_name}), {kind}, {severity}, reported by {reporter} at "
           "{reported_at}. Status: {status}."),
        {
            **s.params(),
            "incident_id": s.incident_id,
            "reporter": text(s.reporter),
            "reported_at": dt(s.reported_at),
            "status": _label(STATUS_LABELS, s.status),
        },
        choices=choices,
        lines=tuple(lines),
    )
