"""Children and staff who left and are in a re-imported file again (issue 9, item 4).

A trial re-imported an old roster after ``--apply-removals``: the child who
left was active again and the helper teacher who left had her role and
pairings back, with nothing said but the counts. Now the check
(:class:`bot.services.roster_check.RosterCheck`) looks each 学籍号 and staff
row up in :class:`LeftIndex`. Without ``--readmit`` the row is skipped and
named in the report (``ImportReport.returning``), and the 花名册 or class
sheet cells that name a staff member who left come in without that pairing
or class teacher; the rest of the file imports. With ``--readmit`` the rows
are written as any other and :func:`readmit` clears ``left_at``, recorded
(``record_changes``). A child who left keeps their history either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.enums import ChangeSource
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Person, PersonRole, RecordChange, School


@dataclass
class Returning:
    """Someone who left and is in the file again.

    Attributes:
        kind: ``child`` or ``staff``.
        id: ``Child.id`` or ``Person.id``.
        name: as on record.
        detail: the child's class (from the file) or the staff member's role values, comma-separated.
        left_at: when they left (UTC); ``left_on`` is that day at the school.
        rows: staff only: the file's other rows that name them (花名册 pairings, a class's 班主任).
    """

    kind: str
    id: int
    name: str
    detail: str
    left_at: datetime | None
    left_on: date | None
    rows: int = 0
    student_no: str | None = None
    readmit: bool = False  # re-admitted by this import (--readmit, all or by name); else skipped
    only_named: bool = False  # staff: not in the file's staff sheet, only named in its 花名册 or class sheet


class LeftIndex:
    """The school's children and staff who left, by 学籍号 and by staff natural-key suffix (few; loaded once)."""

    def __init__(self, children: dict[str, tuple[int, str, datetime | None]],
                 staff: dict[str, tuple[int, str, datetime | None]], timezone: str) -> None:
        self.children = children
        self.staff = staff
        self.zone = ZoneInfo(timezone)
        self.returning: list[Returning] = []
        self._staff_seen: dict[str, Returning] = {}

    @classmethod
    def load(cls, s: Session, school: School) -> LeftIndex:
        """The left children and staff of ``school`` (none for a school this import creates)."""
        if school.id is None:
            return cls({}, {}, school.timezone or "UTC")
        children = {no: (cid, name, left) for cid, no, name, left in s.execute(
            select(Child.id, Child.student_no, Child.name, Child.left_at)
            .where(Child.school_id == school.id, Child.active.is_(False), Child.erased_at.is_(None)))}
        prefix = f"s{school.id}:staff:"
        staff = {key.split(":", 1)[1]: (pid, name, left) for pid, key, name, left in s.execute(
            select(Person.id, Person.natural_key, Person.name, Person.left_at)
            .where(Person.natural_key >= prefix, Person.natural_key < prefix[:-1] + ";",
                   Person.left_at.is_not(None)))}
        return cls(children, staff, school.timezone)

    def _day(self, at: datetime | None) -> date | None:
        if at is None:
            return None
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(self.zone).date()

    def child(self, student_no: str, class_name: str | None, *, readmit: bool = False) -> bool:
        """Note a returning child (True) if the 学籍号 is one who left; ``readmit``: to be re-admitted."""
        known = self.children.get(student_no)
        if known is None:
            return False
        cid, name, left = known
        self.returning.append(Returning("child", cid, name, class_name or "", left, self._day(left),
                                        student_no=student_no, readmit=readmit))
        return True

    def staff_row(self, suffix: str, role: str, *, readmit: bool = False) -> bool:
        """Note a returning staff member (True) if the staff row's key is one who left; ``readmit``: re-admitted."""
        known = self.staff.get(suffix)
        if known is None:
            return False
        seen = self._staff_seen.get(suffix)
        if seen is None:
            pid, name, left = known
            seen = self._staff_seen[suffix] = Returning("staff", pid, name, role, left, self._day(left),
                                                        readmit=readmit)
            self.returning.append(seen)
        elif seen.only_named:  # named in the 花名册 before their staff row: the staff sheet lists them after all
            seen.only_named, seen.readmit = False, readmit
        elif role not in seen.detail.split(","):
            seen.detail += "," + role
        return True

    def named(self, suffixes: tuple[str, ...], role: str = "") -> bool:
        """A cell naming a returning staff member who is not re-admitted: counted on them (True)."""
        for suffix in suffixes:
            seen = self._staff_seen.get(suffix)
            if seen is not None:
                seen.rows += 1
                return True
        for suffix in suffixes:  # not in the file's staff sheet: named only in its cells (issue 9)
            known = self.staff.get(suffix)
            if known is not None:
                pid, name, left = known
                self._staff_seen[suffix] = seen = Returning("staff", pid, name, role, left,
                                                            self._day(left), rows=1, only_named=True)
                self.returning.append(seen)
                return True
        return False

    def readmitted_numbers(self) -> set[str | None]:
        """The 学籍号s of the children this import re-admits."""
        return {r.student_no for r in self.returning if r.kind == "child" and r.readmit}


def readmit(uow: UnitOfWork, returning: list[Returning], *, school_id: int, now: datetime) -> None:
    """Re-admit the returning children and staff the import wrote (``--readmit``); recorded. The caller commits.

    The write made the child active and gave the staff member their role back; what stays is ``left_at``,
    cleared here. Chat access ended when they left is not given back: a new invite is.
    """
    s = uow.session
    for back in returning:
        if not back.readmit:  # skipped: not named after --readmit (issue 9), or only named in a cell
            continue
        old = back.left_at.isoformat() if back.left_at else None
        if back.kind == "child":
            child = s.get(Child, back.id)
            if child is None:
                continue
            child.active, child.left_at = True, None
            s.add(RecordChange(school_id=school_id, child_id=child.id, subject="child", subject_id=child.id,
                               field="left", old_value=old, new_value=None, changed_at=now,
                               source=ChangeSource.IMPORT.value))
            continue
        person = s.get(Person, back.id)
        if person is None:
            continue
        person.left_at = None
        s.add(RecordChange(school_id=school_id, subject="person", subject_id=person.id, field="left",
                           old_value=old, new_value=None, changed_at=now, source=ChangeSource.IMPORT.value))
        for role in s.scalars(select(PersonRole.role).where(PersonRole.person_id == person.id)):
            s.add(RecordChange(school_id=school_id, subject="role", subject_id=person.id, field="role",
                               old_value=None, new_value=role, changed_at=now, source=ChangeSource.IMPORT.value))
    s.flush()
