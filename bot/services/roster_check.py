"""Checking a parsed roster against itself and the database before anything is written.

Part of the roster import (:mod:`bot.services.roster`): staff, classes and
children are checked in that order, since children name classes and staff;
names in one sheet are looked up in the same import first and in the
database second. People are recognised again by their natural key
(:func:`staff_key`, :func:`guardian_key`, :func:`parent_key`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from bot.adapters.roster_stage import RosterStage
from bot.domain.enums import Role
from bot.domain.roster import (
    ChildRow,
    ChildRows,
    ClassRow,
    ParsedRoster,
    RosterFileError,
    RowError,
    StaffRow,
)
from bot.domain.roster_cells import match_key
from bot.domain.roster_layout import ROLE_GROUPS
from bot.domain.roster_messages import (
    AMBIGUOUS_CHILD,
    DUPLICATE_CLASS,
    DUPLICATE_STAFF,
    DUPLICATE_STUDENT_NO,
    LEFT_CHILD,
    REJECTED_REFERENCE,
    UNKNOWN_CHILD,
    UNKNOWN_CLASS,
    UNKNOWN_STAFF,
)
from bot.messages.prompt import N_
from bot.services.erased_children import ErasedIndex
from bot.services.ports import UnitOfWork
from bot.services.roster_known import PERSON_FIELDS, KnownRows
from bot.services.roster_report import ImportReport
from bot.services.roster_returning import LeftIndex
from bot.store import crypto
from bot.store.models import Child, School, SchoolClass

PERSON_UPDATE_FIELDS = PERSON_FIELDS + ("natural_key",)

# --------------------------------------------------------------------------- natural keys


def staff_key(school_id: int, role: Role, name: str) -> str:
    """Staff, volunteers and officials: school + role group + name."""
    return f"s{school_id}:{_staff_suffix(role, name)}"


def _staff_suffix(role: Role, name: str) -> str:
    return f"staff:{ROLE_GROUPS[role]}:{match_key(name)}"


def _phone_part(phone: str) -> str:
    # The phone's blind index, not the phone: natural keys are stored in clear (docs/privacy.md).
    return "#" + crypto.blind(phone)


def guardian_key(school_id: int, name: str, phone: str | None, student_no: str) -> str:
    """Entrusted guardian: school + name + phone (without a phone: per child)."""
    return f"s{school_id}:guardian:{match_key(name)}:{_phone_part(phone) if phone else 'child=' + student_no}"


def parent_key(school_id: int, name: str, phone: str | None, family: str) -> str:
    """Parent: school + name + phone; without a phone, per family.

    ``family`` is the entrusted guardian's identity (siblings share guardian and
    parents: 备注 与兄弟姐妹同校), or the child's 学籍号 when there is no guardian,
    so that two phone-less parents of the same name in different families
    never merge.
    """
    return f"s{school_id}:parent:{match_key(name)}:{_phone_part(phone) if phone else 'family=' + family}"


class RosterCheck:
    """Validates the parsed rows against each other and the database (:class:`RosterImport` then writes them).

    Args:
        uow: the import's unit of work.
        parsed: the parsed sheets.
        report: the report to add rejected rows to.
        default_timezone: the zone of a school created by this import without a 时区 row
            (``GUANAI_TIMEZONE``).
        school_name: the school of a file without a school sheet (``--school``,
            ``GUANAI_SCHOOL_NAME``): found by name, or made.

    Raises:
        RosterFileError: no school sheet, no ``school_name`` and not exactly one school in the database.
    """

    def __init__(self, uow: UnitOfWork, parsed: ParsedRoster, report: ImportReport, *, default_timezone: str,
                 school_name: str | None = None) -> None:
        self.s = uow.session
        self.default_timezone = default_timezone
        self.school_name = school_name
        self.parsed = parsed
        self.report = report
        # 学籍号s, planned people and ids span the whole roster: kept on disk, not in dicts (issue 7, item 6).
        self.stage = RosterStage()
        report.rejected = list(parsed.errors)
        self.school = self._school()
        report.school = self.school.name if self.school.name else ""
        sid = self.school.id
        self.db_classes: dict[str, SchoolClass] = {}
        self.db_class_key: dict[int, str] = {}
        # Known people, children and relations are asked for a chunk of rows at a time (a city has millions);
        # only the staff (a few hundred) are held: natural key → columns and roles.
        self.known = KnownRows(self.s, sid)
        self.db_staff_people: dict[str, dict[str, Any]] = {}
        self.db_staff: dict[tuple[Role, str], str] = {}  # (role, name key) → natural-key suffix
        # Children erased on request are skipped unless the import restores them (bot.services.erased_children).
        self.erased = ErasedIndex.load(self.s, sid)
        self.restore_erased = False
        # Children and staff who left are not re-admitted by a file unless asked (--readmit; roster_returning).
        self.left = LeftIndex.load(self.s, self.school)
        report.returning = self.left.returning
        self.readmit = False
        self.readmit_names: set[str] | None = None  # with readmit: only these (name keys); None: everyone
        if sid is not None:
            self._preload(sid)

    # ---- loading

    def _school(self) -> School:
        info = self.parsed.school
        if info is not None:
            school = self.s.scalar(select(School).where(School.name == info.name))
            return school or School(name=info.name, town=info.town, timezone=info.timezone or self.default_timezone,
                                    phone=info.phone)
        if self.school_name:  # only a 花名册: the school is named on the command line or in the settings
            found = self.s.scalar(select(School).where(School.name == self.school_name))
            return found or School(name=self.school_name, timezone=self.default_timezone)
        schools = self.s.scalars(select(School).limit(2)).all()
        if len(schools) != 1:
            raise RosterFileError(
                N_("The file has no school sheet (学校) and the database holds {count} schools: "
                   "import it with its school sheet, or name its school with --school NAME."),
                count=len(schools),
            )
        return schools[0]

    def _preload(self, sid: int) -> None:
        for c in self.s.scalars(select(SchoolClass).where(SchoolClass.school_id == sid)):
            self.db_classes[match_key(c.name)] = c
            self.db_class_key[c.id] = match_key(c.name)
        self.db_staff_people = self.known.staff()
        for key, p in self.db_staff_people.items():
            for role in p["roles"]:
                if role in ROLE_GROUPS:
                    self.db_staff[(Role(role), match_key(p["name"]))] = key.split(":", 1)[1]

    # ---- validation

    def _reject(self, sheet: str, row: int, column: str, reason: str, **params: Any) -> None:
        self.report.rejected.append(RowError(sheet, row, column, reason, params))

    def validate(self, rows: Callable[[], ChildRows] = list) -> None:
        """Check staff, classes and children in turn; rejected rows go to the report.

        Args:
            rows: makes the container of the valid children (:attr:`children`),
                e.g. :class:`~bot.adapters.roster_spill.ChildSpill` for a city's roster.
        """
        p = self.parsed
        file_class_names = {match_key(c.name) for c in p.classes}
        known_classes = file_class_names | set(self.db_classes)
        self.staff = self._validate_staff(p.staff, known_classes)
        self.classes = self._validate_classes(p.classes)
        self.class_keys: set[str] | None = {match_key(c.name) for c in self.classes} | set(self.db_classes)
        if not p.classes:  # only a 花名册: its children's classes are the school's classes (issue 9.4)
            named: dict[str, tuple[str, int, str, str | None]] = {}
            for c in p.children:
                if c["class_name"]:
                    named[match_key(c["class_name"])] = (c.sheet, c.row, c["class_name"], c["grade"])
            self.classes = [ClassRow(sheet, row, name, grade, None, None, None)
                            for k, (sheet, row, name, grade) in named.items() if k not in self.db_classes]
            self.class_keys = None  # every child's class is one of them
        self.children = self._validate_children(p.children, rows())

    def _validate_staff(self, rows: list[StaffRow], known_classes: set[str]) -> list[StaffRow]:
        seen: dict[str, StaffRow] = {}
        valid = []
        self.staff_index = dict(self.db_staff)  # (role, name key) → natural-key suffix; the file overrides
        for row in rows:
            if row.class_name and match_key(row.class_name) not in known_classes:
                self._reject(row.sheet, row.row, "班级", UNKNOWN_CLASS, value=row.class_name)
                continue
            key = _staff_suffix(row.role, row.name)
            first = seen.get(key)
            if first is not None and first.phone and row.phone and first.phone != row.phone:
                self._reject(row.sheet, row.row, "姓名", DUPLICATE_STAFF, value=row.name, first_row=first.row)
                continue
            back = self._readmits(row.name)
            if self.left.staff_row(key, row.role.value, readmit=back) and not back:
                continue  # named in the report; the cells naming them come in without them
            seen.setdefault(key, row)
            valid.append(row)
            self.staff_index[(row.role, match_key(row.name))] = key
        return valid

    def _lookup_staff(self, role: Role, name: str) -> str | None:
        """Natural-key suffix of the staff member with this role and name, if any.

        A 帮扶教师 may be a class teacher listed once, as 班主任: the same teacher (one key per teacher), and the
        pairing stands — her relation to each child decides the talk she owes (issue 9).
        """
        suffix = self.staff_index.get((role, match_key(name)))
        if suffix is None and role is Role.HELPER_TEACHER:
            suffix = self.staff_index.get((Role.CLASS_TEACHER, match_key(name)))
        return suffix

    def _staff_person_key(self, role: Role, name: str) -> str:
        suffix = self._lookup_staff(role, name)
        if suffix is None:  # validate() rejected every row naming unknown staff
            raise LookupError(f"no staff member {role} called {name!r} after validation")
        return f"s{self.school.id}:{suffix}"

    def _validate_classes(self, rows: list[ClassRow]) -> list[ClassRow]:
        seen: dict[str, ClassRow] = {}
        valid = []
        for row in rows:
            k = match_key(row.name)
            if k in seen:
                self._reject(row.sheet, row.row, "班级", DUPLICATE_CLASS, value=row.name, first_row=seen[k].row)
                continue
            seen[k] = row
            if row.class_teacher and not self._lookup_staff(Role.CLASS_TEACHER, row.class_teacher) and \
                    self.left.named((_staff_suffix(Role.CLASS_TEACHER, row.class_teacher),), Role.CLASS_TEACHER.value):
                row.class_teacher = None  # left, not re-admitted: the class comes in without its class teacher
            if row.class_teacher and not self._lookup_staff(Role.CLASS_TEACHER, row.class_teacher):
                self._reject(row.sheet, row.row, "班主任", UNKNOWN_STAFF[Role.CLASS_TEACHER], value=row.class_teacher)
                continue
            valid.append(row)
        return valid

    def _validate_children(self, rows: Iterable[ChildRow], valid: ChildRows) -> ChildRows:
        """The rows that pass the cross-row checks, streamed into ``valid``; keeps only keys and names."""
        seen = self.stage  # 学籍号 → its first row
        self.rejected_names = set(self.parsed.rejected_child_names)
        requests: list[tuple[ChildRow, str, str]] = []  # (row, buddy name key, class key): rows naming a buddy
        for row in rows:
            no = match_key(row["student_no"])
            row.values["student_no"] = no
            first = seen.first_row(no, row.row)
            if first is not None:
                self._child_error(row, "student_no", DUPLICATE_STUDENT_NO, value=no, first_row=first)
                self._reject_name(row)
                continue
            erased_at = self.erased.match(no, row["name"], row["birth_date"])
            if erased_at is not None and not self.restore_erased:
                self.report.erased_skipped.append(erased_at)
                continue
            back = self._readmits(row["name"])
            if not back and self.left.child(no, row["class_name"]):
                continue  # left: named in the report, re-admitted only with --readmit (all, or by name)
            ok = True
            if self.class_keys is not None and match_key(row["class_name"]) not in self.class_keys:
                ok = self._child_error(row, "class_name", UNKNOWN_CLASS, value=row["class_name"])
            for fld, role in (("helper_teacher", Role.HELPER_TEACHER), ("caring_parent", Role.CARING_PARENT)):
                name = row[fld]
                if name and not self._lookup_staff(role, name) and self.left.named(
                        (_staff_suffix(role, name), _staff_suffix(Role.CLASS_TEACHER, name)), role.value):
                    row.values[fld] = None  # a staff member who left, not re-admitted: counted on them
                elif name and not self._lookup_staff(role, name):
                    # A pairing that matches nobody is a warning: the child comes in without it (issue 9.4).
                    self._warn(row, fld, UNKNOWN_STAFF[role], value=name)
                    row.values[fld] = None
            if ok:
                valid.append(row)
                if back:
                    self.left.child(no, row["class_name"], readmit=True)  # after the write (roster_returning)
                if row["study_buddy"]:
                    requests.append((ChildRow(row.sheet, row.row, {"student_no": no, "name": row["name"],
                                                                   "study_buddy": row["study_buddy"]}, row.headings),
                                     match_key(row["study_buddy"]), match_key(row["class_name"])))
            else:
                self._reject_name(row)
        self._resolve_buddies(valid, requests)
        return valid

    def _readmits(self, name: str | None) -> bool:
        """Whether a row of someone who left re-admits them: ``--readmit`` alone, or naming them (issue 9)."""
        return self.readmit and (self.readmit_names is None or match_key(name or "") in self.readmit_names)

    def _reject_name(self, row: ChildRow) -> None:
        if row["name"]:
            self.rejected_names.add(match_key(row["name"]))

    def _warn(self, row: ChildRow, fld: str, reason: str, **params: Any) -> None:
        self.report.warnings.append(RowError(row.sheet, row.row, row.headings.get(fld, fld), reason, params))

    def _child_error(self, row: ChildRow, fld: str, reason: str, **params: Any) -> bool:
        self._reject(row.sheet, row.row, row.headings.get(fld, fld), reason, **params)
        return False

    def _resolve_buddies(self, rows: Iterable[ChildRow], requests: list[tuple[ChildRow, str, str]]) -> None:
        """Find each study buddy (学习伙伴: another pupil, by name); one that matches nobody is a warning.

        Only the names some row asks for are indexed (one more pass over the valid rows), not every child.
        """
        self.buddy: dict[str, str] = {}
        if not requests:
            return
        wanted = {key for _r, key, _c in requests}
        db_by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        left: set[str] = set()
        if self.school.id is not None:  # the school's children streamed: only the names asked for are kept
            q = (select(Child.student_no, Child.name, Child.class_id, Child.active)
                 .where(Child.school_id == self.school.id))
            for no, name, class_id, active in self.s.execute(q.execution_options(yield_per=5_000)):
                key = match_key(name)
                if key in wanted and not active and no not in self.left.readmitted_numbers():
                    left.add(key)  # a child who left is never linked again as a buddy (issue 9)
                elif key in wanted and not self.stage.has_number(no):
                    db_by_name[key].append((no, self.db_class_key.get(class_id or 0, "")))
        by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in rows:
            key = match_key(r["name"])
            if key in wanted:
                by_name[key].append((r["student_no"], match_key(r["class_name"])))
        for r, key, class_key in requests:
            name = r["study_buddy"]
            options = by_name.get(key, []) + db_by_name.get(key, [])
            options = [o for o in options if o[0] != r["student_no"]]
            if len(options) > 1:
                same_class = [o for o in options if o[1] == class_key]
                options = same_class if len(same_class) == 1 else options
            if len(options) == 1:
                self.buddy[r["student_no"]] = options[0][0]
            # A study buddy that matches nobody (or several) is a warning: the child comes in without one.
            elif options:
                self._warn(r, "study_buddy", AMBIGUOUS_CHILD, value=name)
            elif key in self.rejected_names:
                self._warn(r, "study_buddy", REJECTED_REFERENCE, value=name)
            elif key in left:
                self._warn(r, "study_buddy", LEFT_CHILD, value=name)
            else:
                self._warn(r, "study_buddy", UNKNOWN_CHILD, value=name)
