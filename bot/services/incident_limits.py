"""Incident reports: rate limits per reporter and per child, and a second report merged into the first.

Issue 10, item 5: one account reported 30 emergencies in 1.7 s, each sent at
once. A reporter may report at most :data:`REPORTS_PER_WINDOW` incidents in
:data:`WINDOW` (a duty teacher with several hurt children still can; a
runaway script cannot flood families at night); beyond that a report is
refused before anything is written, and the school's admins are told once an
hour, with the reporter's phone, in case it is a real mass emergency. A child
gets at most :data:`SEPARATE_PER_CHILD` separate open reports in
:data:`CHILD_WINDOW`.

A second report about a child with an open, comparable report from the last
:data:`MERGE_WINDOW` is offered to be added to it (the flow asks first):
:func:`add_to_incident` records it on the first incident's timeline and tells
everyone that incident reached. A safeguarding report and a family incident
are never merged (the family would read the abuse report), and a report the
new reporter may not see is never offered (that would reveal it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.domain.enums import IncidentStatus, Priority
from bot.services import incident_notices as notices
from bot.services.identity import school_admin_ids
from bot.services.incident_escalation import event, incident_summary, lock_incident, school_id_of
from bot.services.incident_people import is_safeguarding, leader_ids, notice_ids
from bot.services.incident_roles import kept_away_ids
from bot.services.outbox import enqueue
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentEvent, IncidentStep, OutboxMessage, Person

log = logging.getLogger(__name__)

REPORTS_PER_WINDOW = 5
WINDOW = timedelta(minutes=10)
SEPARATE_PER_CHILD = 3
CHILD_WINDOW = timedelta(hours=1)
MERGE_WINDOW = timedelta(minutes=30)
MAX_ADDITION = 2000  # characters, like a description


class IncidentRateLimited(Exception):
    """A report refused by a rate limit; nothing was written.

    Attributes:
        reason: ``"reporter"`` (too many reports by this person) or ``"child"``
            (too many separate open reports about this child: add to one instead).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reports_in_window(uow: UnitOfWork, reporter_id: int, now: datetime) -> int:
    """How many incidents the person reported in the :data:`WINDOW` before ``now``."""
    return uow.session.scalar(
        select(func.count()).select_from(Incident)
        .where(Incident.reporter_id == reporter_id, Incident.reported_at > now - WINDOW,
               Incident.reported_at <= now)
    ) or 0


def reporter_limited(uow: UnitOfWork, reporter_id: int, now: datetime) -> bool:
    """Whether the person has used up their reports for now (the flow asks before any question)."""
    return reports_in_window(uow, reporter_id, now) >= REPORTS_PER_WINDOW


def enforce(uow: UnitOfWork, *, reporter_id: int, child_id: int, kind: str, now: datetime) -> None:
    """Refuse a report over a limit (called by ``report_incident`` before it writes anything).

    On PostgreSQL the reporter's and the child's rows are locked first, so two
    workers handling one person's burst count each other's reports. The
    child's limit counts reports of the same family only (safeguarding or
    not), so a refusal never reveals a safeguarding report to someone else.

    Raises:
        IncidentRateLimited: over the reporter's or the child's limit.
    """
    if uow.dialect == "postgresql":
        uow.session.execute(select(Person.id).where(Person.id == reporter_id).with_for_update())
        uow.session.execute(select(Child.id).where(Child.id == child_id).with_for_update())
    if reporter_limited(uow, reporter_id, now):
        raise IncidentRateLimited("reporter")
    kinds = uow.session.scalars(
        select(Incident.kind)
        .where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
               Incident.reported_at > now - CHILD_WINDOW)
    ).all()
    if sum(1 for k in kinds if is_safeguarding(k) == is_safeguarding(kind)) >= SEPARATE_PER_CHILD:
        raise IncidentRateLimited("child")


def tell_admins_of_limit(uow: UnitOfWork, *, reporter_id: int, now: datetime) -> None:
    """Tell the school's admins (once an hour per reporter) that a reporter reached the limit."""
    person = uow.session.get(Person, reporter_id)
    if person is None:
        return
    bucket = now.strftime("%Y%m%d%H")
    prompt = notices.rate_limited_prompt(reporter=person.name, phone=person.phone, count=REPORTS_PER_WINDOW,
                                         minutes=int(WINDOW.total_seconds() // 60))
    for to in school_admin_ids(uow, person.school_id):
        if to != reporter_id:
            enqueue(uow.session, key=f"incident-rate:{reporter_id}:{bucket}:to:{to}", person_id=to, prompt=prompt,
                    priority=Priority.URGENT, now=now)
    log.warning("person %s reached the incident report limit", reporter_id)


def leaders_to_phone(uow: UnitOfWork, school_id: int) -> list[tuple[str, str | None]]:
    """``(name, phone)`` of the school's leaders (admins when none), for a refused reporter to phone."""
    people = [uow.session.get(Person, pid) for pid in leader_ids(uow, school_id)]
    return [(p.name, p.phone) for p in people if p is not None]


@dataclass(frozen=True)
class RecentIncident:
    """An open report about the same child that a new one may be added to."""

    incident_id: int
    kind: str
    reporter: str
    reported_at: datetime


def recent_open(uow: UnitOfWork, *, person_id: int, child_id: int, kind: str, now: datetime) -> RecentIncident | None:
    """The newest open report about the child from the last :data:`MERGE_WINDOW` this new report may join.

    Only a report of the same family (both safeguarding, or neither) that the
    person may see: its reporter, a recipient, or the school's admins (leaders
    for a safeguarding report).
    """
    s = uow.session
    rows = s.scalars(
        select(Incident).where(Incident.child_id == child_id, Incident.status == IncidentStatus.OPEN.value,
                               Incident.reported_at > now - MERGE_WINDOW)
        .order_by(Incident.reported_at.desc(), Incident.id.desc())
    ).all()
    for incident in rows:
        if is_safeguarding(incident.kind) != is_safeguarding(kind):
            continue
        if not _may_see(uow, incident, person_id):
            continue
        reporter = s.get(Person, incident.reporter_id)
        return RecentIncident(incident.id, incident.kind, reporter.name if reporter else "", incident.reported_at)
    return None


def _may_see(uow: UnitOfWork, incident: Incident, person_id: int) -> bool:
    if person_id in kept_away_ids(uow, incident.id):
        return False  # left out of it: never offered to join it (break9)
    if person_id == incident.reporter_id:
        return True
    if not is_safeguarding(incident.kind):
        # A family incident is known to the school's staff (the class teacher is told at once).
        return True
    if person_id in notice_ids(uow, incident, school_id_of(uow, incident)):
        return True
    return uow.session.scalar(select(IncidentStep.id).where(IncidentStep.incident_id == incident.id,
                                                            IncidentStep.person_id == person_id).limit(1)) is not None


def reached(uow: UnitOfWork, incident: Incident) -> list[int]:
    """Everyone the incident has reached so far: alerted recipients not left out, the reporter, anyone sent a notice.

    Notices count when sent or still to be sent (not cancelled): the class
    teacher told at once, the admins told nobody was reached.
    """
    s = uow.session
    alerted = s.scalars(select(IncidentStep.person_id).where(
        IncidentStep.incident_id == incident.id, IncidentStep.sent_at.is_not(None), IncidentStep.person_id.is_not(None),
        IncidentStep.excluded_at.is_(None)).order_by(IncidentStep.step_no, IncidentStep.id)).all()
    excluded = kept_away_ids(uow, incident.id)  # at the report too: no step row then (break9)
    noticed = s.scalars(select(OutboxMessage.person_id).where(
        OutboxMessage.key.like(f"incident:{incident.id}:%"), OutboxMessage.cancelled_at.is_(None),
        OutboxMessage.failed_at.is_(None)).order_by(OutboxMessage.id)).all()
    people = [*alerted, incident.reporter_id, *noticed]
    return [p for p in dict.fromkeys(people) if p is not None and p not in excluded]


def add_to_incident(uow: UnitOfWork, *, incident_id: int, person_id: int, text: str, now: datetime,
                    kind: str | None = None) -> bool:
    """Add a second report to an open incident: an ``added`` event (the text as its note) and a notice to all reached.

    Args:
        uow: the unit of work (the caller commits).
        incident_id: the open incident.
        person_id: who adds (must be allowed to see it: :func:`recent_open`).
        text: what they saw (1–2000 characters).
        now: UTC.
        kind: the kind the second report chose (``IncidentKind`` value), named from then on with the first.

    Returns:
        True when added; False when the incident is closed or unknown, or the person may not see it.

    Raises:
        ValueError: empty or over-long text; nothing is written.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_ADDITION:
        raise ValueError("an addition needs 1 to 2000 characters")
    incident = lock_incident(uow, incident_id)
    if incident is None or incident.status != IncidentStatus.OPEN or not _may_see(uow, incident, person_id):
        return False
    author = uow.session.get(Person, person_id)
    n = (uow.session.scalar(select(func.count()).select_from(IncidentEvent).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "added")) or 0) + 1
    event(uow, incident_id, "added", now, person_id=person_id, detail={"n": n, "kind": kind} if kind else {"n": n},
          note=text)
    uow.session.flush()
    prompt = notices.added_prompt(incident_summary(uow, incident), author=author.name if author else "",
                                  added=text)
    for to in reached(uow, incident):
        if to != person_id:
            enqueue(uow.session, key=f"incident:{incident_id}:added:{n}:to:{to}", person_id=to, prompt=prompt,
                    priority=Priority.URGENT, now=now)
    log.info("incident %s: report added by person %s", incident_id, person_id)
    return True
