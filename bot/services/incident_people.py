"""Who is who around an incident: the chain's recipients, the leaders, the class teacher.

A family incident's chain is the child's entrusted guardians, parents and the
school's officials (DESIGN.md "Escalation"); a safeguarding report's chain is
the school's leaders and the child-protection contacts, never the family
(issue 10, item 9). Notices about a chain (nobody on record, the rate limit)
go to the school's admins and leaders for a family incident, and only to the
leaders for a safeguarding report, whose details are theirs alone. When nobody
in a chain acknowledged, the summary goes to those of the admins and leaders
who were not in it, else the education bureau (:func:`chain_missed_ids`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select

from bot.domain.enums import (
    ADMIN_ROLES,
    CHILD_PROTECTION_ROLES,
    LEADER_ROLES,
    RelationKind,
    Role,
    Severity,
)
from bot.domain.escalation import Audience, EscalationPolicy, PlannedStep
from bot.domain.periods import defer_for_quiet_hours
from bot.services.incident_roles import FAMILY_RELATIONS as FAMILY_RELATIONS  # re-exported for their callers
from bot.services.incident_roles import chain_missed_to, kept_away_ids
from bot.services.incident_roles import family_ids as family_ids
from bot.services.incident_roles import is_safeguarding as is_safeguarding
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Incident, Person, PersonRole, School, SchoolClass

log = logging.getLogger(__name__)

_OFFICIAL_ROLES = (Role.EDUCATION_BUREAU.value, Role.TOWN_GOVERNMENT.value)


def people_with_roles(uow: UnitOfWork, school_id: int, roles: frozenset[Role] | tuple[str, ...]) -> list[int]:
    """Ids of the school's people holding any of ``roles``, ordered by id."""
    return list(uow.session.scalars(
        select(Person.id).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.school_id == school_id, PersonRole.role.in_([str(r) for r in roles]))
        .distinct().order_by(Person.id)
    ))


def leader_ids(uow: UnitOfWork, school_id: int) -> list[int]:
    """The school's leaders and safeguarding leads; the admins when it has neither (never nobody who exists).

    They receive a safeguarding report first and everything said about it.
    """
    return people_with_roles(uow, school_id, LEADER_ROLES) or people_with_roles(uow, school_id, ADMIN_ROLES)


def notice_ids(uow: UnitOfWork, incident: Incident, school_id: int) -> list[int]:
    """Whom notices about an incident's chain go to besides the reporter: admins and leaders, or leaders only.

    A safeguarding report's details stay with its leaders (:func:`incident_leaders`). Never anyone left out
    of the incident; when every admin is, its leaders' stand-ins (:func:`stand_ins`).
    """
    if is_safeguarding(incident.kind):
        return incident_leaders(uow, incident, school_id)
    gone = kept_away_ids(uow, incident.id)
    return [p for p in people_with_roles(uow, school_id, ADMIN_ROLES) if p not in gone] or \
        [p for p, _role in stand_ins(uow, school_id, gone)]


STAND_IN_ROLES: tuple[tuple[str, ...], ...] = (
    tuple(sorted(r.value for r in LEADER_ROLES)), tuple(sorted(r.value for r in ADMIN_ROLES)),
    (Role.EDUCATION_BUREAU.value,), (Role.TOWN_GOVERNMENT.value,))
"""Who carries a safeguarding report, in order: the leaders, else the admins, else the bureau, else the town."""


def stand_ins(uow: UnitOfWork, school_id: int, left_out: set[int]) -> list[tuple[int, str]]:
    """``(person id, role)`` of the first group of :data:`STAND_IN_ROLES` with someone not left out.

    When the accused is the principal and every leader is left out of the report, it goes to the
    admins, else to the officials (the education bureau first), never to nobody (break9).
    """
    for roles in STAND_IN_ROLES:
        found = [(p, r) for p, r in uow.session.execute(
            select(Person.id, PersonRole.role).join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == school_id, PersonRole.role.in_(roles))
            .order_by(Person.id, PersonRole.role)) if p not in left_out]
        if found:
            first: dict[int, str] = {}
            for person_id, role in found:
                first.setdefault(person_id, role)  # one row per person: their first role
            return list(first.items())
    return []


def incident_leaders(uow: UnitOfWork, incident: Incident, school_id: int) -> list[int]:
    """The leaders of a safeguarding report (:func:`leader_ids`) not left out of it, else their stand-ins."""
    gone = kept_away_ids(uow, incident.id)
    return [p for p in leader_ids(uow, school_id) if p not in gone] or [p for p, _r in stand_ins(uow, school_id, gone)]


def chain_missed_ids(uow: UnitOfWork, incident: Incident, school_id: int, missed: set[int]) -> list[int]:
    """Who gets the summary when nobody in the chain acknowledged: never someone who missed it themselves.

    The school's admins, leaders and safeguarding lead who were not in the
    chain (a safeguarding report's leaders usually were: its admin hears
    then); when every one of them missed too, the education bureau (fix6d: the
    principal who ignored an abuse report was the only one told, and told to
    phone himself). For a safeguarding report nobody of the child's family,
    even one holding a school role: the accused may be among them.
    """
    roles = ADMIN_ROLES | LEADER_ROLES
    missed = missed | kept_away_ids(uow, incident.id)  # never anyone kept away from it (break9, issue 9)
    for group in (roles, (Role.EDUCATION_BUREAU.value,)):
        found = [p for p in people_with_roles(uow, school_id, group) if p not in missed]
        if found:
            return found
    return []


def may_close_incident(uow: UnitOfWork, incident: Incident, school_id: int, person_id: int) -> bool:
    """Whether the person may close the incident (or leave someone out of its chain).

    Its reporter, the child's class teacher, and the school's admins and leaders; for a
    safeguarding report its reporter and the school's leaders and safeguarding leads only
    (:func:`incident_leaders`: their stand-ins when every one is left out). Never anyone left out
    of it. A notice to anyone else carries no Close button.

    The class teacher (班主任) carries the child day to day: when a colleague (the duty teacher)
    reported the fall in the yard, it is the class teacher who hears the child is home safe and
    closes it (a tester's class teacher was told "no incident you may close").
    """
    if person_id in kept_away_ids(uow, incident.id):
        return False  # left out (the accused principal): never closes it nor changes its chain (break9)
    if person_id == incident.reporter_id or person_id in chain_missed_to(uow, incident.id):
        return True  # whoever got the nobody-reached summary carries the incident until it is closed
    if is_safeguarding(incident.kind):
        return person_id in incident_leaders(uow, incident, school_id)
    child = uow.session.get(Child, incident.child_id)
    if child is not None and class_teacher_of(uow, child) == person_id:
        return True
    return person_id in people_with_roles(uow, school_id, ADMIN_ROLES)


def class_teacher_of(uow: UnitOfWork, child: Child) -> int | None:
    """The child's class teacher (班主任), or None."""
    if child.class_id is None:
        return None
    return uow.session.scalar(select(SchoolClass.class_teacher_id).where(SchoolClass.id == child.class_id))


def step_recipients(uow: UnitOfWork, child: Child, audience: Audience) -> list[tuple[int, str]]:
    """Who a step of the chain goes to: ``(person_id, role)`` pairs, in a stable order, without duplicates.

    Resolved from the child's archive when the incident is reported: entrusted
    guardians and parents from the child's relations (the role is the
    relation), officials, leaders and child-protection contacts from the
    school's people with those roles (the role is theirs).
    """
    s = uow.session
    found: list[tuple[int | None, str]]
    if audience in (Audience.OFFICIALS, Audience.CHILD_PROTECTION, Audience.SCHOOL_LEADERS):
        roles: tuple[str, ...] = {
            Audience.OFFICIALS: _OFFICIAL_ROLES,
            Audience.CHILD_PROTECTION: tuple(sorted(r.value for r in CHILD_PROTECTION_ROLES)),
            Audience.SCHOOL_LEADERS: (Role.SCHOOL_LEADER.value, Role.SAFEGUARDING_LEAD.value),
        }[audience]
        found = [(person_id, role) for person_id, role in s.execute(
            select(Person.id, PersonRole.role)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.school_id == child.school_id, PersonRole.role.in_(roles))
            .order_by(Person.id, PersonRole.role)
        )]
        if not found and audience is Audience.SCHOOL_LEADERS:
            # A school without a leader or lead on record: its admins judge a safeguarding report.
            found = [(person_id, role) for person_id, role in s.execute(
                select(Person.id, PersonRole.role)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .where(Person.school_id == child.school_id, PersonRole.role == Role.ADMIN.value)
                .order_by(Person.id)
            )]
    else:
        kinds = (
            [RelationKind.ENTRUSTED_GUARDIAN.value]
            if audience is Audience.ENTRUSTED_GUARDIANS
            else [RelationKind.FATHER.value, RelationKind.MOTHER.value]
        )
        found = [(person_id, kind) for person_id, kind in s.execute(
            select(ChildRelation.person_id, ChildRelation.kind)
            .where(ChildRelation.child_id == child.id, ChildRelation.kind.in_(kinds),
                   ChildRelation.person_id.is_not(None),
                   ChildRelation.unable_to_guard.is_(False))  # 无监护能力: never in the chain (issue 9.4)
            .order_by(ChildRelation.kind, ChildRelation.id)
        )]
    seen: dict[int, str] = {}
    for person_id, role in found:
        if person_id is not None:
            seen.setdefault(person_id, role)
    return list(seen.items())


def _policy(school: School | None, *, safeguarding: bool) -> EscalationPolicy:
    """The school's chain for this kind of incident; its default when the stored overrides are broken.

    An emergency must go out even when a school's stored settings are broken
    (validate policies when a school saves them).
    """
    stored = (school.safeguarding_policy if safeguarding else school.escalation_policy) if school else None
    try:
        return EscalationPolicy.from_dict(stored, safeguarding=safeguarding)
    except ValueError as exc:
        log.warning("school %s has an invalid %s policy (%s); using the default", school.id if school else None,
                    "safeguarding" if safeguarding else "escalation", exc)
        return EscalationPolicy.safeguarding_default() if safeguarding else EscalationPolicy.default()


def plan_for(uow: UnitOfWork, *, child: Child, kind: str, severity: str, now: datetime,
             quiet_hours: tuple[time, time] | None = None) -> tuple[EscalationPolicy, datetime]:
    """The policy an incident would be reported under and when its chain starts.

    A minor incident reported in the quiet hours (school time) starts when
    they end; an emergency and a safeguarding report start at once (issue 6,
    item 5: "an emergency never waits").

    Returns:
        ``(policy, start)``; ``start`` is ``now`` unless deferred (UTC).
    """
    school = uow.session.get(School, child.school_id)
    safeguarding = is_safeguarding(kind)
    policy = _policy(school, safeguarding=safeguarding)
    start = now
    if quiet_hours is not None and severity == Severity.MINOR and not safeguarding:
        start = defer_for_quiet_hours(now, school.timezone if school else "Asia/Shanghai", *quiet_hours)
    return policy, start


@dataclass(frozen=True)
class ChainMember:
    """One person the chain would reach: shown on the report's confirm screen, offered to be left out.

    Attributes:
        step_no: 1-based step.
        audience: ``Audience`` value of the step.
        person_id, name: the person.
        role: their relation to the child or their role (label key, :mod:`bot.messages.labels`).
    """

    step_no: int
    audience: str
    person_id: int
    name: str
    role: str


def _names(uow: UnitOfWork, ids: list[int]) -> dict[int, str]:
    """People's names by id, in one query."""
    if not ids:
        return {}
    rows = uow.session.execute(select(Person.id, Person.name).where(Person.id.in_(set(ids)))).all()
    return {person_id: name for person_id, name in rows}


def chain_members(uow: UnitOfWork, child: Child, plan: list[PlannedStep], *,
                  safeguarding: bool = False) -> list[ChainMember]:
    """Everyone the planned steps would reach, in step order (a step with nobody contributes nothing).

    A safeguarding report's: never the child's family, even one holding a school role (:func:`family_ids`).
    """
    family = family_ids(uow, child.id) if safeguarding else set()
    found = [(planned, person_id, role) for planned in plan
             for person_id, role in step_recipients(uow, child, planned.audience) if person_id not in family]
    names = _names(uow, [p for _planned, p, _role in found])
    return [ChainMember(planned.step_no, planned.audience.value, p, names.get(p, ""), role)
            for planned, p, role in found]


@dataclass(frozen=True)
class StepReach:
    """Whom one step of a report reaches (:func:`step_reach`).

    Attributes:
        found: everyone on record for the step (``(person id, role)``), kept away or not.
        told: whom it tells: those found who are not kept away, or their stand-ins.
        stood_in: ``told`` are stand-ins: every leader of a safeguarding report's leaders step is kept away.
    """

    found: list[tuple[int, str]]
    told: list[tuple[int, str]]
    stood_in: bool


def step_reach(uow: UnitOfWork, child: Child, audience: Audience, gone: set[int]) -> StepReach:
    """Whom a step tells at the report: one rule for the report and its confirm screen (:func:`stand_in_members`).

    Nobody kept away (``gone``: those left out, and a safeguarding report's family) is told; when every
    leader of the leaders step is kept away (the accused is the principal), the report goes to their
    stand-ins (:func:`stand_ins`, break9), never to nobody.
    """
    found = step_recipients(uow, child, audience)
    told = [(p, role) for p, role in found if p not in gone]
    if found and not told and audience is Audience.SCHOOL_LEADERS:
        return StepReach(found, stand_ins(uow, child.school_id, gone), True)
    return StepReach(found, told, False)


def stand_in_members(uow: UnitOfWork, child_id: int, step_no: int, audience: str,
                     gone: set[int]) -> list[ChainMember]:
    """Who a safeguarding report's leaders step reaches when every leader is kept away: their stand-ins.

    :func:`step_reach`, as the report decides it: the confirm screen must name whom step 1 will tell, not
    "nobody on record" (issue 9: the principal is the child's guardian). ``gone``: those left out and the
    child's family. Empty when the school has no leader at all, or one is still told. Names in one query.
    """
    child = uow.session.get(Child, child_id)
    if child is None or audience != Audience.SCHOOL_LEADERS.value:
        return []
    reach = step_reach(uow, child, Audience.SCHOOL_LEADERS, gone)
    if not reach.stood_in:
        return []
    names = _names(uow, [p for p, _role in reach.told])
    return [ChainMember(step_no, audience, p, names.get(p, ""), role) for p, role in reach.told]


@dataclass(frozen=True)
class ChainPreview:
    """What a report would do, for its confirm screen.

    Attributes:
        steps: ``(step_no, audience value)`` of the planned steps.
        members: everyone they would reach (:class:`ChainMember`).
        start: when the chain would start (UTC): now, or the end of the quiet hours.
    """

    steps: list[tuple[int, str]]
    members: list[ChainMember]
    start: datetime


def chain_preview(uow: UnitOfWork, *, child_id: int, kind: str, severity: str, now: datetime,
                  quiet_hours: tuple[time, time] | None = None) -> ChainPreview:
    """Who a report about the child would reach, step by step, and when (:func:`plan_for`).

    Raises:
        LookupError: no such child.
    """
    child = uow.session.get(Child, child_id)
    if child is None:
        raise LookupError(f"no child {child_id}")
    policy, start = plan_for(uow, child=child, kind=kind, severity=severity, now=now, quiet_hours=quiet_hours)
    plan = policy.plan(start, minor=severity == Severity.MINOR)
    members = chain_members(uow, child, plan, safeguarding=is_safeguarding(kind))
    return ChainPreview([(p.step_no, p.audience.value) for p in plan], members, start)
