"""People who belong to several schools: one person, one chat binding (issue 9, item 4).

A grandmother with grandchildren at two schools, or an official covering a
town, appears in each school's roster. When an import would create a person
with a shareable role (guardian, parent, official) whose name and phone are
already known at another school, it takes that person instead and records
the school as theirs too (:class:`~bot.store.models.PersonSchool`). Access
follows the relations (her grandchildren at both schools), the check-ins go
to the one person, and her one WeChat is bound to both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.enums import Role
from bot.services.identity import normalise_name
from bot.store import crypto
from bot.store.models import Person, PersonRole, PersonSchool

SHAREABLE = frozenset({Role.GUARDIAN.value, Role.PARENT.value, Role.EDUCATION_BUREAU.value,
                       Role.TOWN_GOVERNMENT.value})


def shared_people(session: Session, school_id: int, new_rows: list[dict[str, Any]], roles_of: Mapping[str, set[str]],
                  role_rows: list[dict[str, Any]], now: datetime) -> dict[str, int]:
    """Natural key → id of a known person at another school, for the new rows that are that person.

    Adds the missing roles to ``role_rows`` and a :class:`PersonSchool` row for
    this school (once, ``since`` the import's ``now``: the injected clock's). The caller
    leaves the returned keys out of its inserts.
    """
    wanted = {r["phone"]: r for r in new_rows if r.get("phone") and roles_of.get(r["natural_key"], set()) & SHAREABLE}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    phones = sorted(wanted)
    for i in range(0, len(phones), 500):
        indexes = {crypto.phone_index(p): p for p in phones[i:i + 500]}
        rows = session.execute(select(Person.id, Person.name, Person.phone_index)
                               .where(Person.phone_index.in_(list(indexes)), Person.school_id != school_id)
                               .order_by(Person.id)).all()
        for person_id, name, index in rows:
            row = wanted[indexes[index]]
            if row["natural_key"] not in found and normalise_name(name) == normalise_name(row["name"]):
                found[row["natural_key"]] = person_id
    if not found:
        return {}
    held: dict[int, set[str]] = {}
    for person_id, role in session.execute(select(PersonRole.person_id, PersonRole.role)
                                           .where(PersonRole.person_id.in_(list(found.values())))):
        held.setdefault(person_id, set()).add(role)
    member = set(session.scalars(select(PersonSchool.person_id).where(PersonSchool.school_id == school_id,
                                                                      PersonSchool.person_id.in_(found.values()))))
    for key, person_id in found.items():
        role_rows.extend({"person_id": person_id, "role": r}
                         for r in sorted(roles_of[key] - held.get(person_id, set())))
        if person_id not in member:
            session.add(PersonSchool(person_id=person_id, school_id=school_id, since=now))
            member.add(person_id)
    session.flush()
    return found


def schools_of(session: Session, person_id: int) -> list[int]:
    """The person's home school first, then the further schools they belong to."""
    home = session.scalar(select(Person.school_id).where(Person.id == person_id))
    more = session.scalars(select(PersonSchool.school_id).where(PersonSchool.person_id == person_id)
                           .order_by(PersonSchool.school_id))
    return ([home] if home is not None else []) + [s for s in more if s != home]


def adopt(session: Session, school_id: int, new_rows: list[dict[str, Any]], ids: dict[str, int],
          roles_of: Mapping[str, set[str]], role_rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The new rows left to insert once the people known at another school are taken (their ids into ``ids``)."""
    adopted = shared_people(session, school_id, new_rows, roles_of, role_rows, now)
    ids.update(adopted)
    return [r for r in new_rows if r["natural_key"] not in adopted]
