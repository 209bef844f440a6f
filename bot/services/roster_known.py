"""What the database already holds of a school, looked up a chunk of roster rows at a time.

A re-import used to preload the school's people, children and relations into
dictionaries (about 8 KB per child: 1.5 GB for a city's 260,000 children). The
import now asks for the known rows of one chunk of the file at a time (issue 7,
item 6): one query per table and chunk, plain rows, never the whole school.
Only the school's staff (a few hundred people) and classes are held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.store.models import Child, ChildRelation, Person, PersonRole

_IN = 900  # parameters per IN (): below SQLite's old limit of 999
PERSON_FIELDS = ("name", "phone", "work_place", "age", "health")
# Columns the importer reads and writes (bot.store.models).
CHILD_FIELDS = ("gender", "ethnicity", "birth_date", "grade", "schooling", "boarding", "health", "address",
                "left_behind_type", "guardianship_assessment", "family_income", "aid", "note")
CHILD_COLUMNS = ("name", "class_id", "active") + CHILD_FIELDS


def chunks(rows: Iterable[Any], size: int = 5_000) -> Iterator[list[Any]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _parts(values: Collection[Any]) -> list[list[Any]]:
    items = list(values)
    return [items[i:i + _IN] for i in range(0, len(items), _IN)]


class KnownRows:
    """The school's rows in the database, by chunk (see the module doc)."""

    def __init__(self, session: Session, school_id: int | None) -> None:
        self.s, self.school_id = session, school_id
        self.any_child = school_id is not None and bool(
            session.scalar(select(exists().where(Child.school_id == school_id))))

    def children(self, numbers: Collection[str]) -> dict[str, dict[str, Any]]:
        """学籍号 → the known child's id and columns, for those of ``numbers`` the school has."""
        if not self.any_child or not numbers:
            return {}
        found: dict[str, dict[str, Any]] = {}
        q = select(Child.id, Child.student_no, *(getattr(Child, f) for f in CHILD_COLUMNS))
        for part in _parts(numbers):
            for row in self.s.execute(q.where(Child.school_id == self.school_id,
                                              Child.student_no.in_(part))).mappings():
                found[row["student_no"]] = dict(row)
        return found

    def child_ids(self, numbers: Collection[str]) -> dict[str, int]:
        """学籍号 → id of the known children among ``numbers`` (no other column: nothing decrypted)."""
        if not self.any_child or not numbers:
            return {}
        found: dict[str, int] = {}
        for part in _parts(numbers):
            for no, child_id in self.s.execute(select(Child.student_no, Child.id).where(
                    Child.school_id == self.school_id, Child.student_no.in_(part))):
                found[no] = child_id
        return found

    def existing_keys(self, keys: Collection[str]) -> set[str]:
        """Those of the natural ``keys`` the school's people have (no other column: nothing decrypted)."""
        found: set[str] = set()
        if self.school_id is None:
            return found
        for part in _parts(keys):
            found.update(self.s.scalars(select(Person.natural_key).where(Person.natural_key.in_(part))))
        return found

    def relations(self, child_ids: Collection[int]) -> dict[int, list[tuple[Any, ...]]]:
        """Child id → its relations ``(id, child_id, kind, person_id, related_child_id, label)``."""
        found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        if not self.any_child or not child_ids:
            return found
        q = select(ChildRelation.id, ChildRelation.child_id, ChildRelation.kind, ChildRelation.person_id,
                   ChildRelation.related_child_id, ChildRelation.relationship_label)
        for part in _parts(child_ids):
            for rel in self.s.execute(q.where(ChildRelation.child_id.in_(part))):
                found[rel[1]].append(tuple(rel))
        return found

    def people(self, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        """Natural key → the known person's id and columns (with ``roles``), for those of ``keys`` that exist.

        ``keys`` are the school's natural keys (they start with ``s{school id}:``).
        """
        if self.school_id is None or not keys:
            return {}
        q = select(Person.id, Person.natural_key, *(getattr(Person, f) for f in PERSON_FIELDS))
        found: dict[str, dict[str, Any]] = {}
        for part in _parts(keys):
            # By key alone: a natural key starts with its school ("s{id}:"), and a school_id condition
            # beside it made SQLite scan the school's people for every chunk (quadratic).
            for row in self.s.execute(q.where(Person.natural_key.in_(part))).mappings():
                found[row["natural_key"]] = dict(row)
        return self._with_roles(found)

    def people_by_id(self, ids: Collection[int]) -> dict[int, dict[str, Any]]:
        """Person id → the person's natural key and name."""
        found: dict[int, dict[str, Any]] = {}
        for part in _parts(ids):
            for row in self.s.execute(select(Person.id, Person.natural_key, Person.name, Person.school_id)
                                      .where(Person.id.in_(part))).mappings():
                if row["school_id"] == self.school_id:  # by id alone, as above; another school's person is not ours
                    found[row["id"]] = dict(row)
        return found

    def staff(self) -> dict[str, dict[str, Any]]:
        """The school's staff by natural key (``s{id}:staff:…``), with their roles: a few hundred people."""
        if self.school_id is None:
            return {}
        prefix = f"s{self.school_id}:staff:"
        q = select(Person.id, Person.natural_key, *(getattr(Person, f) for f in PERSON_FIELDS)).where(
            Person.natural_key >= prefix, Person.natural_key < prefix[:-1] + ";")  # the key range alone: its index
        return self._with_roles({row["natural_key"]: dict(row) for row in self.s.execute(q).mappings()})

    def roles(self, ids: Sequence[int]) -> dict[int, set[str]]:
        """Person id → roles."""
        held: dict[int, set[str]] = defaultdict(set)
        for part in _parts(ids):
            for person_id, role in self.s.execute(select(PersonRole.person_id, PersonRole.role)
                                                  .where(PersonRole.person_id.in_(part))):
                held[person_id].add(role)
        return held

    def _with_roles(self, people: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        held = self.roles([p["id"] for p in people.values()])
        for p in people.values():
            p["roles"] = held.get(p["id"], set())
        return people

    def child_id(self, number: str) -> int | None:
        """The id of the school's child with this 学籍号."""
        return self.s.scalar(select(Child.id).where(Child.school_id == self.school_id, Child.student_no == number))

    def still_related(self, person_ids: Collection[int]) -> set[int]:
        """Those of ``person_ids`` who still have a relation to one of the school's children."""
        found: set[int] = set()
        for part in _parts(person_ids):
            found.update(self.s.scalars(select(ChildRelation.person_id).distinct()
                                        .join(Child, Child.id == ChildRelation.child_id)
                                        .where(Child.school_id == self.school_id,
                                               ChildRelation.person_id.in_(part))))
        return found
