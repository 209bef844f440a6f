"""Who owes which talk, and in which periods: the one computation behind ``/due``, the digest and ``/report``.

Issue 9: a principal's ``/due`` counted 243 overdue talks while the helpers'
own lists had none past their deadline, and ``/report`` charged children
whose guardian had not agreed and helpers whose role was removed, which
``/due`` did not. Each now asks this module, so the numbers agree:

* :func:`holders` — the standing duties: each active child whose guardian
  agreed (``bot.services.consent``), with its class teacher (who must hold
  the class teacher role) for the monthly talk and each paired helper teacher
  or caring parent (who must hold a paired role, ``access.PAIRED_ROLES``) for
  the weekly one — the scope ``/talk`` gives them (``access.scope_filter``).
* :class:`Owed` — whether a holder owes a given period: not before the school
  started, not in a vacation (``school_year.paused_by``, with the rules of
  ``bot.domain.talk_duties``), and not when the guardian agreed only after
  the period ended (no talk could be recorded before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, exists, select

from bot.domain.enums import RelationKind, Role, TalkKind
from bot.domain.periods import month_bounds, month_period, period_days, week_bounds, week_period
from bot.services import access, consent, school_year
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, Person, PersonRole, SchoolClass, TalkRecord

VOLUNTEER_KINDS = (RelationKind.HELPER_TEACHER.value, RelationKind.CARING_PARENT.value)
MONTHLY, WEEKLY = TalkKind.CLASS_TEACHER_MONTHLY.value, TalkKind.VOLUNTEER_WEEKLY.value
_BY_CHILD = 500  # more children than this: their consents are read by school (IN lists stay under driver limits)


@dataclass(frozen=True)
class Holder:
    """One person's standing talk duty with one child.

    Attributes:
        school_id: the child's school.
        child_id, child_name, class_id, class_name: the child.
        person_id: who owes the talk.
        kind: ``TalkKind`` value (monthly from the class teacher, weekly from a paired volunteer).
    """

    school_id: int
    child_id: int
    child_name: str
    class_id: int | None
    class_name: str | None
    person_id: int
    kind: str


def holders(uow: UnitOfWork, school_ids: Iterable[int], *, person_id: int | None = None) -> list[Holder]:
    """The standing talk duties at these schools (module doc), in two set-based queries.

    The roles are checked with a correlated ``EXISTS`` per row (an index
    lookup), not an uncorrelated ``IN (SELECT … person_roles)``, which SQLite
    re-reads for every school: that made a city's digest quadratic (issue 7).

    Args:
        uow: the unit of work.
        school_ids: the schools.
        person_id: only this person's duties (their own ``/due``).
    """
    ids = list(school_ids)
    if not ids:
        return []
    teacher_col, volunteer_col = SchoolClass.class_teacher_id, ChildRelation.person_id
    class_query = _class_duties(ids, Child.school_id, Child.id, Child.name, Child.class_id, SchoolClass.name,
                                teacher_col)
    volunteer_query = (_volunteer_duties(ids, Child.school_id, Child.id, Child.name, Child.class_id,
                                         SchoolClass.name, volunteer_col)
                       .outerjoin(SchoolClass, SchoolClass.id == Child.class_id).distinct())
    if person_id is not None:
        class_query = class_query.where(teacher_col == person_id)
        volunteer_query = volunteer_query.where(volunteer_col == person_id)
    found: list[Holder] = []
    for query, kind in ((class_query, MONTHLY), (volunteer_query, WEEKLY)):
        found += [Holder(school, child, name, class_id, class_name, person, kind)
                  for school, child, name, class_id, class_name, person in uow.session.execute(query).all()
                  if person is not None]
    return found


def owing_now(uow: UnitOfWork, schools: Mapping[int, str], now: datetime) -> dict[int, set[int]]:
    """The people with a talk still to be held this period, per school: who the daily digest is for.

    Exactly the people to whom ``bot.services.due`` gives a talk with ``open``
    set (a :func:`holders` duty without a talk of theirs this month or week,
    at a school that owes talks of the kind now, :meth:`Owed.in_use`), found
    with one ``SELECT DISTINCT`` per kind and period and a correlated
    ``NOT EXISTS`` on the talks (issue 7: no duty is built in Python).

    Args:
        uow: the unit of work.
        schools: school id → its IANA zone; periods are each school's own.
        now: UTC now.

    Returns:
        school id → person ids (schools with nobody owing are absent).
    """
    owed = Owed(uow, schools)
    wanted: dict[tuple[str, str], list[int]] = {}  # (kind, period) → the schools that owe it now
    for sid, tz in schools.items():
        for kind, period in ((MONTHLY, month_period(now, tz)), (WEEKLY, week_period(now, tz))):
            if owed.in_use(sid, kind, period):
                wanted.setdefault((kind, period), []).append(sid)
    found: dict[int, set[int]] = {}
    for (kind, period), ids in wanted.items():
        for sid, person_id in uow.session.execute(_owing(kind, period, ids)):
            found.setdefault(sid, set()).add(person_id)
    return found


def _owing(kind: str, period: str, ids: list[int]) -> Select[Any, Any]:
    """(school, person) of the holders of ``kind`` at these schools with a talk of ``period`` still to be held.

    Driven from the people who may owe (a class's teacher; a volunteer of the
    school), each with a correlated ``EXISTS`` that stops at their first
    consented child without a talk (issue 7): listing every (child, holder)
    pair and keeping the distinct holders cost three lookups and a sort per
    child of the city. A class's children, and a volunteer's paired children,
    are of the class's (the volunteer's) school. (Each subquery names what it
    correlates: SQLAlchemy correlates only to the query just around it.)
    """
    if kind == MONTHLY:
        teacher = SchoolClass.class_teacher_id
        # The month's talk by whoever was the class teacher then (talk_duties, rule 1).
        talked = exists().where(TalkRecord.child_id == Child.id,
                                TalkRecord.kind == kind, TalkRecord.period == period).correlate_except(TalkRecord)
        owes = exists().where(Child.class_id == SchoolClass.id, Child.school_id == SchoolClass.school_id,
                              Child.active.is_(True), consent.granted_filter(), ~talked).correlate_except(Child)
        return (select(SchoolClass.school_id, teacher)
                .where(SchoolClass.school_id.in_(ids), teacher.is_not(None), _holds(teacher, (Role.CLASS_TEACHER,)),
                       owes)
                .distinct())
    talked = exists().where(TalkRecord.child_id == Child.id, TalkRecord.author_id == Person.id,
                            TalkRecord.kind == kind, TalkRecord.period == period).correlate_except(TalkRecord)
    owes = exists().where(ChildRelation.person_id == Person.id, ChildRelation.kind.in_(VOLUNTEER_KINDS),
                          Child.id == ChildRelation.child_id, Child.school_id == Person.school_id,
                          Child.active.is_(True), consent.granted_filter(), ~talked)
    owes = owes.correlate_except(ChildRelation, Child)
    return (select(Person.school_id, Person.id)
            .where(Person.school_id.in_(ids), _holds(Person.id, tuple(access.PAIRED_ROLES)), owes))


def _class_duties(ids: list[int], *columns: Any) -> Select[Any]:
    """``columns`` of the monthly duties at these schools: active consented children and their class teacher."""
    teacher = SchoolClass.class_teacher_id
    return (select(*columns).join(SchoolClass, SchoolClass.id == Child.class_id)
            .where(Child.school_id.in_(ids), Child.active.is_(True), teacher.is_not(None),
                   consent.granted_filter(), _holds(teacher, (Role.CLASS_TEACHER,))))


def _volunteer_duties(ids: list[int], *columns: Any) -> Select[Any]:
    """``columns`` of the weekly duties at these schools: active consented children and their paired volunteers."""
    volunteer = ChildRelation.person_id
    return (select(*columns).join(ChildRelation, ChildRelation.child_id == Child.id)
            .where(Child.school_id.in_(ids), Child.active.is_(True), ChildRelation.kind.in_(VOLUNTEER_KINDS),
                   volunteer.is_not(None), consent.granted_filter(), _holds(volunteer, tuple(access.PAIRED_ROLES))))


class Owed:
    """Whether a duty of a period is owed at some schools (module doc): one answer for ``/due`` and ``/report``.

    Args:
        uow: the unit of work.
        schools: school id → its IANA zone.
        children: the children whose consent matters (one query).
    """

    def __init__(self, uow: UnitOfWork, schools: Mapping[int, str], children: Iterable[int] = ()) -> None:
        self._zones = dict(schools)
        self._calendars = school_year.calendars(uow, list(self._zones))
        self._started = school_year.started_on_many(uow, list(self._zones))  # one query, not one per school
        wanted = set(children)
        self._consented: dict[int, datetime] = {}
        if len(wanted) > _BY_CHILD:
            # A city's digest: one query by school rather than a round trip per 500 children (issue 7).
            self._consented = {c: at for c, at in consent.granted_at_in_schools(uow, list(self._zones)).items()
                               if c in wanted}
        elif wanted:
            self._consented = consent.granted_at(uow, sorted(wanted))
        # Schools sharing settings, terms and (for the period it falls in) start share the answer: a city's
        # digest asks the calendar once per period, not once per school.
        self._memo: dict[tuple[Any, ...], bool] = {}
        self._asked: dict[tuple[int, str, str], bool] = {}
        self._ends: dict[tuple[int, str, str], datetime] = {}

    def started(self, school_id: int) -> date | None:
        """The local day the school started using the bot (``school_year.started_on``)."""
        return self._started.get(school_id)

    def in_use(self, school_id: int, kind: str, period: str) -> bool:
        """Whether the school owes talks of ``kind`` in ``period``: started in time, out of vacation."""
        asked = (school_id, kind, period)  # asked once per holder and period: a county's grid asks it often
        if asked not in self._asked:
            self._asked[asked] = self._in_use(school_id, kind, period)
        return self._asked[asked]

    def _in_use(self, school_id: int, kind: str, period: str) -> bool:
        config, terms = self._calendars[school_id]
        started = self._started.get(school_id)
        cut = started if started is not None and started > period_days(period)[0] else None
        key = (config, terms, cut, kind, period)
        if key not in self._memo:
            self._memo[key] = school_year.paused_by(config, terms, kind, period, cut)
        return not self._memo[key]

    def owed(self, holder: Holder, period: str) -> bool:
        """Whether ``holder`` owes their talk of ``period``: the school's days, and the guardian agreed in time.

        No talk can be recorded before the guardian agrees, so a period that
        ended by then owes nothing (a school from before consent rows were
        kept: every period).
        """
        if not self.in_use(holder.school_id, holder.kind, period):
            return False
        at = self._consented.get(holder.child_id)
        return at is None or at < self.period_end(holder.school_id, holder.kind, period)

    def period_end(self, school_id: int, kind: str, period: str) -> datetime:
        """The UTC end of ``period`` in the school's zone (the deadline ``/due`` shows, plus a minute)."""
        asked = (school_id, kind, period)
        if asked not in self._ends:
            bounds = month_bounds if kind == MONTHLY else week_bounds
            self._ends[asked] = bounds(period, self._zones[school_id])[1]
        return self._ends[asked]


def _holds(person: Any, roles: tuple[str, ...]) -> Any:
    """``person`` (a column of the outer query) holds any of ``roles``: a correlated ``EXISTS``."""
    return exists().where(PersonRole.person_id == person, PersonRole.role.in_([str(r) for r in roles]))
