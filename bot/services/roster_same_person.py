"""A guardian or parent who is also on the school's staff: one person, one chat binding (issue 9, item 4).

A teacher may be the 委托监护人 (or the mother) of a pupil at her own school.
The roster names her twice: on the staff sheet and in the child's row. Made
into two people, only one of them could be bound to her one chat (a chat
account belongs to one person), so the alerts and check-ins about her own
child went to a person with no chat. The import now plans the family member
under the staff member's key when the name and the phone both match
(:class:`StaffContacts`); the one person holds the staff roles and the child
relation. Name alone or phone alone is not enough: that is a warning for the
admin to fix the sheet (:data:`NAME_ONLY`, :data:`PHONE_ONLY`).

A database from before holds the two records: once the relation has moved to
the staff person, the family record is removed if nothing else refers to it
(no chat account, no history); else it is kept and reported
(:func:`retire_duplicates`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.domain.roster import ChildRow, RowError, StaffRow
from bot.domain.roster_cells import match_key
from bot.messages.prompt import N_
from bot.store.models import Base, Checkin, OutboxMessage, Person, PersonRole, PersonSchool
from bot.store.models.family_messages import FamilyMessage

NAME_ONLY = N_("{value} has the name of staff member {staff} but another phone number; two people are kept "
               "apart. If they are the same person, write the same phone number in both sheets.")
PHONE_ONLY = N_("{value} has the phone number of staff member {staff} but another name; two people are kept "
                "apart. If they are the same person, write the same name in both sheets.")
KEPT = N_("{value} is now the same person as staff member {staff}, but the earlier record #{id} has a chat "
          "account or history and was kept; check it before removing it.")
MERGED = N_("{value} is now the same person as staff member {staff}; the earlier record #{id} was removed.")

# Rows of these tables go with the person; any other row naming the person is history that keeps it.
_OWN_TABLES = frozenset({Person.__tablename__, PersonRole.__tablename__, PersonSchool.__tablename__})
# Nor is a check-in question that never reached anyone history: a record without a chat had them planned
# every week (what the family record of a teacher got, issue 9.4). They go with it.
_UNREACHED = (
    (Checkin, Checkin.guardian_id, Checkin.answered_at.is_(None) & ~Checkin.id.in_(
        select(FamilyMessage.checkin_id).where(FamilyMessage.checkin_id.is_not(None)))),
    (OutboxMessage, OutboxMessage.person_id, OutboxMessage.sent_at.is_(None)),
)


class StaffContacts:
    """The school's staff by name and by phone: the file's rows first, then the database's staff people."""

    def __init__(self, staff_key: Any, file_staff: Iterable[StaffRow], db_staff: Mapping[str, dict[str, Any]],
                 notes: list[RowError]) -> None:
        """Index the staff.

        Args:
            staff_key: ``(role, name) → natural key`` of a staff member (the importer's).
            file_staff: the valid rows of the staff sheet.
            db_staff: the school's known staff, natural key → columns.
            notes: the report's list for the near misses.
        """
        self.notes = notes
        # (family natural key, field, row, staff name): the key a family member would have had.
        self.merged: list[tuple[str, str, ChildRow, str]] = []
        self.by_name: dict[str, tuple[str, str, str | None]] = {}  # name key → (natural key, name, phone)
        self.by_phone: dict[str, tuple[str, str]] = {}  # phone → (natural key, name)
        self.phone_of: dict[str, str | None] = {}  # staff natural key → the phone the match compares
        # (near-miss note, family natural key, staff natural key): said again only when something changed.
        self.near: list[tuple[RowError, str, str]] = []
        for row in file_staff:
            self._add(staff_key(row.role, row.name), row.name, row.phone)
        for key, p in db_staff.items():
            self._add(key, p["name"], p["phone"])

    def _add(self, key: str, name: str, phone: str | None) -> None:
        self.by_name.setdefault(match_key(name), (key, name, phone))
        self.phone_of.setdefault(key, phone)
        if phone:
            self.by_phone.setdefault(phone, (key, name))

    def match(self, name: str, phone: str | None) -> tuple[str | None, str | None, str | None, str | None]:
        """``(staff key, None, staff name, staff key)``: the same person; ``(None, reason, name, key)``: a near miss.

        All None for neither.

        A family member without a phone is never taken for a staff member (nothing confirms it).
        """
        if not phone:
            return None, None, None, None
        named = self.by_name.get(match_key(name))
        if named is not None and named[2] == phone:
            return named[0], None, named[1], named[0]
        if named is not None and named[2]:
            return None, NAME_ONLY, named[1], named[0]
        dialled = self.by_phone.get(phone)
        if dialled is not None:
            return None, PHONE_ONLY, dialled[1], dialled[0]
        return None, None, None, None

    def settle(self, known_keys: set[str], db_staff: Mapping[str, dict[str, Any]], as_before: list[RowError]) -> None:
        """Move the near-miss notes of an earlier import, unchanged since, from the notes to ``as_before``.

        The sample's 张强 (a guardian) and staff member 张强 share a name, not a phone: said in full at every
        re-import, the note became noise (issue 9). It is said in full when the pair is new or changed — the
        family member not yet on record under the same name and phone (``known_keys``: their natural keys
        found), or the staff member's phone not the one on record — and otherwise as one short standing line.
        """
        for row_note, family, staff in self.near:
            unchanged = staff in db_staff and db_staff[staff].get("phone") == self.phone_of.get(staff)
            if family in known_keys and unchanged and row_note in self.notes:
                self.notes.remove(row_note)
                as_before.append(row_note)


    def key_for(self, row: ChildRow, prefix: str, key: str, *, first: bool) -> str:
        """The staff member's key for a family member who is on the staff, else ``key`` (the family member's).

        Args:
            row: the child's row.
            prefix: ``guardian``, ``father`` or ``mother`` (the row's fields).
            key: the family member's own natural key.
            first: the first pass over the rows (the planning): only then are notes written, once a row.
        """
        name = row[f"{prefix}_name"]
        staff, reason, who, near = self.match(name, row[f"{prefix}_phone"])
        if first and reason is not None:
            self.notes.append(note(row, f"{prefix}_name", reason, name, str(who)))
            self.near.append((self.notes[-1], key, str(near)))
        if staff is None:
            return key
        if first:
            self.merged.append((key, f"{prefix}_name", row, str(who)))
        return staff


def note(row: ChildRow, fld: str, reason: str, value: str, staff: str, **more: Any) -> RowError:
    """The report's line about a family member of ``row`` and a staff member."""
    return RowError(row.sheet, row.row, row.headings.get(fld, fld), reason, {"value": value, "staff": staff, **more})


def retire_duplicates(session: Session, candidates: Iterable[tuple[str, str, ChildRow, str]],
                      notes: list[RowError]) -> int:
    """Remove the family records that the staff person replaced, when nothing else refers to them.

    Returns how many were removed: the report counts them under "People: … removed" (issue 9: a merged
    duplicate was removed but not counted).

    Args:
        session: the import's session (after the relations were written).
        candidates: ``(family natural key, field, row, staff name)``: the key the family member had
            before the import took the staff member's.
        notes: the report's list, to which a line per retired or kept record goes.
    """
    seen: set[str] = set()
    removed = 0
    for key, fld, row, staff in candidates:
        if key in seen:
            continue
        seen.add(key)
        person = session.execute(select(Person.id, Person.name).where(Person.natural_key == key)).first()
        if person is None:
            continue
        if _referred(session, person.id):
            notes.append(note(row, fld, KEPT, person.name, staff, id=person.id))
            continue
        for model, column, unreached in _UNREACHED[::-1]:  # the questions, then their check-ins
            session.execute(delete(model).where(column == person.id, unreached))
        for table in (PersonRole, PersonSchool):
            session.execute(delete(table).where(table.person_id == person.id))
        session.execute(delete(Person).where(Person.id == person.id))
        notes.append(note(row, fld, MERGED, person.name, staff, id=person.id))
        removed += 1
    session.flush()
    return removed


def _referred(session: Session, person_id: int) -> bool:
    """Whether any row but the person's own (roles, schools, unreached questions) names this person: history."""
    unreached = {model.__tablename__: cond for model, _column, cond in _UNREACHED}
    for table in Base.metadata.sorted_tables:
        if table.name in _OWN_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != Person.__tablename__:
                continue
            q = select(func.count()).select_from(table).where(fk.parent == person_id)
            if table.name in unreached:
                q = q.where(~unreached[table.name])
            if session.scalar(q):
                return True
    return False
