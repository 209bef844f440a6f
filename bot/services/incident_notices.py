"""What is said around an incident's chain: the outcome at its close, the class teacher's notice, additions.

Prompt builders only (message ids with typed parameters); the chain's own
alerts and reminders are :mod:`bot.services.incident_messages`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.enums import IncidentOutcome
from bot.messages.prompt import N_, Prompt, PromptKind, dt, msg, text
from bot.messages.prompt import phone as phone_param
from bot.services.incident_messages import IncidentSummary, close_choice, role_param

OUTCOME_LABELS = {
    IncidentOutcome.SAFE_AT_SCHOOL: N_("The child is safe at school"),
    IncidentOutcome.SAFE_AT_HOME: N_("The child is safe at home"),
    IncidentOutcome.CLINIC_OR_HOSPITAL: N_("Taken to a clinic or hospital"),
    IncidentOutcome.FOUND: N_("The child has been found"),
    IncidentOutcome.REFERRED: N_("Handed to child protection or the police"),
    IncidentOutcome.OTHER: N_("Other (please explain)"),
}
"""The outcomes a closer picks from (issue 6, item 2), as their buttons and as the notice says them."""

OUTCOME_SHOWN = {**OUTCOME_LABELS, IncidentOutcome.OTHER: N_("other")}
"""The outcome as the notice names it ("Outcome: other", then the note)."""


def _phone(value: str | None) -> dict[str, Any]:
    return phone_param(value) if value else msg(N_("no phone number on record"))


def closed_prompt(s: IncidentSummary, *, closer: str, closed_at: datetime, outcome: str, note: str | None) -> Prompt:
    """To everyone the chain reached: the incident is closed, and how it ended."""
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    if note:
        lines = ((N_("Details: {value}"), {"value": text(note)}),)
    return Prompt(
        N_("The incident about {child} ({class_name}), {kind} reported at {reported_at}, was closed by {closer} "
           "at {closed_at}. Outcome: {outcome}."),
        {**s.params(), "reported_at": dt(s.reported_at), "closer": text(closer), "closed_at": dt(closed_at),
         "outcome": msg(OUTCOME_SHOWN.get(IncidentOutcome(outcome), outcome))},
        lines=lines,
        kind=PromptKind.NOTICE,
    )


def close_reply(result: str) -> Prompt:
    """The reply to a confirmed close (``CloseResult`` value)."""
    return Prompt(
        {
            "closed": N_("The incident is closed. Everyone the contact chain reached is told the outcome; "
                         "no further alerts will be sent."),
            "already": N_("This incident was already closed."),
        }.get(str(result), N_("Only the reporting teacher or a school administrator can close this incident."))
    )


def class_teacher_prompt(s: IncidentSummary) -> Prompt:
    """To the child's class teacher when another member of staff reported (the duty teacher in the yard)."""
    return Prompt(
        N_("{reporter} reported an incident about {child} of your class ({class_name}): {kind}, {severity}, "
           "at {reported_at}.\n{description}"),
        {**s.params(), "reporter": text(s.reporter), "reported_at": dt(s.reported_at),
         "description": text(s.description)},
        lines=((N_("Phone of {reporter}, who reported it: {phone}"),
                {"reporter": text(s.reporter), "phone": _phone(s.reporter_phone)}),),
        kind=PromptKind.NOTICE,
    )


def chain_missed_prompt(s: IncidentSummary, people: list[tuple[str, str, str | None]]) -> Prompt:
    """To the admins (the leaders for a safeguarding report), once: nobody in the chain acknowledged.

    Args:
        s: what the incident is.
        people: ``(name, role, phone)`` of everyone the chain tried, in step order.
    """
    return Prompt(
        N_("Nobody in the contact chain acknowledged the incident about {child} ({class_name}), {kind} reported "
           "at {reported_at}. Please phone them now; the incident stays on your /due list until it is closed."),
        {**s.params(), "reported_at": dt(s.reported_at)},
        choices=(close_choice(s.incident_id),),
        lines=tuple((N_("• {name} ({role}): {phone}"), {"name": text(name), "role": role_param(role),
                                                      "phone": _phone(phone)})
                    for name, role, phone in people),
        kind=PromptKind.INCIDENT_NOTICE,
    )


def added_prompt(s: IncidentSummary, *, author: str, added: str) -> Prompt:
    """To everyone the chain reached: a second report about the same child was added to this one."""
    return Prompt(
        N_("More about the incident about {child} ({class_name}), {kind} reported at {reported_at}, "
           "from {author}:\n{added}"),
        {**s.params(), "reported_at": dt(s.reported_at), "author": text(author), "added": text(added)},
        kind=PromptKind.NOTICE,
    )


def rate_limited_prompt(*, reporter: str, phone: str | None, count: int, minutes: int) -> Prompt:
    """To the school's admins, once an hour: a reporter reached the limit of incident reports."""
    return Prompt(
        N_("{reporter} has reported {count} incidents within {minutes} minutes, the most the bot accepts; "
           "further reports from them are refused for now. If many children need help, please phone them: "
           "{phone}"),
        {"reporter": text(reporter), "count": count, "minutes": minutes, "phone": _phone(phone)},
        kind=PromptKind.NOTICE,
    )
