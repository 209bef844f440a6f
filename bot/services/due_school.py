"""What is due at the school, for its admins, leaders and safeguarding lead: talks per teacher, open incidents.

Issue 6, item 5: a principal's ``/due`` said "nothing due, well done!" while
about 120 talks were outstanding and an unacknowledged emergency was open.
Their ``/due`` now lists the school's talks still due per teacher (with how
many are overdue) and the open incidents they may see, the ones nobody in the
chain acknowledged first; each incident can be opened from the list (its
timeline, with Close and Leave someone out). Every member of staff also sees
the open incidents they reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.domain.classes import class_sort_key
from bot.domain.enums import ADMIN_ROLES, IncidentStatus, Role
from bot.messages import payloads
from bot.messages.prompt import N_, Choice, dt, msg, text
from bot.services import due
from bot.services import incident_privacy as privacy
from bot.services.incident_close import may_close
from bot.services.incident_messages import KIND_LABELS, SEVERITY_LABELS
from bot.services.incident_people import is_safeguarding
from bot.services.incident_roles import asked_to_phone, roles_of
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentEvent, IncidentStep, Person, SchoolClass

OVERVIEW_ROLES = frozenset({*ADMIN_ROLES, Role.SAFEGUARDING_LEAD})
"""Who sees the whole school's work on ``/due``."""

MAX_INCIDENT_BUTTONS = 10  # one button per open incident, up to about a screenful


@dataclass(frozen=True)
class OpenIncident:
    """An open incident as ``/due`` lists it.

    Attributes:
        incident_id: the incident.
        child, class_name: the child.
        kind, severity: enum values.
        reported_at: UTC.
        state: ``chain_missed`` (nobody in the chain acknowledged), ``acknowledged``
            (someone did) or ``waiting`` (nobody yet).
        confirmed, not_confirmed: the chain members sent an alert who did and did not
            acknowledge, as message parameters for this reader (the family by relation
            for a reader outside its circle).
    """

    incident_id: int
    child: str
    class_name: str | None
    kind: str
    severity: str
    reported_at: datetime
    state: str
    confirmed: tuple[dict[str, Any], ...] = ()
    not_confirmed: tuple[dict[str, Any], ...] = ()


def open_incidents(uow: UnitOfWork, *, person_id: int, school_id: int, asked: bool = False) -> list[OpenIncident]:
    """Open incidents of the school the person may close (reporter, admins; leaders for safeguarding).

    Nobody-reached first, then oldest first.

    Args:
        uow: the unit of work.
        person_id: the reader.
        school_id: their school.
        asked: also the incidents the person was asked to phone about (``/due``, fix6d: the class
            teacher with call tasks about a colleague's report), never a safeguarding report about a
            child of their family.
    """
    s = uow.session
    rows = s.execute(
        select(Incident, Child.name, SchoolClass.name)
        .join(Child, Child.id == Incident.child_id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(Child.school_id == school_id, Incident.status == IncidentStatus.OPEN.value)
        .order_by(Incident.reported_at, Incident.id)
    ).all()
    found: list[OpenIncident] = []
    for incident, child, class_name in rows:
        if not may_close(uow, incident, person_id) and not (
                asked and asked_to_phone(uow, incident.id, person_id)
                and not (is_safeguarding(incident.kind) and privacy.family_role(uow, incident.child_id, person_id))):
            continue
        if s.scalar(select(IncidentEvent.id).where(IncidentEvent.incident_id == incident.id,
                                                   IncidentEvent.kind == "chain_missed").limit(1)) is not None:
            state = "chain_missed"
        elif s.scalar(select(IncidentStep.id).where(IncidentStep.incident_id == incident.id,
                                                    IncidentStep.acknowledged_at.is_not(None)).limit(1)) is not None:
            state = "acknowledged"
        else:
            state = "waiting"
        confirmed, waiting = _who_confirmed(uow, incident, person_id)
        found.append(OpenIncident(incident.id, child, class_name, incident.kind, incident.severity,
                                  incident.reported_at, state, confirmed, waiting))
    return sorted(found, key=lambda i: (i.state != "chain_missed", i.reported_at, i.incident_id))


def _who_confirmed(uow: UnitOfWork, incident: Incident,
                   reader_id: int) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """The chain members alerted so far who did and did not acknowledge, as ``reader_id`` may read them."""
    knows = privacy.knows_family(uow, reader_id, incident.child_id)
    roles = roles_of(uow, incident.id)
    confirmed: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    for step, name in uow.session.execute(
        select(IncidentStep, Person.name).join(Person, Person.id == IncidentStep.person_id)
        .where(IncidentStep.incident_id == incident.id, IncidentStep.excluded_at.is_(None),
               IncidentStep.sent_at.is_not(None))
        .order_by(IncidentStep.step_no, IncidentStep.id)
    ).all():
        who = privacy.who(name, roles.get((step.step_no, step.person_id), ""), knows)
        (confirmed if step.acknowledged_at is not None else waiting).append(who)
    return tuple(confirmed), tuple(waiting)


_STATE = {
    "chain_missed": N_("nobody in the chain acknowledged: please phone them"),
    # One word for one state, as on the alert's button ("Acknowledge" / 确认收到): never "confirmed" (fix6m).
    "acknowledged": N_("someone has acknowledged"),
    "waiting": N_("nobody has acknowledged yet"),
}


def incident_lines(items: list[OpenIncident]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines`` of the open incidents: a heading, then one line each."""
    if not items:
        return ()
    lines: list[tuple[str, dict[str, Any]]] = [(N_("Open incidents ({count}):"), {"count": len(items)})]
    for i in items:
        lines.append((N_("• {child} ({class_name}): {kind}, {severity}, reported at {reported_at} — {state}"), {
            "child": text(i.child), "class_name": text(i.class_name or "—"),
            "kind": msg(KIND_LABELS.get(i.kind, i.kind)), "severity": msg(SEVERITY_LABELS.get(i.severity, i.severity)),
            "reported_at": dt(i.reported_at), "state": msg(_STATE[i.state]),
        }))
        if i.not_confirmed:
            lines.append((N_("  Not acknowledged yet: {people}"), {"people": list(i.not_confirmed)}))
        if i.confirmed:
            lines.append((N_("  Acknowledged: {people}"), {"people": list(i.confirmed)}))
    return tuple(lines)


def incident_choices(items: list[OpenIncident]) -> tuple[Choice, ...]:
    """One button per open incident (``inc:<id>``): its timeline, with Close and Leave someone out."""
    return tuple(
        Choice(N_("Show: {child}, {reported_at}"), payloads.incident_view(i.incident_id),
               {"child": text(i.child), "reported_at": dt(i.reported_at)})
        for i in items[:MAX_INCIDENT_BUTTONS]
    )


def school_talk_lines(uow: UnitOfWork, *, school_id: int, now: datetime,
                      timezone: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``Prompt.lines`` of the school's talks still due: a total, then one line per teacher or volunteer."""
    by_person = due.due_by_person(uow, school_id=school_id, now=now, timezone=timezone)
    if not by_person:
        return ()
    s = uow.session
    names = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_(list(by_person)))).all())
    classes: dict[int, list[str]] = {}
    for teacher_id, class_name in s.execute(
        select(SchoolClass.class_teacher_id, SchoolClass.name)
        .where(SchoolClass.school_id == school_id, SchoolClass.class_teacher_id.in_(list(by_person)))
    ).all():
        if teacher_id is not None:
            classes.setdefault(teacher_id, []).append(class_name)
    # Counted as each person's own /due counts them: every missed period is one overdue talk (issue 9).
    total = sum(d.count for items in by_person.values() for d in items)
    overdue = sum(len(d.missed) for items in by_person.values() for d in items)
    lines: list[tuple[str, dict[str, Any]]] = [
        (N_("Talks still due at the school: {count}, {overdue} of them overdue"), {"count": total, "overdue": overdue})
    ]

    def order(person_id: int) -> tuple[object, ...]:
        own = sorted(classes.get(person_id, []), key=class_sort_key)
        return (not own, class_sort_key(own[0]) if own else (), names.get(person_id, ""), person_id)

    for person_id in sorted(by_person, key=order):
        items = by_person[person_id]
        late = sum(len(d.missed) for d in items)
        params: dict[str, Any] = {"name": text(names.get(person_id, "")), "count": sum(d.count for d in items),
                                  "overdue": late}
        own = sorted(classes.get(person_id, []), key=class_sort_key)
        if own:
            params["classes"] = [text(c) for c in own]
            lines.append((N_("• {name} ({classes}): {count}, {overdue} of them overdue"), params))
        else:
            lines.append((N_("• {name}: {count}, {overdue} of them overdue"), params))
    return tuple(lines)
