"""A talk saved with a safety concern is followed up, not only filed (issue 6 item 5, issue 10 item 9).

The author gets a follow-up task, and so does the school's designated
safeguarding lead (``Role.SAFEGUARDING_LEAD``; the school's leaders when it
has none, its admins when it has neither), who is also told at once what the
author noted. The talk flow then offers the author to report an incident.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, Priority, Role, TaskKind
from bot.messages.prompt import N_, Prompt, PromptKind, day, text
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.errors import get_or_raise
from bot.store.models import Child, Person, PersonRole, School, SchoolClass, Task

log = logging.getLogger(__name__)


def safeguarding_leads(uow: UnitOfWork, school_id: int) -> list[tuple[int, str]]:
    """``(person_id, name)`` of whom a safety concern reaches: the leads, else the leaders, else the admins."""
    for roles in ((Role.SAFEGUARDING_LEAD,), (Role.SCHOOL_LEADER,), tuple(ADMIN_ROLES)):
        found = uow.session.execute(
            select(Person.id, Person.name).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == school_id, PersonRole.role.in_([r.value for r in roles]))
            .distinct().order_by(Person.id)
        ).all()
        if found:
            return [(person_id, name) for person_id, name in found]
    return []


def _task(uow: UnitOfWork, *, key: str, child_id: int, assignee_id: int, about: int | None, detail: str | None,
          now: datetime) -> None:
    if uow.session.scalar(select(Task.id).where(Task.key == key)) is None:
        uow.session.add(Task(key=key, kind=TaskKind.SAFETY_CONCERN.value, child_id=child_id, assignee_id=assignee_id,
                             about_person_id=about, detail=detail, created_at=now))


def follow_up_safety_concern(uow: UnitOfWork, *, record_id: int, author_id: int, child_id: int, note: str | None,
                             now: datetime) -> list[tuple[int, str]]:
    """Tasks for the author and the safeguarding lead(s), and the note to the lead(s) (idempotent per record).

    Args:
        uow: the unit of work (the caller commits).
        record_id: the talk record that noted the concern.
        author_id: who talked with the child.
        child_id: the child.
        note: the talk's note (may be None), passed on to the leads only.
        now: UTC.

    Returns:
        The leads ``(person_id, name)`` told (the author is never told of their own note).
    """
    s = uow.session
    child = get_or_raise(s, Child, child_id)
    author = get_or_raise(s, Person, author_id)
    klass = s.get(SchoolClass, child.class_id) if child.class_id else None
    school = get_or_raise(s, School, child.school_id)
    leads = safeguarding_leads(uow, child.school_id)
    _task(uow, key=f"talk-safety:{record_id}:{author_id}", child_id=child_id, assignee_id=author_id, about=None,
          detail=note, now=now)
    talked_on = now.astimezone(ZoneInfo(school.timezone)).date()
    prompt = Prompt(
        N_("{author} noted a safety concern in the talk with {child} ({class_name}) on {date}. "
           "Please follow it up with them; a task has been added for you."),
        {"author": text(author.name), "child": text(child.name), "class_name": text(klass.name if klass else "—"),
         "date": day(talked_on)},
        lines=((N_("Note: {value}"), {"value": text(note)}),) if note else (),
        kind=PromptKind.TASK,
    )
    told: list[tuple[int, str]] = []
    for lead_id, name in leads:
        if lead_id == author_id:
            continue
        _task(uow, key=f"talk-safety:{record_id}:{lead_id}", child_id=child_id, assignee_id=lead_id, about=author_id,
              detail=note, now=now)
        enqueue(s, key=f"talk-safety:{record_id}:to:{lead_id}", person_id=lead_id, prompt=prompt,
                priority=Priority.BULK, now=now, child_id=child_id)
        told.append((lead_id, name))
    s.flush()
    log.info("talk record %s: safety concern followed up (%s leads told)", record_id, len(told))
    return told
