"""Writing a checked roster: people, classes, children and relations, in batches.

Part of the roster import (:mod:`bot.services.roster`). The rows are read
again for each step, a chunk at a time; the known rows of a chunk come with
one query per table (:class:`~bot.services.roster_known.KnownRows`, plain
rows, not ORM objects), the planned people and the ids written from the
staging database (:class:`~bot.adapters.roster_stage.RosterStage`); new rows
go in as batched INSERTs and changed rows as executemany UPDATEs, so the work
grows linearly with the roster and the memory does not.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from bot.domain.enums import RelationKind, Role
from bot.domain.roster import ChildRow
from bot.domain.roster_cells import match_key
from bot.services import roster_roles
from bot.services.identity import mask_phone, sorted_roles
from bot.services.roster_check import (
    PERSON_FIELDS,
    PERSON_UPDATE_FIELDS,
    RosterCheck,
    guardian_key,
    parent_key,
    staff_key,
)
from bot.services.roster_known import CHILD_COLUMNS, CHILD_FIELDS, chunks
from bot.services.roster_people import People
from bot.services.roster_report import DetachedPerson
from bot.services.roster_same_person import StaffContacts, retire_duplicates
from bot.services.roster_shared import adopt
from bot.services.roster_sql import CHUNK, assign, class_state, execute_many, insert_ids, table_of, update_by_id
from bot.store import crypto
from bot.store.models import ChatAccount, Child, ChildRelation, Person, PersonRole, SchoolClass

log = logging.getLogger(__name__)


_FAMILY_KINDS = (RelationKind.ENTRUSTED_GUARDIAN, RelationKind.FATHER, RelationKind.MOTHER)
_GUARDIAN, _PARENT = (Role.GUARDIAN.value,), (Role.PARENT.value,)


class RosterImport(RosterCheck):
    """A :class:`RosterCheck` that, once checked, writes the valid rows (:meth:`write`)."""

    ended_relations: list[tuple[int, str, int | None]]  # (child, kind, person) the file no longer has
    now: datetime  # the injected clock's time of the import (a shared person's PersonSchool.since)

    # ---- writing

    def write(self, now: datetime) -> None:
        """Write the checked rows: the school, people, classes, children, then relations (the caller commits)."""
        s, self.now = self.s, now
        self.ended_relations = []
        if self.school.id is None:
            s.add(self.school)
            s.flush()
        elif self.parsed.school:
            info = self.parsed.school
            self.school.town = info.town if info.town is not None else self.school.town
            self.school.timezone = info.timezone or self.school.timezone
            self.school.phone = info.phone or self.school.phone
        sid = self.school.id
        self.contacts = StaffContacts(lambda role, name: staff_key(sid, role, name), self.staff, self.db_staff_people,
                                      self.report.identity_notes)  # a family member on the staff (issue 9.4)
        stage = self.stage
        stage.plan((staff_key(sid, st.role, st.name), st.name, st.phone, None, None, None, (st.role.value,))
                   for st in self.staff)
        # The rows are read again for each step (they are on disk: ChildSpill); the people go to the stage.
        planned: list[tuple[Any, ...]] = []
        for child in self.children:
            self._plan_family(sid, child, planned)
            if len(planned) >= CHUNK:
                stage.plan(planned)
                planned.clear()
        stage.plan(planned)
        self.contacts.settle(self.known.existing_keys({f for _n, f, _s in self.contacts.near}),
                             self.db_staff_people, self.report.kept_apart)  # noted before, unchanged: one line
        people = self._write_people(sid, self._recognise_family(sid))
        classes = self._write_classes(sid, people)
        self._write_children(sid, classes)
        self._write_relations(sid, people)
        self.report.people.removed += retire_duplicates(self.s, self.contacts.merged, self.report.identity_notes)

    def _plan_family(self, sid: int, row: ChildRow,
                     plans: list[tuple[Any, ...]] | None) -> list[tuple[RelationKind, str, str | None]]:
        """The child's family and pairings as (kind, natural key, label); people to plan added to ``plans``."""
        rels: list[tuple[RelationKind, str, str | None]] = []
        no = row["student_no"]
        family = no
        if row["guardian_name"]:
            key = guardian_key(sid, row["guardian_name"], row["guardian_phone"], no)
            family = key.split(":guardian:", 1)[1]
            key = self.contacts.key_for(row, "guardian", key, first=plans is not None)
            if plans is not None:
                plans.append((key, row["guardian_name"], row["guardian_phone"], None, row["guardian_age"],
                              row["guardian_health"], _GUARDIAN))
            rels.append((RelationKind.ENTRUSTED_GUARDIAN, key, row["guardian_relationship"]))
        for prefix, kind in (("father", RelationKind.FATHER), ("mother", RelationKind.MOTHER)):
            name = row[f"{prefix}_name"]
            if not name:
                continue
            phone = row[f"{prefix}_phone"]
            key = self.contacts.key_for(row, prefix, parent_key(sid, name, phone, family), first=plans is not None)
            if plans is not None:
                plans.append((key, name, phone, row[f"{prefix}_work_place"], None, None, _PARENT))
            rels.append((kind, key, None))
        for fld, role, kind in (
            ("helper_teacher", Role.HELPER_TEACHER, RelationKind.HELPER_TEACHER),
            ("caring_parent", Role.CARING_PARENT, RelationKind.CARING_PARENT),
        ):
            if row[fld]:
                rels.append((kind, self._staff_person_key(role, row[fld]), None))
        return rels

    def _recognise_family(self, sid: int) -> dict[str, str]:
        """Family members known under another key: returns new natural key → the known person's key.

        A guardian's or parent's key holds their phone (and a phone-less parent's
        the guardian's), so a new number gives a new key. The person bound to
        the bot must stay the same person: a known child's current guardian
        (father, mother) of the same name takes the new key. Not when the new key
        is already someone's, nor when the old key is still in use in this file
        (then they really are two people); siblings share the first match.
        """
        renames: dict[str, str] = {}
        claimed: set[str] = set()
        if not self.known.any_child:  # a first import knows no child
            return renames
        for chunk in chunks(self.children):
            known_children = self.known.child_ids([r["student_no"] for r in chunk])
            families = [(known_children[r["student_no"]], self._plan_family(sid, r, None))
                        for r in chunk if r["student_no"] in known_children]
            keys = {key for _c, family in families for kind, key, _l in family if kind in _FAMILY_KINDS}
            known_people = self.known.existing_keys(keys)
            if not keys - known_people:
                continue
            rels = self.known.relations([child_id for child_id, _f in families])
            by_id = self.known.people_by_id({r[3] for rs in rels.values() for r in rs if r[3] is not None})
            for child_id, family in families:
                for kind, key, _label in family:
                    if kind not in _FAMILY_KINDS or key in known_people or key in renames:
                        continue
                    planned = self.stage.person(key)
                    name = match_key(planned.name if planned else "")
                    for rel in rels.get(child_id, []):
                        old = by_id.get(rel[3]) if rel[2] == kind.value else None
                        if old is None or old["natural_key"] in claimed or self.stage.has_person(old["natural_key"]):
                            continue
                        if match_key(old["name"]) == name:
                            renames[key] = old["natural_key"]
                            claimed.add(old["natural_key"])
                            break
        return renames

    def _write_people(self, sid: int, renames: dict[str, str]) -> People:
        """Upsert the planned people; returns natural key → person id (new and known people).

        ``renames`` (new key → known key, from :meth:`_recognise_family`): these
        known people take the new key instead of a new person being made.
        The planned people are read from the stage a page at a time (never all at once).
        """
        counts = self.report.people
        changed: list[dict[str, Any]] = []
        roles: list[dict[str, Any]] = []

        def flush_known() -> None:
            # A new key is never a known one (see _recognise_family): no UNIQUE clash mid-statement.
            update_by_id(self.s, Person, changed, (*PERSON_UPDATE_FIELDS, "phone_index"))
            execute_many(self.s, insert(table_of(PersonRole)), roles)
            changed.clear()
            roles.clear()

        for page in self.stage.people():
            ids: list[tuple[str, int]] = []
            known_people = self.known.people([p.key for p in page] + [renames[p.key] for p in page
                                                                       if p.key in renames])
            for plan in page:
                known = known_people.get(plan.key)
                if known is None and plan.key in renames:
                    known = known_people[renames[plan.key]]
                if known is None:
                    continue  # new: written below, by pages
                ids.append((plan.key, known["id"]))
                mine = plan.columns()
                wanted = {f: known[f] for f in PERSON_FIELDS} | {"name": mine["name"], "phone": mine["phone"]}
                wanted["natural_key"] = plan.key
                if mine["work_place"] is not None or Role.PARENT.value in plan.roles:
                    wanted["work_place"] = mine["work_place"]
                if Role.GUARDIAN.value in plan.roles:
                    wanted["age"], wanted["health"] = mine["age"], mine["health"]
                missing_roles = plan.roles - known["roles"]
                roles.extend({"person_id": known["id"], "role": r} for r in sorted(missing_roles))
                if any(wanted[f] != known[f] for f in PERSON_UPDATE_FIELDS):
                    changed.append({"_id": known["id"], **wanted, "phone_index": crypto.phone_index(mine["phone"])})
                    counts.updated += 1
                elif missing_roles:
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            self.stage.set_person_ids(ids)
            if len(changed) + len(roles) >= CHUNK:
                flush_known()
        flush_known()
        for page in self.stage.people(new_only=True):  # known ones have their ids now
            rows: list[dict[str, Any]] = []
            for plan in page:
                mine = plan.columns()
                rows.append({"school_id": sid, "natural_key": plan.key, **mine,
                             "phone_index": crypto.phone_index(mine["phone"])})
            roles_of = {plan.key: set(plan.roles) for plan in page}
            adopted: dict[str, int] = {}
            role_rows: list[dict[str, Any]] = []
            rows = adopt(self.s, sid, rows, adopted, roles_of, role_rows, self.now)  # issue 9.4
            self.stage.set_person_ids(adopted.items())
            # Batched INSERTs: the unit of work would cost an object per row (260,000 children, ~700,000 people).
            new_ids = insert_ids(self.s, Person, rows, "natural_key", sid)
            self.stage.set_person_ids(zip((r["natural_key"] for r in rows), new_ids, strict=True))
            for row, person_id in zip(rows, new_ids, strict=True):
                role_rows.extend({"person_id": person_id, "role": role}
                                 for role in sorted(roles_of[row["natural_key"]]))
            execute_many(self.s, insert(table_of(PersonRole)), role_rows)
            counts.created += len(rows)
        return People(self.stage, self.db_staff_people)

    def _write_classes(self, sid: int, people: People) -> dict[str, int]:
        """Upsert the classes; returns class name key → class id."""
        counts = self.report.classes
        classes = dict(self.db_classes)
        teachers_before = roster_roles.class_teachers(self.s, sid)
        teacher_of: dict[str, int] = {}
        for staff in self.staff:
            if staff.role is Role.CLASS_TEACHER and staff.class_name:
                teacher_of[match_key(staff.class_name)] = people[staff_key(sid, staff.role, staff.name)]
        touched: dict[str, tuple[SchoolClass, bool, Any]] = {}
        for row in self.classes:
            k = match_key(row.name)
            cls = classes.get(k)
            created = cls is None
            if cls is None:
                cls = SchoolClass(school_id=sid, name=row.name)
                self.s.add(cls)
                classes[k] = cls
            touched[k] = (cls, created, class_state(cls))
            wanted: dict[str, Any] = {
                "grade": row.grade, "pupils_total": row.pupils_total, "left_behind_count": row.left_behind_count,
            }
            if row.class_teacher:
                wanted["class_teacher_id"] = people[self._staff_person_key(Role.CLASS_TEACHER, row.class_teacher)]
                teacher_of.pop(k, None)
            assign(cls, wanted)
        # The staff sheet's 班级 column names the class teacher where the classes sheet does not.
        for k, teacher_id in teacher_of.items():
            cls = classes.get(k)
            if cls is None:
                continue
            if k not in touched:
                touched[k] = (cls, False, class_state(cls))
            assign(cls, {"class_teacher_id": teacher_id})
        self.s.flush()
        for cls, created, before in touched.values():
            counts.count(created, before, class_state(cls))
        roster_roles.end_class_teacher_roles(self.s, sid, before=teachers_before, now=self.now)
        return {k: c.id for k, c in classes.items()}

    def _write_children(self, sid: int, classes: dict[str, int]) -> None:
        """Upsert the children, by chunks as the rows are read; their ids go to the stage (new and known)."""
        counts = self.report.children
        known_ids: list[tuple[str, int]] = []
        new_rows: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []

        def flush() -> None:
            update_by_id(self.s, Child, changed, CHILD_COLUMNS)
            new_ids = insert_ids(self.s, Child, new_rows, "student_no", sid)
            self.stage.set_child_ids(zip((r["student_no"] for r in new_rows), new_ids, strict=True))
            self.stage.set_child_ids(known_ids)
            counts.created += len(new_rows)
            new_rows.clear()
            changed.clear()
            known_ids.clear()

        for chunk in chunks(self.children):
            known_children = self.known.children([r["student_no"] for r in chunk])
            for row in chunk:
                no = row["student_no"]
                wanted = {"name": row["name"], "class_id": classes[match_key(row["class_name"])], "active": True}
                wanted.update((f, row.values[f]) for f in CHILD_FIELDS if f in row.values)
                known = known_children.get(no)
                if known is None:
                    # Every new row has every column, so the rows go in as one batch.
                    new_rows.append({"school_id": sid, "student_no": no, **dict.fromkeys(CHILD_FIELDS), **wanted})
                else:
                    known_ids.append((no, known["id"]))
                    full = {f: known[f] for f in CHILD_COLUMNS} | wanted
                    if any(full[f] != known[f] for f in CHILD_COLUMNS):
                        changed.append({"_id": known["id"], **full})
                        counts.updated += 1
                    else:
                        counts.unchanged += 1
            flush()

    def _write_relations(self, sid: int, people: People) -> None:
        """Make each imported child's relations match the file: add, relabel, remove (new ones by chunks)."""
        counts = self.report.relations
        new_rows: list[dict[str, Any]] = []
        relabelled: list[dict[str, Any]] = []
        removed: list[int] = []
        removed_from: Counter[int] = Counter()  # person id → relations removed
        insert_relation = insert(table_of(ChildRelation))
        for chunk in chunks(self.children):
            ids = [self._child_id(row["student_no"]) for row in chunk]
            known = self.known.relations(ids)
            for row, child_id in zip(chunk, ids, strict=True):
                self._match_relations(sid, row, child_id, known.get(child_id, []), people, new_rows, relabelled,
                                      removed, removed_from)
                if len(new_rows) >= CHUNK:
                    execute_many(self.s, insert_relation, new_rows)
                    counts.created += len(new_rows)
                    new_rows.clear()
        update_by_id(self.s, ChildRelation, relabelled, ("relationship_label",))
        table = table_of(ChildRelation)
        for start in range(0, len(removed), 1000):
            self.s.execute(delete(table).where(table.c.id.in_(removed[start : start + 1000])))
        execute_many(self.s, insert_relation, new_rows)
        counts.created += len(new_rows)
        if removed_from:
            self._report_detached(removed_from)

    def _match_relations(self, sid: int, row: ChildRow, child_id: int, known: list[tuple[Any, ...]], people: People,
                         new_rows: list[dict[str, Any]], relabelled: list[dict[str, Any]], removed: list[int],
                         removed_from: Counter[int]) -> None:
        """One child's relations: those to add (``new_rows``), relabel, and remove (known, no longer in the file)."""
        counts = self.report.relations
        no = row["student_no"]
        wanted: dict[tuple[str, int | None, int | None], str | None] = {}
        for kind, key, label in self._plan_family(sid, row, None):
            wanted[(kind.value, people[key], None)] = label
        buddy = self.buddy.get(no)
        if buddy is not None:
            wanted[(RelationKind.STUDY_BUDDY.value, None, self._child_id(buddy))] = None
        existing = {(r[2], r[3], r[4]): r for r in known}
        for wanted_key, label in wanted.items():
            rel = existing.pop(wanted_key, None)
            if rel is None:
                new_rows.append({"child_id": child_id, "kind": wanted_key[0], "person_id": wanted_key[1],
                                 "related_child_id": wanted_key[2], "relationship_label": label})
            elif rel[5] != label:
                relabelled.append({"_id": rel[0], "relationship_label": label})
                counts.updated += 1
            else:
                counts.unchanged += 1
        for rel in existing.values():
            removed.append(rel[0])
            self.ended_relations.append((rel[1], rel[2], rel[3]))
            if rel[3] is not None:
                removed_from[rel[3]] += 1
            counts.removed += 1

    def _child_id(self, no: str) -> int:
        """The id of a child of the file (written) or, for a study buddy, of the school."""
        child_id = self.stage.child_id(no)
        if child_id is None:  # a study buddy not in the file
            child_id = self.known.child_id(no)
        return int(child_id)  # type: ignore[arg-type]  # validate() found each of them

    def _report_detached(self, removed_from: Counter[int]) -> None:
        """List the people with a chat account whose every child relation this import removed."""
        # Asked after the write: whoever still has a relation to one of the school's children is not detached.
        still = self.known.still_related(list(removed_from))
        orphans = [pid for pid in removed_from if pid not in still]
        if not orphans:
            return
        bound: set[int] = set()
        for start in range(0, len(orphans), 1000):
            q = select(ChatAccount.person_id).where(ChatAccount.person_id.in_(orphans[start : start + 1000]))
            bound.update(self.s.scalars(q))
        if not bound:
            return
        phones = dict(self.s.execute(select(Person.id, Person.phone).where(Person.id.in_(sorted(bound)))).all())
        held = self.known.roles(sorted(bound))
        for pid in sorted(bound):
            roles = sorted_roles(held.get(pid, set()))
            self.report.detached.append(DetachedPerson(pid, roles, mask_phone(phones.get(pid))))
            log.warning("roster import: person %s has a chat account and no longer any child", pid)



