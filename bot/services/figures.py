"""Figures for superiors, computed from the records: per class, school, town and county (issue 9, item 5).

:func:`school_figures` reads one school's records for a period in a handful
of queries and returns a row per class, the school's row and each teacher's
talk completion. :func:`report_for` picks what a person may see: a school's
admins, leaders and safeguarding lead their own school (classes and
teachers); a town government official the schools of their town; an
education bureau official every school here (the county). Officials get
aggregates only, never a name, with counts under five suppressed
(:mod:`bot.domain.figures`).

What "owed" means is ``/due``'s own computation (``bot.services.duties``,
by the rules of ``bot.domain.talk_duties``): a monthly talk per active child
from its class teacher, a weekly talk per active child from each of its helper
teachers and caring parents — each helper's duty met only by their own talk
(a month's by the class teacher of the time, whoever holds the class now),
only while they hold the role, only for a child whose guardian agreed —
nothing in a vacation and nothing before the school started using the bot
(nor in the month or week it started with fewer than seven days left). A
monthly duty counts in its month; a week counts in the month of its Sunday,
done or missed (``talk_duties.counts_in``): week 49 of 2026 (30 November to 6
December) is a December figure.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, true

from bot.domain.classes import class_sort_key
from bot.domain.enums import ADMIN_ROLES, IncidentKind, RelationKind, Role
from bot.domain.figures import (
    CARD_FIELDS,
    TASK_DAYS_IN_TIME,
    Level,
    Rate,
    ReportPeriod,
    UnitFigures,
    on_dropout_watch,
    roll_up,
)
from bot.domain.figures_complement import Group, complement
from bot.domain.talk_duties import DutyKey, counts_in, duty_key
from bot.services import duties, figures_aid, figures_periods_audit
from bot.services.figures_records import met_on, period_bounds, programme_done, report_periods
from bot.services.identity import Actor
from bot.services.incident_roles import incidents_not_kept_away, tasks_not_kept_away
from bot.services.oversight import official_schools
from bot.services.ports import UnitOfWork
from bot.store.models import (
    Checkin,
    Child,
    ChildRelation,
    Incident,
    IncidentStep,
    Person,
    School,
    SchoolClass,
    Task,
)

SCHOOL_ROLES = frozenset({*ADMIN_ROLES, Role.SAFEGUARDING_LEAD})
"""Who sees their own school's figures, classes and teachers included."""
OFFICIAL_REPORT_ROLES = frozenset({Role.EDUCATION_BUREAU, Role.TOWN_GOVERNMENT})
REPORT_ROLES = SCHOOL_ROLES | OFFICIAL_REPORT_ROLES

_VOLUNTEERS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)
_PAIRING = frozenset({*_VOLUNTEERS, RelationKind.STUDY_BUDDY.value})


@dataclass
class TeacherFigures:
    """One teacher's or volunteer's talk completion (for the school only; officials never see names).

    Attributes:
        person_id, name: the teacher.
        classes: the classes they are class teacher of.
        monthly: their class's monthly talks recorded of owed.
        weekly: their paired children's weekly talks recorded of owed.
        kinds: the kinds of talk they owe at all (``duties.MONTHLY``, ``duties.WEEKLY``), owed yet or not.
        monthly_missed, weekly_missed: of those owed, the months / weeks over without the talk.
        former: credited only with talks they held before the duty passed on (a former class teacher, shown
            with FORMER): each talk counts for whoever held it, so the teachers' lines add up to the class's.
            A line of its own also when she now holds a duty (another class): that line is her present one.
        under: for a former line, the classes of the children whose talks it holds (it is listed under them).
    """

    person_id: int
    name: str
    classes: list[str] = field(default_factory=list)
    monthly: Rate = field(default_factory=Rate)
    weekly: Rate = field(default_factory=Rate)
    kinds: set[str] = field(default_factory=set)
    monthly_missed: int = 0
    weekly_missed: int = 0
    former: bool = False
    under: list[str] = field(default_factory=list)


@dataclass
class SchoolFigures:
    """One school's figures for a period: its classes, its total, its teachers."""

    school_id: int
    name: str
    town: str | None
    classes: list[UnitFigures]
    total: UnitFigures
    teachers: list[TeacherFigures]


@dataclass
class Report:
    """What one person may see for a period.

    Attributes:
        period: the dates covered.
        official: aggregates only, counts under five suppressed.
        level: the level of ``total`` (school, town or county).
        total: the whole scope.
        units: the rows under it (classes of a school, schools of a town or county).
        towns: for the county, a row per town.
        teachers: for a school's own staff, each teacher's talk completion.
        withheld: for officials, the figures hidden in every row because no pattern of hidden cells could
            protect their small counts (``figures_complement.complement``); the reader is told so.
    """

    period: ReportPeriod
    official: bool
    level: Level
    total: UnitFigures
    units: list[UnitFigures]
    towns: list[UnitFigures] = field(default_factory=list)
    teachers: list[TeacherFigures] = field(default_factory=list)
    withheld: frozenset[str] = frozenset()


def _complete(child: Child) -> bool:
    return all(getattr(child, name) not in (None, "") for name in CARD_FIELDS)


def school_figures(uow: UnitOfWork, school_id: int, period: ReportPeriod, now: datetime,
                   reader: int | None = None, prepared: dict[int, Any] | None = None) -> SchoolFigures:
    """One school's figures for ``period``: a row per class, the school's row, each teacher's talks.

    ``reader``: who will read them: an incident they are kept away from (left out of it, or a safeguarding
    report about a child of their family) is not counted, nor its chain's steps and tasks — the accused
    principal must not see a report appear in his school's figures (issue 9; docs/privacy.md). None: whole.
    ``prepared``: what does not depend on the period (classes, children, pairings, who owes which talk), kept
    per school between calls of one report (the officials' grid reads each school for every piece of the year).
    """
    s = uow.session
    school = s.get(School, school_id)
    if school is None:
        raise LookupError(school_id)
    tz = school.timezone or "Asia/Shanghai"
    today = now.astimezone(ZoneInfo(tz)).date()
    start, end = period_bounds(period, tz)
    end = min(end, now)

    kept = prepared.get(school_id) if prepared is not None else None
    classes, children, relations, holders, owed = kept or _prepare(uow, school_id, tz)
    if prepared is not None:
        prepared[school_id] = (classes, children, relations, holders, owed)
    units: dict[int | None, UnitFigures] = {
        c.id: UnitFigures(Level.CLASS, c.name, pupils=c.pupils_total or 0) for c in classes}
    class_of = {c.id: c.class_id for c in children}

    def unit(child_id: int) -> UnitFigures:
        key = class_of.get(child_id)
        if key not in units:
            units[key] = UnitFigures(Level.CLASS, "—")
        return units[key]

    months, weeks = report_periods(owed, school_id, period, today)
    authors: dict[DutyKey, int] = {}
    met = met_on(uow, school_id, [*months, *weeks], tz, authors)

    def talks(holder: duties.Holder) -> tuple[Rate, int, Rate, int]:
        """One person's duties with one child in the report: met of owed (``talk_duties``, rules 1 and 3).

        And how many of them were missed: their month or week is over without the talk, ``/due``'s overdue
        (``duties.Owed.period_end``, the same deadline), so the principal's, the teachers' and /due's agree.
        Returned for the child's unit, then for the holder's own row: a month whose talk a former class
        teacher held counts for the child, and is neither credited to nor owed by the new one.
        """
        periods = [p for p in (months if holder.kind == duties.MONTHLY else weeks) if owed.owed(holder, p)]
        keys = [duty_key(holder.child_id, holder.person_id, holder.kind, p) for p in periods]
        counted = [(k in met, p, authors.get(k, holder.person_id))
                   for k, p in zip(keys, periods, strict=True) if counts_in(period, p, met.get(k))]
        late = [not done and owed.period_end(school_id, holder.kind, p) <= now for done, p, _by in counted]
        own = [(done, miss) for (done, _p, by), miss in zip(counted, late, strict=True) if by == holder.person_id]
        for done, _p, by in counted:  # held by a former class teacher: credited to her (issue 9, testers)
            if done and by != holder.person_id:
                # On her "（原）" line, never on the line of a class she teaches now (fix9e): each line adds up
                # to its class.
                field_name, former = "monthly" if holder.kind == duties.MONTHLY else "weekly", teacher(by, True)
                former.kinds.add(holder.kind)
                setattr(former, field_name, getattr(former, field_name) + Rate(1, 1))
                former.under = sorted({*former.under, unit(holder.child_id).name}, key=class_sort_key)
        return (Rate(sum(done for done, _p, _b in counted), len(counted)), sum(late),
                Rate(sum(done for done, _m in own), len(own)), sum(miss for _d, miss in own))

    teachers: dict[tuple[int, bool], TeacherFigures] = {}  # (person, former) → line: a "（原）" line of its own

    def teacher(person_id: int, former: bool = False) -> TeacherFigures:
        return teachers.setdefault((person_id, former), TeacherFigures(person_id, "", former=former))

    for holder in holders:
        rate, missed, mine, mine_missed = talks(holder)
        teacher(holder.person_id).kinds.add(holder.kind)
        if holder.kind == duties.MONTHLY:
            unit(holder.child_id).monthly_talks += rate
            unit(holder.child_id).monthly_missed += missed
            teacher(holder.person_id).monthly += mine
            teacher(holder.person_id).monthly_missed += mine_missed
        else:
            unit(holder.child_id).weekly_talks += rate
            unit(holder.child_id).weekly_missed += missed
            teacher(holder.person_id).weekly += mine
            teacher(holder.person_id).weekly_missed += mine_missed

    for child in children:
        u = unit(child.id)
        if on_dropout_watch(child.active, child.schooling):
            u.dropout_watch += 1
        if not child.active:
            continue
        u.left_behind += 1
        u.filed += Rate(int(_complete(child)), 1)
        kinds = relations.get(child.id, set())
        u.paired += Rate(int(_PAIRING <= kinds), 1)
        if child.aid and child.aid.strip() not in ("无", "-", "—"):
            u.aided += 1  # the roster's 救助帮扶 column; the aid given is in the records, below

    for given in figures_aid.given(uow, school_id, period):
        u = unit(given.child_id)
        u.aid_children, u.aid_cash_children = u.aid_children + 1, u.aid_cash_children + given.cash_given
        u.aid_cash += given.cash

    for c in classes:
        u = units[c.id]
        u.share = Rate(u.left_behind, u.pupils)

    for child_id, answered in s.execute(
        select(Checkin.child_id, Checkin.answered_at).join(Child, Child.id == Checkin.child_id)
        .where(Child.school_id == school_id, Checkin.sent_at >= start, Checkin.sent_at < end,
               Checkin.cancelled_at.is_(None))
    ).all():
        unit(child_id).checkins += Rate(int(answered is not None), 1)

    seen = true() if reader is None else incidents_not_kept_away(reader)
    for child_id in s.scalars(
        select(Incident.child_id).join(Child, Child.id == Incident.child_id)
        .where(Child.school_id == school_id, Incident.reported_at >= start, Incident.reported_at < end, seen)
    ).all():
        unit(child_id).incidents += 1
    # A suspected-abuse report's chain goes to the school's leaders and child protection, never the family
    # (bot.domain.escalation): its steps are not the guardian's 30 min or the parents' 1 h, so they are left out.
    for child_id, step_no, due_by, acked in s.execute(
        select(Incident.child_id, IncidentStep.step_no, IncidentStep.due_by, IncidentStep.acknowledged_at)
        .join(Incident, Incident.id == IncidentStep.incident_id).join(Child, Child.id == Incident.child_id)
        .where(Child.school_id == school_id, Incident.reported_at >= start, Incident.reported_at < end,
               Incident.kind != IncidentKind.SUSPECTED_ABUSE.value, IncidentStep.excluded_at.is_(None), seen)
    ).all():
        if acked is None and due_by > now:
            continue  # still running: neither kept nor missed yet
        kept = acked is not None and acked <= due_by
        steps = unit(child_id).steps
        steps[step_no] = steps.get(step_no, Rate()) + Rate(int(kept), 1)

    for task_child, created, done_at, cancelled in s.execute(
        select(Task.child_id, Task.created_at, Task.done_at, Task.cancelled_at)
        .join(Child, Child.id == Task.child_id)
        .where(Child.school_id == school_id, Task.created_at >= start, Task.created_at < end,
               true() if reader is None else tasks_not_kept_away(reader))
    ).all():
        deadline = created + timedelta(days=TASK_DAYS_IN_TIME)
        if cancelled is not None or (done_at is None and deadline > now):
            continue
        unit(task_child or 0).tasks += Rate(int(done_at is not None and done_at <= deadline), 1)

    class_rows = sorted((u for u in units.values() if u.left_behind or u.pupils or u.dropout_watch),
                        key=lambda u: class_sort_key(u.name))
    total = roll_up(class_rows, Level.SCHOOL, school.name)
    total.programme = programme_done(uow, school_id, period)
    total.share = Rate(total.left_behind, total.pupils)
    names = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_({p for p, _f in teachers}))).all())
    for c in classes:
        if c.class_teacher_id is not None and (c.class_teacher_id, False) in teachers:
            teachers[(c.class_teacher_id, False)].classes.append(c.name)
    for t in teachers.values():
        t.name, t.classes = names.get(t.person_id, ""), sorted(t.classes, key=class_sort_key)
    # A former class teacher's line right under the present one of the class whose children's talks it holds.
    ordered = sorted(teachers.values(), key=lambda t: (
        not (t.classes or t.under), class_sort_key((t.classes or t.under)[0]) if t.classes or t.under else (),
        t.former, t.name, t.person_id))
    return SchoolFigures(school.id, school.name, school.town, class_rows, total, ordered)


def _prepare(uow: UnitOfWork, school_id: int, tz: str) -> tuple[Any, ...]:
    """A school's classes, children, each child's relation kinds, and who owes which talk (any period)."""
    s = uow.session
    classes = s.scalars(select(SchoolClass).where(SchoolClass.school_id == school_id)).all()
    children = s.scalars(select(Child).where(Child.school_id == school_id)).all()
    relations: dict[int, set[str]] = defaultdict(set)
    for child_id, kind in s.execute(
        select(ChildRelation.child_id, ChildRelation.kind)
        .join(Child, Child.id == ChildRelation.child_id).where(Child.school_id == school_id)
    ).all():
        relations[child_id].add(kind)
    # Who owes which talk is /due's rule (bot.services.duties): a child whose guardian has not agreed, or a
    # helper whose role was removed, owes nothing in either.
    holders = duties.holders(uow, [school_id])
    owed = duties.Owed(uow, {school_id: tz}, {h.child_id for h in holders})
    return classes, children, relations, holders, owed


def may_report(actor: Actor) -> bool:
    """Whether the person may see figures at all (a school's leaders and admins, officials)."""
    return bool(REPORT_ROLES & actor.roles)


def report_for(uow: UnitOfWork, actor: Actor, period: ReportPeriod, now: datetime) -> Report | None:
    """The figures ``actor`` may see for ``period``; None when their roles grant none.

    A school's admins, leaders and safeguarding lead (:data:`SCHOOL_ROLES`)
    see their school with its classes and teachers. A town government
    official sees the schools of their school's town (aggregates, suppressed);
    an education bureau official every school in the database, per town.
    """
    reader = actor.person_id or None  # the ``guanai`` command acts as nobody (0): whole figures
    if SCHOOL_ROLES & actor.roles:
        figures = school_figures(uow, actor.school_id, period, now, reader)
        return Report(period, False, Level.SCHOOL, figures.total, figures.classes, teachers=figures.teachers)
    scope = official_schools(uow, actor) if OFFICIAL_REPORT_ROLES & actor.roles else None
    if scope is None:
        return None
    level, town, ids = scope  # the scope an official's /me names (bot.services.oversight)
    prepared: dict[int, Any] = {}  # each school's own data read once, for this period and the grid's pieces
    schools = [school_figures(uow, school_id, period, now, reader, prepared) for school_id, _name in ids]
    units = [f.total for f in schools]
    total = roll_up(units, level, town)
    towns: list[UnitFigures] = []
    groups: list[Group] = [(total, units)]
    if level is Level.COUNTY:
        by_town: dict[str, list[UnitFigures]] = defaultdict(list)
        for f in schools:
            by_town[f.town or "—"].append(f.total)
        towns = [roll_up(rows, Level.TOWN, name) for name, rows in sorted(by_town.items())]
        groups += [(total, towns), *((t, by_town[t.name]) for t in towns)]
    # The rows an official sees add up to their totals: hide what subtraction gives away (the audit's rule).
    withheld = complement(groups)  # figures the audit could not protect at all: hidden in every row
    figures_periods_audit.protect(uow, actor.school_id, period, now, level, schools, towns, total,
                                 functools.partial(school_figures, reader=reader, prepared=prepared))
    return Report(period, True, level, total, units, towns=towns, withheld=frozenset(withheld))


def as_dict(unit: UnitFigures) -> dict[str, Any]:
    """A unit's figures as plain data (for exports and the dashboard)."""
    return {
        "level": unit.level.value, "name": unit.name, "pupils": unit.pupils, "left_behind": unit.left_behind,
        **{name: getattr(unit, name) for name in UnitFigures.RATES},
        "steps": dict(unit.steps), "aided": unit.aided, "aid_children": unit.aid_children,
        "aid_cash_children": unit.aid_cash_children, "aid_cash": unit.aid_cash, "dropout_watch": unit.dropout_watch,
        "incidents": unit.incidents,
    }
