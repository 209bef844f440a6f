"""What an official (town government, education bureau) oversees: the schools and the children in them.

Issue 9: an official's ``/me`` said "children in your care: 0" — she cares
for no child herself, but oversees a town's schools. The scope is the one
``/report`` shows (``bot.services.figures.report_for``): a town government
official the schools of their school's town (their own school when it has no
town), an education bureau official every school in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.domain.enums import OFFICIAL_ROLES, Role
from bot.domain.figures import Level
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import Child, School


@dataclass(frozen=True)
class Oversight:
    """An official's scope.

    Attributes:
        level: ``Level.TOWN`` or ``Level.COUNTY``.
        town: the town's name (empty for the county, or a school without a town).
        school_ids, school_names: the schools, by name.
        children: the active children in them (the archive's left-behind children).
    """

    level: Level
    town: str
    school_ids: tuple[int, ...]
    school_names: tuple[str, ...]
    children: int


def official_schools(uow: UnitOfWork, actor: Actor) -> tuple[Level, str, list[tuple[int, str]]] | None:
    """The level, town name and schools (id, name; by name) an official oversees; None for anyone else."""
    if not OFFICIAL_ROLES & actor.roles:
        return None
    s = uow.session
    query = select(School.id, School.name)
    own = s.get(School, actor.school_id)
    if Role.EDUCATION_BUREAU in actor.roles:
        return Level.COUNTY, "", [(i, n) for i, n in s.execute(query.order_by(School.name)).all()]
    town = own.town if own is not None and own.town else ""
    query = query.where(School.town == town) if town else query.where(School.id == actor.school_id)
    return Level.TOWN, town, [(i, n) for i, n in s.execute(query.order_by(School.name)).all()]


def oversight(uow: UnitOfWork, actor: Actor) -> Oversight | None:
    """:func:`official_schools` with the number of active children in them; None for anyone else."""
    found = official_schools(uow, actor)
    if found is None:
        return None
    level, town, schools = found
    ids = tuple(i for i, _n in schools)
    children = uow.session.scalar(
        select(func.count(Child.id)).where(Child.school_id.in_(ids), Child.active.is_(True))) if ids else 0
    return Oversight(level, town, ids, tuple(n for _i, n in schools), int(children or 0))


def towns_of(uow: UnitOfWork, school_ids: tuple[int, ...]) -> tuple[str, ...]:
    """The towns of the schools (by name), empty when one of them has no town: named only when all have one."""
    towns = set(uow.session.scalars(select(School.town).where(School.id.in_(school_ids)))) if school_ids else set()
    named = {t for t in towns if t}
    return () if not towns or len(named) != len(towns) else tuple(sorted(named))
