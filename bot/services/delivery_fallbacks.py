"""What happens to an outbox row no chat account took: the fallbacks (DESIGN.md, "Outbox").

The drain (:mod:`bot.services.delivery`) calls :func:`fail_row` when every
account of the recipient failed permanently or refused the message:

* an incident row → :func:`bot.services.incident_fallback.on_recipient_unreachable`
  (phone task, next step of the chain);
* a row to a guardian or parent → a phone-call task and message for each of
  their children's class teachers (:func:`_phone_tasks_for_class_teachers`);
* a row to anyone else (staff) → forwarded once to the school's admins and the
  child's class teacher (:func:`_forward_to_admins`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority, RelationKind, Role, TaskKind
from bot.domain.periods import local_date, week_period
from bot.services import binding_probation, identity, incident_rows, outbox_prompts
from bot.services import delivery_messages as m
from bot.services.incident_fallback import on_recipient_unreachable
from bot.services.outbox import enqueue
from bot.services.ports import MessageRejectedError, UnitOfWork, UowFactory
from bot.store.errors import get_or_raise
from bot.store.models import (
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    OutboxMessage,
    Person,
    School,
    SchoolClass,
    Task,
)

log = logging.getLogger(__name__)

PHONE_TASK_QUIET_DAYS = 7
_GUARDIAN_KINDS = (RelationKind.ENTRUSTED_GUARDIAN, RelationKind.FATHER, RelationKind.MOTHER)
_FAMILY_ROLES = frozenset({Role.GUARDIAN, Role.PARENT})
# Rows written by :func:`_forward_to_admins`; when one fails nothing more is forwarded (no loops).
FORWARD_KEY_PREFIX = "fwd:"
# Rows of :mod:`bot.services.incident_unsent` (a report not sent yet): never forwarded (see _forward_to_admins).
UNSENT_KEY_PREFIX = "incident_unsent:"
# The no-signal alarm's rows (bot.services.no_signal): one about an incident is not forwarded (see _forward_to_admins).
ALARM_KEY_PREFIX = "alarm:"
# Keys that name the child a message is about: "task:<task id>:…" and "incident:<incident id>:…".
_SUBJECT_KEY = re.compile(r"^(task|incident):(\d+):")


def fail_row(uow_factory: UowFactory, row_id: int, *, now: datetime, settings: Settings,
             rejected: MessageRejectedError | None = None) -> tuple[bool, int]:
    """No account took the row: run the fallback and mark the row failed, in one transaction if possible.

    Args:
        uow_factory: units of work; this commits its own.
        row_id: the outbox row.
        now: UTC now.
        settings: the default school zone (for task keys and weeks).
        rejected: set when at least one account refused the message itself; a
            non-incident row then gets no fallback (see ``bot.services.delivery.drain_outbox``).

    Returns:
        ``(failed, forwarded)``: whether the row was marked failed (not when a
        close cancelled it meanwhile), and how many forwarded copies were enqueued.
    """
    error = f"message rejected: {rejected}"[:500] if rejected is not None else "no reachable chat account"
    forwarded = 0
    try:
        with uow_factory() as uow:
            row = get_or_raise(uow.session, OutboxMessage, row_id)
            if row.cancelled_at is not None or row.sent_at is not None:
                return False, 0  # cancelled by a close meanwhile: not a failure, no fallback
            if row.incident_step_id is not None:
                on_recipient_unreachable(uow, incident_step_id=row.incident_step_id, now=now)
            elif row.to_account is not None and binding_probation.on_ask_failed(uow, row.key, now=now):
                pass  # "did you link it?" could not be asked: the school phones the person (binding_probation)
            elif (rejected is None and row.to_account is None and row.person_id is not None
                  and not row.key.startswith(FORWARD_KEY_PREFIX)):
                # (A row addressed to one chat account, a binding notice, has no fallback.)
                _phone_tasks_for_class_teachers(uow, row.person_id, now=now, default_timezone=settings.timezone)
                forwarded = _forward_to_admins(uow, row, now=now, default_timezone=settings.timezone)
            row.failed_at = now
            row.claimed_until = None
            row.last_error = error
            uow.commit()
    except Exception as exc:  # the fallback is another service's; never lose the failure itself
        log.exception("outbox row %s: fallback failed", row_id)
        forwarded = 0
        with uow_factory() as uow:
            row = get_or_raise(uow.session, OutboxMessage, row_id)
            row.failed_at = now
            row.claimed_until = None
            row.last_error = f"{error}; fallback failed: {type(exc).__name__}"[:500]
            uow.commit()
    log.warning("outbox row %s: failed (%s)", row_id,
                "message rejected" if rejected is not None else "no reachable account")
    return True, forwarded


def _phone_tasks_for_class_teachers(uow: UnitOfWork, person_id: int, *, now: datetime, default_timezone: str) -> int:
    """A phone-call task (and a message) for the class teacher of each child the contact cares for.

    Only guardians and parents get this fallback: a teacher or official who
    cannot be reached has no class teacher to phone them. A contact who misses
    many messages makes one task, not one per message: no new task while one
    for the same contact and child is open and under
    :data:`PHONE_TASK_QUIET_DAYS` (7) days old; the key
    ``phone_contact:{contact}:{child}:{school-local date}`` keeps it unique.

    Returns:
        The number of new tasks.
    """
    s = uow.session
    contact = s.get(Person, person_id)
    if contact is None:
        return 0
    school = s.get(School, contact.school_id)
    tz = (school.timezone if school else None) or default_timezone
    today = local_date(now, tz).isoformat()
    rows = s.execute(
        select(Child.id, Child.name, SchoolClass.class_teacher_id)
        .join(ChildRelation, ChildRelation.child_id == Child.id)
        .join(SchoolClass, SchoolClass.id == Child.class_id)
        .where(
            ChildRelation.person_id == person_id,
            ChildRelation.kind.in_([k.value for k in _GUARDIAN_KINDS]),
            Child.active.is_(True),
            SchoolClass.class_teacher_id.is_not(None),
        )
        .distinct()
    ).all()
    created = 0
    for child_id, child_name, teacher_id in rows:
        if teacher_id is None or teacher_id == person_id:
            continue
        key = f"phone_contact:{person_id}:{child_id}:{today}"
        open_task = s.scalar(
            select(Task.id).where(
                Task.kind == TaskKind.PHONE_CONTACT.value, Task.about_person_id == person_id,
                Task.child_id == child_id, Task.done_at.is_(None),
                Task.created_at > now - timedelta(days=PHONE_TASK_QUIET_DAYS),
            ).limit(1)
        )
        if open_task is not None or s.scalar(select(Task.id).where(Task.key == key)) is not None:
            continue
        task = Task(key=key, kind=TaskKind.PHONE_CONTACT.value, child_id=child_id, assignee_id=teacher_id,
                    about_person_id=person_id, detail="unreachable on every chat account", created_at=now)
        s.add(task)
        s.flush()
        prompt = m.phone_contact_prompt(contact=contact.name, child=child_name, phone=contact.phone)
        enqueue(s, key=f"task:{task.id}:notify", person_id=teacher_id, prompt=prompt,
                priority=Priority.BULK, now=now, child_id=child_id)
        created += 1
        log.info("phone task %s for teacher %s about person %s (child %s)", task.id, teacher_id, person_id, child_id)
    return created


def _child_of(uow: UnitOfWork, row: OutboxMessage) -> Child | None:
    """The child an outbox row is about, when its incident step or key says so (else None)."""
    s = uow.session
    child_id: int | None = None
    if row.incident_step_id is not None:
        child_id = s.scalar(select(Incident.child_id).join(IncidentStep, IncidentStep.incident_id == Incident.id)
                            .where(IncidentStep.id == row.incident_step_id))
    elif (match := _SUBJECT_KEY.match(row.key)) is not None:
        model = Task if match[1] == "task" else Incident
        child_id = s.scalar(select(model.child_id).where(model.id == int(match[2])))
    return s.get(Child, child_id) if child_id is not None else None


def _forward_to_admins(uow: UnitOfWork, row: OutboxMessage, *, now: datetime, default_timezone: str) -> int:
    """Forward an undeliverable message to a staff member to whoever can act on it instead.

    Guardians and parents have the phone-task fallback; anyone else (a helper
    teacher without a chat account, a class teacher who blocked the bot, …)
    would otherwise lose the message silently — e.g. a guardian's "needs help"
    told "your teacher will contact you" while nobody was told. The copy goes,
    once (key ``fwd:<row>:to:<person>``), to each admin and leader of the
    recipient's school and, when the row is about a child (an incident or a
    task), to the child's class teacher, never to the original recipient.
    A row about an incident goes to those the incident may reach
    (:func:`bot.services.incident_rows.stand_ins_for`): never to anyone it keeps away (the principal
    left out of an abuse report as the accused, the child's family for a safeguarding report; fix9s),
    for a safeguarding report to its leaders only, else to the chain's stand-ins. The warning about a
    report not sent yet is not forwarded: the others it went to are the ones who would get the copy; nor is
    a no-signal alarm about an incident's row (its readers are those stand-ins already, and a stuck copy
    would raise another alarm, round after round). It
    starts with a line naming whom it was meant for and saying they cannot be
    reached (worded as urgent for an URGENT row), then the original message;
    it keeps the row's priority and drops its buttons (they answer the original
    recipient's conversation, not the new one's).

    A row about no child (the daily digest of talks due) is forwarded at most
    once per unreachable person and school-local ISO week (key
    ``fwd:person:<person>:<week>:to:<person>``): it tells the admins that the
    teacher cannot be reached and what is due, without a copy every morning
    for every unbound teacher.

    Returns:
        The number of copies enqueued (0 for a guardian or parent, when nobody
        else is on record — then a warning is logged — or when this week's
        copy about a childless message went out already).
    """
    s = uow.session
    person = s.get(Person, row.person_id) if row.person_id is not None else None
    if person is None or person.role_set & _FAMILY_ROLES:
        return 0
    if row.key.startswith(UNSENT_KEY_PREFIX):
        return 0  # every admin or leader not kept away from the draft got the same warning: nobody to add
    incident = incident_rows.incident_of(uow, row)
    if incident is not None and row.key.startswith(ALARM_KEY_PREFIX):
        return 0  # its readers were chosen as the stand-ins already; a copy stuck in turn would raise another
    child = _child_of(uow, row)
    to: list[int] = []
    if incident is not None:
        to = incident_rows.stand_ins_for(uow, incident, person.id)  # never anyone kept away (fix9s)
    else:
        if child is not None and child.class_id is not None:
            teacher_id = s.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id))
            if teacher_id is not None:
                to.append(teacher_id)
        to += identity.school_admin_ids(uow, person.school_id)
        to = [p for p in dict.fromkeys(to) if p != person.id]
    if not to:
        log.warning("outbox row %s: person %s unreachable and nobody to forward to", row.id, person.id)
        return 0
    original = outbox_prompts.prompt_of(uow, row, timezone=default_timezone)
    if original is None:
        return 0
    prompt = m.forwarded_prompt(original, name=person.name,
                                roles=list(identity.sorted_roles(person.role_set)),
                                urgent=row.priority == Priority.URGENT.value)
    if child is not None or incident is not None:  # (the key names the row: its incident is found again from it)
        base = f"{FORWARD_KEY_PREFIX}{row.id}"
    else:
        school = s.get(School, person.school_id)
        week = week_period(now, (school.timezone if school else None) or default_timezone)
        base = f"{FORWARD_KEY_PREFIX}person:{person.id}:{week}"
    created = 0
    for person_id in to:
        key = f"{base}:to:{person_id}"
        if s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        enqueue(s, key=key, person_id=person_id, prompt=prompt, priority=Priority(row.priority), now=now,
                child_id=row.child_id)
        created += 1
    log.info("outbox row %s: person %s unreachable, forwarded to %s people", row.id, person.id, created)
    return created
