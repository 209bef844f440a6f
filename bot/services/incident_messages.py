"""What the incident chain says: prompt builders for alerts, reminders, notices and replies.

Every builder returns a :class:`~bot.messages.prompt.Prompt` (message id,
parameters, choices); nothing here renders text. Names and descriptions are
user-written (``text()``), kinds and relations are translated labels
(``msg()``), times are ``dt()`` so each recipient sees
them in their own locale and the school's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.messages import payloads
from bot.messages.labels import role_label
from bot.messages.prompt import N_, Choice, Prompt, PromptKind, dt, duration, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services.incident_advice import advice
from bot.services.school_number import SchoolNumber

KIND_LABELS = {
    "injury": N_("injury"),
    "illness": N_("illness"),
    "missing": N_("missing child"),
    "bullying": N_("bullying"),
    "other": N_("other incident"),
    "suspected_abuse": N_("suspected abuse or neglect"),
}
SEVERITY_LABELS = {"emergency": N_("emergency"), "minor": N_("minor incident")}
STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
# Who a step goes to (``bot.domain.escalation.Audience`` values).
AUDIENCE_LABELS = {
    "entrusted_guardians": N_("entrusted guardians"),
    "parents": N_("parents"),
    "officials": N_("education bureau and town government"),
    "school_leaders": N_("school leaders and safeguarding lead"),
    "child_protection": N_("child-protection contacts (child director, women's federation, police)"),
}


def _label(table: dict[str, str], value: str) -> dict[str, Any]:
    return msg(table[value]) if value in table else text(value)


def role_param(value: str) -> dict[str, Any]:
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
        school_phone: the number at the school a recipient can call back (labelled), or None.
        reporter_phone: E.164 or None.
        also_kinds: further kinds added to the report later (``受伤、生病``).
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
    school_phone: SchoolNumber | None = None
    reporter_phone: str | None = None
    also_kinds: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        """The parameters every incident message shares: child, class, kind, severity."""
        return {
            "child": text(self.child),
            "class_name": text(self.class_name) if self.class_name else msg(N_("no class")),
            "kind": ([_label(KIND_LABELS, k) for k in (self.kind, *self.also_kinds)] if self.also_kinds
                     else _label(KIND_LABELS, self.kind)),
            "severity": _label(SEVERITY_LABELS, self.severity),
        }


def ack_choice(incident_id: int) -> Choice:
    """The acknowledge button of an incident alert (``ack:<incident>``)."""
    return Choice(N_("Acknowledge"), payloads.incident_ack(incident_id))


def close_choice(incident_id: int, outcome: str | None = None) -> Choice:
    """The close button offered to the reporter and the school admins (``close:<incident>``).

    ``outcome``: the outcome an all clear chose already (``found``, ``safe_at_home``): only the confirmation is asked.
    """
    return Choice(N_("Close incident"), payloads.incident_close(incident_id, outcome))


ASAP_BELOW_SECONDS = 5 * 60  # under this left to the deadline (or past it), "now" (fix9w)

def contact_lines(s: IncidentSummary) -> list[tuple[str, dict[str, Any]]]:
    """The numbers a recipient can call back: the school's and the reporting teacher's (those on record)."""
    lines: list[tuple[str, dict[str, Any]]] = []
    if s.school_phone:
        lines.append(s.school_phone.line())
    if s.reporter_phone:
        lines.append((N_("Phone of {reporter}, who reported it: {phone}"),
                      {"reporter": text(s.reporter), "phone": phone_param(s.reporter_phone)}))
    return lines


def deadline_line(due_by: datetime, now: datetime) -> tuple[str, dict[str, Any]]:
    """"Please acknowledge by 10:30" as the clock time of the deadline; "now", saying why, when (nearly) past.

    A duration ("within 1 hour") is wrong by the time it is read: the alert may
    wait in a phone for minutes (issue 6, item 5: officials read "within 1 hour"
    for a deadline 1 h 28 min away).
    """
    left = (due_by - now).total_seconds()
    if left <= 0:  # "as soon as possible" read as "whenever you can"; past its time it is now, and still wanted
        return (N_("Please acknowledge now: the time to answer ({due_by}) has passed, and the school still needs "
                   "to hear from you."), {"due_by": dt(due_by)})
    if left < ASAP_BELOW_SECONDS:
        return (N_("Please acknowledge now: you have until {due_by}, only a few minutes."), {"due_by": dt(due_by)})
    return (N_("Please acknowledge by {due_by}."), {"due_by": dt(due_by)})


def alert_prompt(s: IncidentSummary, *, due_by: datetime, now: datetime, family: bool, away: bool = False) -> Prompt:
    """The alert to one recipient of a step, with the acknowledge button.

    Args:
        s: what the incident is.
        due_by: the recipient's deadline (UTC), stated as a clock time.
        now: when the alert is sent (UTC); under :data:`ASAP_BELOW_SECONDS` to
            the deadline (a late tick) it asks for an answer now, saying the time is (nearly) up.
        family: the recipient is the child's guardian or parent: the alert says
            what they should do (:mod:`bot.services.incident_advice`).
        away: the recipient is a parent working away: asked to phone, never whether to come.
    """
    params = {**s.params(), "description": text(s.description), "reporter": text(s.reporter),
              "reported_at": dt(s.reported_at)}
    lines: list[tuple[str, dict[str, Any]]] = []
    if s.kind == "suspected_abuse":
        header = N_("Safeguarding report (suspected abuse or neglect): {child} ({class_name}).\n{description}\n"
                    "Reported by {reporter} at {reported_at}.")
        lines.append((N_("The family has not been told. Please do not contact the family about this before "
                         "the school's leaders and the child-protection contacts have agreed what to do."), {}))
    else:
        header = N_("Incident: {child} ({class_name}), {kind}, {severity}.\n{description}\n"
                    "Reported by {reporter} at {reported_at}.")
        if family:
            lines.append((N_("What to do: {advice}"), {"advice": msg(advice(s.kind, s.severity, away=away))}))
    lines.extend(contact_lines(s))
    lines.append(deadline_line(due_by, now))
    return Prompt(header, params, choices=(ack_choice(s.incident_id),), lines=tuple(lines),
                  kind=PromptKind.INCIDENT_ALERT)


def reminder_prompt(s: IncidentSummary, *, due_by: datetime, number: int, sent_ago: timedelta) -> Prompt:
    """A reminder to a recipient who has not acknowledged yet, with the numbers to call back (the alert's).

    Each reminder says which it is and how long ago the first alert was sent (``第2次提醒（首次通知已发出20分钟）``;
    "sent" alone read as the reminder's own sending):
    identical texts every ten minutes read as a stuck machine and were ignored (found by a trial user).

    Args:
        s: the incident.
        due_by: the step's deadline.
        number: 1 for the first reminder, 2 for the second …
        sent_ago: time since the alert was first sent to this recipient (shown in whole minutes).
    """
    minutes = max(1, round(sent_ago.total_seconds() / 60))
    return Prompt(
        N_(
            "Reminder {number} — the first alert was sent {ago} ago: the incident about {child} ({class_name}), "
            "{kind}, {severity}, is not acknowledged yet. Please acknowledge by {due_by}."
        ),
        {**s.params(), "due_by": dt(due_by), "number": number, "ago": duration(minutes * 60)},
        choices=(ack_choice(s.incident_id),),
        lines=tuple(contact_lines(s)),
        kind=PromptKind.INCIDENT_REMINDER,
    )


def missed_prompt(
    s: IncidentSummary, *, name: str, role: str, step_no: int, due_by: datetime, phone: str | None,
    closable: bool = True,
) -> Prompt:
    """To the reporter: a recipient was not reached by the deadline (the admins hear once the whole chain is missed).

    ``closable`` is False for a recipient who may not close the incident (a
    class teacher who phones, not the reporter): no Close button she cannot use.

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
            "role": role_param(role),
            "step": step_no,
            "due_by": dt(due_by),
            "phone": phone_param(phone) if phone else msg(N_("no phone number on record")),
        },
        choices=(close_choice(s.incident_id),) if closable else (),
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
            "role": role_param(role),
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
        {**s.params(), "name": text(name), "role": role_param(role), "reported_at": dt(s.reported_at),
         "acknowledged_at": dt(acknowledged_at)},
        kind=PromptKind.NOTICE,
    )


def ack_reply(result: str, child: str | None = None) -> Prompt:
    """The reply to an acknowledge button (``AckResult`` value), naming the child when known."""
    if child and str(result) == "acknowledged":
        return Prompt(N_("Thank you: your acknowledgement of the alert about {children} is recorded."),
                      {"children": [text(child)]})
    return Prompt(
        {
            "acknowledged": N_("Thank you, your acknowledgement is recorded."),
            "already": N_("You had already acknowledged this incident."),
            "closed": N_("This incident is closed."),
            "not_asked": N_("Thank you — the school has not asked you to acknowledge this incident yet."),
        }.get(str(result), N_("This incident is not one you can acknowledge."))
    )


@dataclass(frozen=True)
class TimelineRow:
    """One person of an incident's chain, as a school shows it to its superiors.

    Attributes:
        person_id, name: the recipient (None and "—" once the child was erased).
        role: relation to the child (``entrusted_guardian``, ``father``, ``mother``)
            or role at the school (``education_bureau``, ``town_government``).
        step_no: 1-based step.
        due_by: deadline to reach them (UTC).
        sent_at: first send (UTC) or None.
        acknowledged_at: their acknowledgement (UTC) or None.
        missed: the deadline passed without acknowledgement.
        excluded: left out of the chain after the report (the reason is on the timeline).
        named: shown by name (False: by relation only, to a reader outside the family's circle).
    """

    person_id: int | None
    name: str
    role: str
    step_no: int
    due_by: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    missed: bool
    excluded: bool = False
    named: bool = True


def exclude_choice(incident_id: int) -> Choice:
    """The "leave someone out" button of an open incident's view (``excl:<incident>``)."""
    return Choice(N_("Leave someone out"), payloads.incident_exclude(incident_id))


def readmit_choice(incident_id: int) -> Choice:
    """The "let someone back in" button of an open incident's view (``readm:<incident>``)."""
    return Choice(N_("Let someone back in"), payloads.incident_readmit(incident_id))


def timeline_rows_prompt(s: IncidentSummary, rows: list[TimelineRow], *, manage: bool = True,
                         left_out: tuple[tuple[str | dict[str, Any], str], ...] = (), readmit: bool = False,
                         let_back: tuple[tuple[str | dict[str, Any], str], ...] = ()) -> Prompt:
    """The timeline as one message: a header line, then per person "due by / sent at / acknowledged at".

    Args:
        s: what the incident is.
        rows: the chain, person by person.
        manage: offer Close and Leave someone out (to whoever may close it) while it is open.
        left_out: ``(name, reason)`` of everyone left out of the chain (before or after the report); the name
            may be a message parameter (a relation, for a reader outside the family's circle).
        readmit: offer Let someone back in too.
        let_back: ``(name, reason)`` of everyone let back in (its 'readmitted' events).
    """
    lines: list[tuple[str, dict[str, Any]]] = []
    for r in rows:
        if r.excluded:
            ack: dict[str, Any] = msg(N_("left out"))
        elif r.acknowledged_at is not None:
            ack = dt(r.acknowledged_at)
        elif r.missed:
            ack = msg(N_("missed the deadline"))
        else:
            ack = msg(N_("not yet"))
        lines.append(
            (
                N_("Step {step}: {name} ({role}) — due by {due_by}; sent: {sent_at}; acknowledged: {acknowledged_at}")
                if r.named else N_("Step {step}: {role} — due by {due_by}; sent: {sent_at}; acknowledged: "
                                   "{acknowledged_at}"),
                {
                    "step": r.step_no,
                    **({"name": text(r.name)} if r.named else {}),
                    "role": role_param(r.role),
                    "due_by": dt(r.due_by),
                    "sent_at": dt(r.sent_at) if r.sent_at else msg(N_("not yet")),
                    "acknowledged_at": ack,
                },
            )
        )
    for name, reason in left_out:  # no reason yet: left out at the pick, the reason not typed (fix9t)
        lines.append((N_("Left out: {name} — {reason}"), {"name": text(name) if isinstance(name, str) else name,
                                                           "reason": text(reason) if reason else
                                                           msg(N_("no reason given yet"))}))
    lines.extend((N_("Let back in: {name} — {reason}"), {"name": text(name) if isinstance(name, str) else name,
                                                        "reason": text(reason)}) for name, reason in let_back)
    if not rows:
        lines.append((N_("No one is in the contact chain of this incident."), {}))
    choices = (close_choice(s.incident_id), exclude_choice(s.incident_id),
               *((readmit_choice(s.incident_id),) if readmit else ())) if manage and s.status == "open" else ()
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
