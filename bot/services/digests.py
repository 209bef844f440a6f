"""The daily digest: one message a day per teacher with the talks due or overdue.

Issue 2: teachers get at most one digest a day. It is planned from
:data:`DIGEST_TIME` school time (07:30, our choice: before the first lesson,
after the quiet hours end at 07:00) until the quiet hours begin; a digest
not planned by then (scheduler down all day) is skipped, since tomorrow's
brings the same list up to date. Nothing is sent when nothing is due.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority, RelationKind, Role
from bot.domain.periods import in_quiet_hours, local_date
from bot.flows.prompt import N_, Prompt
from bot.services.due import due_lines, talks_due
from bot.services.outbox import enqueue
from bot.store.models import ChildRelation, OutboxMessage, Person, PersonRole, School, SchoolClass
from bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)

DIGEST_TIME = time(7, 30)
_TEACHER_ROLES = (Role.CLASS_TEACHER.value, Role.HELPER_TEACHER.value, Role.CARING_PARENT.value)


def digest_key(person_id: int, day: str) -> str:
    """Idempotency key of a person's digest for a school-local date (``2026-11-30``)."""
    return f"digest:{person_id}:{day}"


def _teachers(uow: UnitOfWork, school_id: int) -> list[int]:
    s = uow.session
    ids = set(
        s.scalars(
            select(Person.id).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == school_id, PersonRole.role.in_(_TEACHER_ROLES))
        ).all()
    )
    ids.update(
        i for i in s.scalars(select(SchoolClass.class_teacher_id).where(SchoolClass.school_id == school_id)).all() if i
    )
    ids.update(
        s.scalars(
            select(ChildRelation.person_id).join(Person, Person.id == ChildRelation.person_id)
            .where(Person.school_id == school_id,
                   ChildRelation.kind.in_((RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)))
        ).all()
    )
    return sorted(ids)


def plan_digests(uow: UnitOfWork, *, now: datetime, settings: Settings) -> int:
    """Enqueue today's digest for each teacher with something due (BULK).

    Args:
        now: UTC now.
        settings: quiet hours; default zone.

    Returns:
        The number of digests enqueued. The caller commits.
    """
    s = uow.session
    planned = 0
    for school in s.scalars(select(School)).all():
        tz = school.timezone or settings.timezone
        local_now = now.astimezone(ZoneInfo(tz))
        if local_now.time() < DIGEST_TIME or in_quiet_hours(now, tz, settings.quiet_start, settings.quiet_end):
            continue
        today = local_date(now, tz).isoformat()
        already = set(
            s.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like(f"digest:%:{today}"))).all()
        )
        for person_id in _teachers(uow, school.id):
            key = digest_key(person_id, today)
            if key in already:
                continue
            due = talks_due(uow, person_id=person_id, now=now, timezone=tz)
            if not due:
                continue
            enqueue(s, key=key, person_id=person_id, priority=Priority.BULK, now=now,
                    prompt=Prompt(N_("Good morning! Talks due or overdue ({count}):"), {"count": len(due)},
                                  lines=due_lines(due)))
            planned += 1
    if planned:
        log.info("planned %s digests", planned)
    return planned
