"""How an all clear (``杨秀云没事了``) reads to those handling the incident, and under later reminders (issue 6).

The reporting teacher who got a family's all clear as the generic "张强 replied
to the alert" saw nothing suggest closing the incident, so the chain went on for
hours: reminders to the parents far away, "not reached" notices to the teacher.
Here the all clear reads as one ("张强说杨秀云没事了"), and a reader who may close
the incident gets "Close incident" beside the Reply, which begins the usual close
flow with the outcome the all clear tells (the child found, safe at home) chosen already: one confirmation
naming the child and the report time, the note optional. A
reminder to someone who has not confirmed yet carries the latest all clear in one
line, so a parent far away is not left alarmed by the reminder alone; someone first
alerted after the all clear reads it in that alert, once, and not again as news in
the reminders.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import IncidentKind, IncidentOutcome
from bot.messages.prompt import N_, Prompt, PromptKind, dt, text
from bot.services import incident_privacy as privacy
from bot.services.incident_messages import IncidentSummary, close_choice, reminder_prompt, role_param
from bot.services.incident_people import may_close_incident
from bot.services.incident_roles import recipient, roles_of
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentEvent, IncidentStep, Person

ALL_CLEAR_HEAD = N_("{name} says {child} is all right. {name} ({role}) replied at {at} to the alert about {child} "
                    "({class_name}), {kind} reported at {reported_at}:")
ALL_CLEAR_HEAD_OUTSIDER = N_("The child's {role} says {child} is all right, in reply at {at} to the alert about "
                             "{child} ({class_name}), {kind} reported at {reported_at}:")
CLOSE_HINT = N_("If {child} is safe, close the incident: everyone the contact chain reached is told the outcome, "
                "and the reminders stop.")
LATEST_ALL_CLEAR = N_("{name} {at}: “{words}”")
SINCE_REPORT = N_("Since the report, {name} wrote at {at}: “{words}”")


def all_clear_prompt(s: IncidentSummary, *, name: str, role: str, words: str, at: datetime, named: bool) -> Prompt:
    """An all clear to someone handling the incident or alerted about it: it reads as the all clear it is.

    Args:
        s: the incident.
        name: the writer's name (shown only when ``named``).
        role: the writer's role in the chain (``entrusted_guardian`` …).
        words: what they wrote.
        at: when they wrote it.
        named: whether the reader reads the writer by name (:func:`bot.services.incident_privacy.named`).
    """
    params = {**s.params(), "role": role_param(role), "reported_at": dt(s.reported_at), "at": dt(at)}
    if named:
        params["name"] = text(name)
    return Prompt(ALL_CLEAR_HEAD if named else ALL_CLEAR_HEAD_OUTSIDER, params,
                  lines=((N_("“{words}”"), {"words": text(words)}),), kind=PromptKind.NOTICE)


def with_close(uow: UnitOfWork, prompt: Prompt, *, incident: Incident, reader_id: int, child: str) -> Prompt:
    """``prompt`` with "Close incident" after its other choices (a Reply) when ``reader_id`` may close the incident.

    The close button begins the close flow (:mod:`bot.flows.incident_manage`): nothing closes without the
    outcome and the typed-only confirmation, so a number typed for this message can only begin it.
    """
    school = uow.session.get(Child, incident.child_id) if incident.child_id is not None else None
    if incident.status != "open" or school is None or not may_close_incident(uow, incident, school.school_id,
                                                                             reader_id):
        return prompt
    hint = (CLOSE_HINT, {"child": text(child)})
    # The all clear says how it ended (found; safe at home): its close asks only the confirmation (issue 6).
    outcome = IncidentOutcome.FOUND if incident.kind == IncidentKind.MISSING.value else IncidentOutcome.SAFE_AT_HOME
    return replace(prompt, lines=(*prompt.lines, hint),
                   choices=(*prompt.choices, close_choice(incident.id, outcome.value)))


def latest_line(uow: UnitOfWork, incident: Incident, reader_id: int, now: datetime,
                since: datetime | None = None, line: str = LATEST_ALL_CLEAR) -> tuple[str, dict[str, Any]] | None:
    """The latest all clear about the incident as one line for ``reader_id``, or None when none yet.

    ``since``: only an all clear written after it (a reminder's: news since the reader's alert, which
    carried the one before). The writer is named to a reader who knows the family, else shown by relation
    only (an official of step 3).
    """
    s = uow.session
    after = () if since is None else (IncidentEvent.at > since,)
    row = s.execute(select(IncidentEvent.person_id, IncidentEvent.at, IncidentEvent.note, IncidentEvent.detail)
                    .where(IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "replied",
                           IncidentEvent.at <= now, *after)
                    .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())).all()
    found = next((r for r in row if isinstance(r.detail, dict) and r.detail.get("all_clear")), None)
    if found is None or found.person_id is None or not found.note:
        return None
    step_no = s.scalar(select(IncidentStep.step_no).where(
        IncidentStep.incident_id == incident.id, IncidentStep.person_id == found.person_id)
        .order_by(IncidentStep.step_no).limit(1))
    role = roles_of(uow, incident.id).get((step_no or 0, found.person_id), "")
    writer = s.get(Person, found.person_id)
    # The child's own family reads the writer by name, as need-to-know staff do (an official: by relation only).
    knows = incident.child_id is not None and (privacy.knows_family(uow, reader_id, incident.child_id) or bool(
        privacy.family_role(uow, incident.child_id, reader_id)))
    name = privacy.name_or_relation(writer.name if writer else "", role, knows)
    return line, {"name": name, "at": dt(found.at), "words": text(found.note)}


def with_latest(uow: UnitOfWork, prompt: Prompt, *, incident: Incident, reader_id: int, now: datetime,
                since: datetime | None = None) -> Prompt:
    """A reminder with the latest all clear (after ``since``) as its first line (unchanged when there is none)."""
    line = latest_line(uow, incident, reader_id, now, since)
    return prompt if line is None else replace(prompt, lines=(line, *prompt.lines))


def reminder(uow: UnitOfWork, s: IncidentSummary, incident: Incident, step: IncidentStep, number: int,
             now: datetime) -> Prompt:
    """Reminder ``number`` to a sent, unacknowledged step: after an all clear, never the alarm alone (issue 6).

    Only an all clear written since the alert: one written before it was in the alert itself (:func:`alert`),
    and a reminder repeating it would read as new news, twice (fix6a).
    """
    prompt = reminder_prompt(s, due_by=step.due_by, number=number, sent_ago=now - (step.sent_at or now))
    return with_latest(uow, prompt, incident=incident, reader_id=recipient(step), now=now, since=step.sent_at)


def alert(uow: UnitOfWork, prompt: Prompt, incident: Incident, step: IncidentStep, now: datetime) -> Prompt:
    """A first alert sent after an all clear (the officials of step 3, an hour on): it carries it, once (fix6a).

    Their reminders then quote only an all clear written since (:func:`reminder`).
    """
    line = latest_line(uow, incident, recipient(step), now, line=SINCE_REPORT)
    if line is None:
        return prompt
    return replace(prompt, lines=(line, *prompt.lines))  # right under the report, before what to do
