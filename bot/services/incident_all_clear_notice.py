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
the reminders. The words are quoted to a person once: every later reminder (five in
fifty minutes) carries one short line instead, "（张强已报平安，等待老师结束事件）" (fix6g:
testers found the same quote beside every reminder). Reminders go on: the step is
still unconfirmed until the teacher closes the incident (docs/incident-chain.md).
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
ALL_CLEAR_SENT = N_("({name} has sent the all clear; waiting for the teacher to close the incident)")


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

    ``since``: only an all clear written after it. The writer is named to a reader who knows the family,
    else shown by relation only (an official of step 3).
    """
    found = _latest(uow, incident, now, since)
    if found is None:
        return None
    return line, {"name": _writer(uow, incident, found.person_id, reader_id), "at": dt(found.at),
                  "words": text(found.note)}


def _latest(uow: UnitOfWork, incident: Incident, now: datetime, since: datetime | None = None) -> Any:
    """The latest all-clear ``replied`` event (person_id, at, note) up to ``now`` (after ``since``), or None."""
    s = uow.session
    after = () if since is None else (IncidentEvent.at > since,)
    row = s.execute(select(IncidentEvent.person_id, IncidentEvent.at, IncidentEvent.note, IncidentEvent.detail)
                    .where(IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "replied",
                           IncidentEvent.at <= now, *after)
                    .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())).all()
    found = next((r for r in row if isinstance(r.detail, dict) and r.detail.get("all_clear")), None)
    if found is None or found.person_id is None or not found.note:
        return None
    return found


def _writer(uow: UnitOfWork, incident: Incident, writer_id: int, reader_id: int) -> Any:
    """The all clear's writer for ``reader_id``: by name to the family and need-to-know staff, else by relation."""
    s = uow.session
    step_no = s.scalar(select(IncidentStep.step_no).where(
        IncidentStep.incident_id == incident.id, IncidentStep.person_id == writer_id)
        .order_by(IncidentStep.step_no).limit(1))
    role = roles_of(uow, incident.id).get((step_no or 0, writer_id), "")
    writer = s.get(Person, writer_id)
    # The child's own family reads the writer by name, as need-to-know staff do (an official: by relation only).
    knows = incident.child_id is not None and (privacy.knows_family(uow, reader_id, incident.child_id) or bool(
        privacy.family_role(uow, incident.child_id, reader_id)))
    return privacy.name_or_relation(writer.name if writer else "", role, knows)


def with_latest(uow: UnitOfWork, prompt: Prompt, *, incident: Incident, reader_id: int, now: datetime,
                since: datetime | None = None) -> Prompt:
    """A reminder with the latest all clear (after ``since``) as its first line (unchanged when there is none)."""
    line = latest_line(uow, incident, reader_id, now, since)
    return prompt if line is None else replace(prompt, lines=(line, *prompt.lines))


def reminder(uow: UnitOfWork, s: IncidentSummary, incident: Incident, step: IncidentStep, number: int,
             now: datetime) -> Prompt:
    """Reminder ``number`` to a sent, unacknowledged step: after an all clear, never the alarm alone (issue 6).

    The latest all clear is quoted in the first reminder after it; when the alert itself carried it
    (:func:`alert`, fix6a) or an earlier reminder quoted it already, the reminder carries one short line,
    "（张强已报平安，等待老师结束事件）", never the same quote beside every reminder (fix6g).
    """
    prompt = reminder_prompt(s, due_by=step.due_by, number=number, sent_ago=now - (step.sent_at or now))
    found = _latest(uow, incident, now)
    if found is None:
        return prompt
    reader = recipient(step)
    if not _quoted_before(uow, incident, step, found.at):
        return with_latest(uow, prompt, incident=incident, reader_id=reader, now=now)
    short = (ALL_CLEAR_SENT, {"name": _writer(uow, incident, found.person_id, reader)})
    return replace(prompt, lines=(short, *prompt.lines))


def _quoted_before(uow: UnitOfWork, incident: Incident, step: IncidentStep, at: datetime) -> bool:
    """Whether the all clear written ``at`` reached this step's person already: in its alert or a reminder."""
    if step.sent_at is not None and _naive(step.sent_at) >= _naive(at):
        return True  # the alert went after the all clear and carried it (fix6a)
    reminded = uow.session.scalars(select(IncidentEvent.at).where(
        IncidentEvent.incident_id == incident.id, IncidentEvent.kind == "reminded",
        IncidentEvent.person_id == step.person_id, IncidentEvent.step_no == step.step_no)).all()
    return any(_naive(r) >= _naive(at) for r in reminded)


def _naive(at: datetime) -> datetime:
    """``at`` without its zone (UTC throughout; SQLite returns stored times naive)."""
    return at.replace(tzinfo=None)


def alert(uow: UnitOfWork, prompt: Prompt, incident: Incident, step: IncidentStep, now: datetime) -> Prompt:
    """A first alert sent after an all clear (the officials of step 3, an hour on): it carries it, once (fix6a).

    Their reminders then quote only an all clear written since (:func:`reminder`).
    """
    line = latest_line(uow, incident, recipient(step), now, line=SINCE_REPORT)
    if line is None:
        return prompt
    return replace(prompt, lines=(line, *prompt.lines))  # right under the report, before what to do
