"""The school's open tasks per assignee, for its admins: ``/due``, ``/tasks`` and their daily digest.

Issue 9: a principal never heard about the school's overdue tasks, and her
``/tasks`` listed the school's 244 other tasks one line each. She now reads
one line per colleague (how many open, how many overdue) and opens one
colleague's list by name (``/tasks 卢老师``); ``/due`` and the digest carry one
line, "overdue tasks at the school: N (卢老师 13、王老师 6 …)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.enums import ADMIN_ROLES, STAFF_ROLES
from bot.messages.prompt import N_, msg, text
from bot.services import access, child_names, tasks
from bot.services.access import Purpose
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.services.tasks import TaskView
from bot.store.models import Person, PersonRole

MAX_CLOSE = 5  # names suggested for a /tasks NAME that matches nobody
MAX_NAMED = 8  # colleagues named on the one overdue line; the rest are "…"


@dataclass(frozen=True)
class Assignee:
    """One colleague's open tasks at the school.

    Attributes:
        person_id, name: the assignee.
        count: their open tasks.
        overdue: how many of them are overdue.
    """

    person_id: int
    name: str
    count: int
    overdue: int


def by_assignee(views: Sequence[TaskView]) -> list[Assignee]:
    """The tasks grouped per assignee: most overdue first, then most open, then by name."""
    groups: dict[int, list[TaskView]] = {}
    for v in views:
        groups.setdefault(v.assignee_id, []).append(v)
    found = [Assignee(pid, items[0].assignee_name, len(items), sum(v.overdue for v in items))
             for pid, items in groups.items()]
    return sorted(found, key=lambda a: (-a.overdue, -a.count, a.name, a.person_id))


def assignee_lines(groups: Sequence[Assignee]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines``: one line per colleague, "• 卢老师: 13 open, 13 overdue"."""
    return tuple((N_("• {name}: {count} open, {overdue} overdue"),
                  {"name": text(a.name), "count": a.count, "overdue": a.overdue}) for a in groups)


def overdue_line(overdue: Sequence[TaskView]) -> tuple[str, dict[str, Any]] | None:
    """One line for the school's overdue tasks by assignee, or None when there are none."""
    groups = [a for a in by_assignee(overdue) if a.overdue]
    if not groups:
        return None
    people: list[Any] = [msg(N_("{name} {count}"), name=text(a.name), count=a.overdue) for a in groups[:MAX_NAMED]]
    if len(groups) > MAX_NAMED:
        people.append(text("…"))
    return (N_("Overdue tasks at the school: {count} ({people})"),
            {"count": sum(a.overdue for a in groups), "people": people})


def school_overdue_line(uow: UnitOfWork, *, school_id: int, now: datetime,
                        reader: int) -> tuple[str, dict[str, Any]] | None:
    """:func:`overdue_line` of the school's open tasks (``/due`` of an admin) as ``reader`` may see them."""
    views = [v for items in tasks.overdue_by_person(uow, school_id=school_id, now=now, reader=reader).values()
             for v in items]
    return overdue_line(views)


def digest_lines(uow: UnitOfWork, overdue_in: dict[int, dict[int, list[TaskView]]],
                 ) -> dict[int, tuple[tuple[str, dict[str, Any]], tuple[int, ...]]]:
    """For the daily digest: each school's overdue line and the admins and leaders who read it (one query).

    Args:
        uow: the unit of work.
        overdue_in: :func:`bot.services.tasks.overdue_by_school` of the schools.

    Returns:
        school id → (the line, its admins' person ids); schools without overdue tasks or admins are absent.
    """
    lines = {sid: line for sid, by_person in overdue_in.items()
             if (line := overdue_line([v for items in by_person.values() for v in items])) is not None}
    if not lines:
        return {}
    rows = uow.session.execute(
        select(Person.school_id, Person.id).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.school_id.in_(list(lines)), Person.left_at.is_(None),
               PersonRole.role.in_([r.value for r in ADMIN_ROLES])).distinct().order_by(Person.id)
    ).all()
    admins: dict[int, list[int]] = {}
    for school_id, person_id in rows:
        admins.setdefault(school_id, []).append(person_id)
    return {sid: (line, tuple(admins[sid])) for sid, line in lines.items() if sid in admins}


def close_names(uow: UnitOfWork, actor: Actor, name: str, *, colleagues: bool) -> list[str]:
    """Names close to ``name`` that ``/tasks NAME`` could mean: children the actor may see, and colleagues (admins).

    Only within the actor's scope, so a suggestion never reveals a child she may not see; at most
    :data:`MAX_CLOSE` names, children first.
    """
    found = [c.name for c in child_names.closest(uow, actor, purpose=Purpose.VIEW, name=name)]
    typed = normalise_name(name).casefold()
    if colleagues and typed and len(typed) <= child_names.MAX_NAME_CHARS:
        staff = uow.session.execute(
            select(Person.name).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == actor.school_id, Person.left_at.is_(None),
                   PersonRole.role.in_([r.value for r in STAFF_ROLES]))
            .distinct().order_by(Person.name)).scalars().all()
        found += [n for n in staff if typed in normalise_name(n).casefold()
                  or child_names.similarity(name, n) >= child_names.CLOSE_ENOUGH]
    return list(dict.fromkeys(found))[:MAX_CLOSE]


def child_in_scope(uow: UnitOfWork, actor: Actor, name: str) -> bool:
    """Whether ``name`` is (exactly) a child the actor may see."""
    return bool(access.find_children(uow, actor, purpose=Purpose.VIEW, name=name))
