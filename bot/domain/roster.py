"""Roster rows: finding the header, telling the sheets apart, parsing and checking cell values.

Pure rules, no I/O: :mod:`bot.services.roster` reads the file (``.xlsx`` with
openpyxl, ``.csv`` in UTF-8 or GBK) into :class:`Table`s and hands them here.

The layout is the national registration form of rural left-behind children
(农村留守儿童基本情况登记表 / 花名册) as in the sample school workbook, four
sheets:

* children (留守儿童花名册): one child per row; required columns 姓名, 学籍号, 班级.
* staff (教职工): 姓名, 角色 (校领导, 管理员, 班主任, 帮扶教师, 爱心家长,
  教育主管部门, 镇政府), 班级 (for a class teacher), 手机号.
* classes (班级): 年级, 班级, 班主任, 学生总数, 留守儿童数.
* school (学校): key/value rows 学校名称, 所属乡镇, 时区.

A sheet is recognised by its header columns, never by its title, so a CSV
file (which holds one sheet) is recognised the same way: a CSV whose header
has 姓名 and 学籍号 is the children sheet, 姓名 and 角色 the staff sheet, 班级
and 班主任 (without 姓名) the classes sheet, and a first column starting with
学校名称 the school sheet. Title rows above the header are skipped (the header
is the first of the first :data:`HEADER_SEARCH_ROWS` rows holding a sheet's
required columns); blank rows are skipped.

Values: text is stripped (whitespace inside a Chinese name is dropped, as
registers pad two-character names); numbers, dates and phone numbers are read
after Unicode NFKC normalisation, so full-width digits (１２３) work. Dates
may be Excel dates, Excel serial numbers, ``2015.3.4``, ``2015/3/4``,
``2015-03-04`` or ``2015年3月4日``. Phone numbers are normalised to E.164 with
phonenumbers (region CN); spaces and dashes are fine, and of two numbers in
one cell the first is kept. Booleans are 是/否. A cell whose text starts like a
spreadsheet formula (``=…``; ``+``, ``-`` or ``@`` before a letter or a parenthesis)
is rejected, not stored: an export opened in Excel or WPS would run it (CSV
injection). Text longer than its column (:data:`LIMITS`; 备注 500 characters) is
rejected, not cut.

Errors are :class:`RowError`s whose reason is a message id (``N_``-marked,
translated by the caller) with parameters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from bot.domain.enums import Role


def N_(message: str) -> str:
    """Mark a message id for extraction; the domain may not import bot.flows."""
    return message


HEADER_SEARCH_ROWS = 20
PHONE_REGION = "CN"
# Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is behind (serials > 60).
EXCEL_EPOCH = date(1899, 12, 30)

ROLE_NAMES: dict[str, Role] = {
    "校领导": Role.SCHOOL_LEADER,
    "管理员": Role.ADMIN,
    "班主任": Role.CLASS_TEACHER,
    "帮扶教师": Role.HELPER_TEACHER,
    "爱心家长": Role.CARING_PARENT,
    "爱心妈妈": Role.CARING_PARENT,
    "爱心爸爸": Role.CARING_PARENT,
    "教育主管部门": Role.EDUCATION_BUREAU,
    "镇政府": Role.TOWN_GOVERNMENT,
    "镇党委政府": Role.TOWN_GOVERNMENT,
    # Safeguarding (issue 10, item 9): the school's designated lead and the child-protection contacts.
    "儿童保护负责人": Role.SAFEGUARDING_LEAD,
    "安全负责人": Role.SAFEGUARDING_LEAD,
    "儿童主任": Role.CHILD_DIRECTOR,
    "妇联": Role.WOMENS_FEDERATION,
    "派出所": Role.POLICE,
    "民警": Role.POLICE,
    "公安": Role.POLICE,
}

# Staff of one group listed twice under one name are one person with two roles
# (a class teacher who is also a helper teacher); different groups never merge.
ROLE_GROUPS: dict[Role, str] = {
    Role.SCHOOL_LEADER: "teacher",
    Role.ADMIN: "teacher",
    Role.CLASS_TEACHER: "teacher",
    Role.HELPER_TEACHER: "teacher",
    Role.CARING_PARENT: "volunteer",
    Role.EDUCATION_BUREAU: "official",
    Role.TOWN_GOVERNMENT: "official",
    Role.SAFEGUARDING_LEAD: "teacher",
    Role.CHILD_DIRECTOR: "official",
    Role.WOMENS_FEDERATION: "official",
    Role.POLICE: "official",
}


class SheetKind(StrEnum):
    CHILDREN = "children"
    STAFF = "staff"
    CLASSES = "classes"
    SCHOOL = "school"


# Column name in the file → field; aliases seen on real forms map to the same field.
CHILD_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "性别": "gender",
    "民族": "ethnicity",
    "出生日期": "birth_date",
    "学籍号": "student_no",
    "年级": "grade",
    "班级": "class_name",
    "就学情况": "schooling",
    "是否寄宿": "boarding",
    "身体情况": "health",
    "现居住地": "address",
    "父亲姓名": "father_name",
    "父亲务工地点": "father_work_place",
    "父亲联系电话": "father_phone",
    "母亲姓名": "mother_name",
    "母亲务工地点": "mother_work_place",
    "母亲联系电话": "mother_phone",
    "留守类型": "left_behind_type",
    "委托监护人姓名": "guardian_name",
    "与儿童关系": "guardian_relationship",
    "委托监护人电话": "guardian_phone",
    "委托监护人年龄": "guardian_age",
    "委托监护人身体状况": "guardian_health",
    "监护情况评估": "guardianship_assessment",
    "家庭经济来源": "family_income",
    "救助帮扶情况": "aid",
    "帮扶教师": "helper_teacher",
    "爱心家长": "caring_parent",
    "爱心妈妈": "caring_parent",
    "学习伙伴": "study_buddy",
    "备注": "note",
}
STAFF_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "角色": "role",
    "班级": "class_name",
    "手机号": "phone",
    "联系电话": "phone",
}
CLASS_COLUMNS: dict[str, str] = {
    "年级": "grade",
    "班级": "name",
    "班主任": "class_teacher",
    "学生总数": "pupils_total",
    "留守儿童数": "left_behind_count",
}
SCHOOL_KEYS: dict[str, str] = {"学校名称": "name", "所属乡镇": "town", "时区": "timezone"}

REQUIRED: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.CHILDREN: ("name", "student_no", "class_name"),
    SheetKind.STAFF: ("name", "role"),
    SheetKind.CLASSES: ("name",),
}

# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RowError:
    """One rejected row.

    Attributes:
        sheet: sheet title (or CSV file name).
        row: 1-based row number in the sheet (CSV: record number, header included).
        column: the column heading as written in the file ("" for the whole row).
        reason: message id (English source text, ``N_``-marked).
        params: values of the reason's ``{fields}``.
    """

    sheet: str
    row: int
    column: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


class CellError(ValueError):
    """A cell value cannot be read; ``reason`` is a message id."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


MISSING = N_("a value is required here")
BAD_DATE = N_("{value} is not a date (write it like 2015-03-04 or 2015年3月4日)")
FUTURE_DATE = N_("the date {value} lies in the future")
BAD_PHONE = N_("{value} is not a valid phone number")
BAD_BOOL = N_("{value} is neither 是 nor 否")
BAD_NUMBER = N_("{value} is not a whole number")
BAD_ROLE = N_("{value} is not a known role (校领导, 管理员, 班主任, 帮扶教师, 爱心家长, 教育主管部门, 镇政府, 儿童保护负责人, 儿童主任, 妇联, 派出所)")
BAD_ZONE = N_("{value} is not a known time zone (for example Asia/Shanghai)")
DUPLICATE_STUDENT_NO = N_("student number {value} also appears in row {first_row}")
DUPLICATE_CLASS = N_("class {value} also appears in row {first_row}")
DUPLICATE_STAFF = N_("{value} also appears in row {first_row} with another phone number")
UNKNOWN_CLASS = N_("class {value} is neither in the classes sheet nor in the database")
UNKNOWN_STAFF = {
    Role.CLASS_TEACHER: N_("no class teacher called {value} in the staff sheet or the database"),
    Role.HELPER_TEACHER: N_("no helper teacher called {value} in the staff sheet or the database"),
    Role.CARING_PARENT: N_("no caring parent called {value} in the staff sheet or the database"),
}
UNKNOWN_CHILD = N_("no child called {value} in the roster")
AMBIGUOUS_CHILD = N_("several children are called {value}; the study buddy cannot be chosen")
REJECTED_REFERENCE = N_("{value} is in a rejected row")
TOO_LONG = N_("{value} is longer than {limit} characters")
FORMULA = N_("{value} starts like a spreadsheet formula; write it without the leading =, +, - or @")

# Column widths of the store (bot.store.models); longer text is rejected, not cut.
LIMITS: dict[str, int] = {
    "name": 64,
    "student_no": 64,
    "class_name": 64,
    "class_teacher": 64,
    "gender": 8,
    "ethnicity": 32,
    "grade": 32,
    "schooling": 32,
    "health": 64,
    "address": 300,
    "left_behind_type": 64,
    "guardianship_assessment": 64,
    "family_income": 64,
    "aid": 200,
    "father_name": 64,
    "mother_name": 64,
    "guardian_name": 64,
    "guardian_relationship": 32,
    "guardian_health": 64,
    "father_work_place": 200,
    "mother_work_place": 200,
    "helper_teacher": 64,
    "caring_parent": 64,
    "study_buddy": 64,
    # 备注 is unbounded in the store; 500 characters hold any remark a register has room for,
    # and keep a pasted document (or 100,000 characters) out of every message that quotes it.
    "note": 500,
}
SCHOOL_LIMITS: dict[str, int] = {"name": 200, "town": 200, "timezone": 64}
# Cells read as phone numbers, dates, numbers, 是/否 or roles: no valid one is this long,
# and a longer one would be echoed whole in the rejection.
PARSED_LIMIT = 100

# Text a spreadsheet evaluates when the cell is opened again after an export: = always;
# + - @ when a function name, a DDE command (-cmd|...) or a parenthesis follows. A leading +
# before digits is a phone number's international prefix, and "- " a list dash in a remark.
_FORMULA = re.compile(r"^(?:=|[+\-@]\s*[A-Za-z(])")


def looks_like_formula(value: Any) -> bool:
    """Whether a cell's text would run as a formula when a roster export is opened (CSV injection)."""
    return isinstance(value, str) and bool(_FORMULA.match(unicodedata.normalize("NFKC", value).strip()))


def _shown(text: str) -> str:
    """A cell's text as quoted in a rejection: at most 20 characters."""
    return text if len(text) <= 20 else text[:20] + "…"

# --------------------------------------------------------------------------- cell values

_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")
_DATE = re.compile(
    r"^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


def clean_text(value: Any) -> str | None:
    """Cell → stripped text, or None when blank. Whitespace inside a Chinese name is dropped."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = str(value).replace("\u3000", " ").strip()
    if not text:
        return None
    if _CJK.search(text):
        return _SPACE.sub("", text)
    return _SPACE.sub(" ", text)


def match_key(text: str) -> str:
    """Key to compare names across sheets: NFKC (（1）→(1)), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_date(value: Any, *, today: date | None = None) -> date | None:
    """An Excel date/datetime, Excel serial number or date text → date (None when blank).

    Raises:
        CellError: unreadable, or after ``today``.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = _from_serial(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            return None
        result = _from_text(text)
    if today is not None and result > today:
        raise CellError(FUTURE_DATE, value=result.isoformat())
    return result


def _from_serial(value: float) -> date:
    # Serials below 10000 (before 1927) are far likelier a year or a typo than a birth date.
    if not 10000 <= value < 2958466:  # 1927-05-18 … 9999-12-31
        raise CellError(BAD_DATE, value=str(value))
    return EXCEL_EPOCH + timedelta(days=int(value))


def _from_text(text: str) -> date:
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise CellError(BAD_DATE, value=text) from None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    raise CellError(BAD_DATE, value=text)


def parse_phone(value: Any) -> str | None:
    """A phone cell → E.164 (``+8613800138000``); the first of several numbers; None when blank.

    Raises:
        CellError: no valid number in the cell.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    found = _phone_in(text)
    if found is None:
        raise CellError(BAD_PHONE, value=text)
    return found


_ONE_NUMBER = re.compile(r"^\+?[\d\s\-()]+$")


@lru_cache(maxsize=65536)
def _phone_in(text: str) -> str | None:
    # Siblings repeat their guardian's and parents' numbers: cache the lookups.
    if _ONE_NUMBER.match(text):
        try:
            number = phonenumbers.parse(text, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # Several numbers, or words around them: the first valid one.
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "×"}


def parse_bool(value: Any) -> bool | None:
    """是/否 (also yes/no, 1/0, √/×) → bool; None when blank.

    Raises:
        CellError: anything else.
    """
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    low = unicodedata.normalize("NFKC", text).lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise CellError(BAD_BOOL, value=text)


def parse_int(value: Any) -> int | None:
    """A whole number (``68``, ``６８``, ``68岁``, ``68.0``) → int; None when blank.

    Raises:
        CellError: not a whole number.
    """
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(BAD_NUMBER, value=str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:\.0+)?\s*(?:岁|人|名)?", text)
    if not m:
        raise CellError(BAD_NUMBER, value=text)
    return int(m[1])


# --------------------------------------------------------------------------- tables and headers


@dataclass
class Table:
    """One sheet as read from the file.

    Attributes:
        name: sheet title, or the CSV file name.
        rows: ``(row number, cell values)`` in file order; merged cells already
            carry their top-left value.
    """

    name: str
    rows: list[tuple[int, Sequence[Any]]]


@dataclass
class Header:
    kind: SheetKind
    index: int  # position of the header row in Table.rows
    columns: dict[str, tuple[int, str]]  # field → (cell position, heading as written)


def _header_name(value: Any) -> str:
    text = clean_text(value)
    return match_key(text) if text else ""


def detect_header(table: Table) -> Header | None:
    """Find the header row and the kind of sheet; None when the sheet is none of the four."""
    for index, (_row_no, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        names = [_header_name(c) for c in cells]
        if names and names[0] in SCHOOL_KEYS:
            return Header(SheetKind.SCHOOL, index, {})
        present = set(names)
        if {"姓名", "学籍号"} <= present:
            kind, mapping = SheetKind.CHILDREN, CHILD_COLUMNS
        elif {"姓名", "角色"} <= present:
            kind, mapping = SheetKind.STAFF, STAFF_COLUMNS
        elif {"班级", "班主任"} <= present and "姓名" not in present:
            kind, mapping = SheetKind.CLASSES, CLASS_COLUMNS
        else:
            continue
        columns: dict[str, tuple[int, str]] = {}
        for pos, (name, raw) in enumerate(zip(names, cells)):
            fld = mapping.get(name)
            if fld and fld not in columns:
                columns[fld] = (pos, str(clean_text(raw)))
        return Header(kind, index, columns)
    return None


def missing_columns(header: Header) -> list[str]:
    """Headings of required columns the sheet lacks (names as on the form)."""
    if header.kind is SheetKind.SCHOOL:
        return []
    mapping = {SheetKind.CHILDREN: CHILD_COLUMNS, SheetKind.STAFF: STAFF_COLUMNS, SheetKind.CLASSES: CLASS_COLUMNS}[
        header.kind
    ]
    heading = {v: k for k, v in reversed(list(mapping.items()))}
    return [heading[f] for f in REQUIRED[header.kind] if f not in header.columns]


# --------------------------------------------------------------------------- parsed rows


@dataclass
class SchoolInfo:
    name: str
    town: str | None
    timezone: str | None


@dataclass
class StaffRow:
    sheet: str
    row: int
    name: str
    role: Role
    class_name: str | None
    phone: str | None


@dataclass
class ClassRow:
    sheet: str
    row: int
    name: str
    grade: str | None
    class_teacher: str | None
    pupils_total: int | None
    left_behind_count: int | None


@dataclass
class ChildRow:
    """One child with the people around them, as written in the roster."""

    sheet: str
    row: int
    values: dict[str, Any]  # field → parsed value (see CHILD_COLUMNS)
    headings: dict[str, str]  # field → heading as written, for error reports

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class ParsedRoster:
    school: SchoolInfo | None = None
    staff: list[StaffRow] = field(default_factory=list)
    classes: list[ClassRow] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    school_errors: bool = False
    rejected_child_names: set[str] = field(default_factory=set)  # match keys, for study-buddy reports


class _Row:
    """Reads the cells of one row by field, collecting errors instead of raising."""

    def __init__(self, table: Table, header: Header, row_no: int, cells: Sequence[Any], errors: list[RowError]):
        self.table, self.header, self.row_no, self.cells, self.errors = table, header, row_no, cells, errors
        self.failed = False

    def raw(self, fld: str) -> Any:
        spec = self.header.columns.get(fld)
        if spec is None or spec[0] >= len(self.cells):
            return None
        return self.cells[spec[0]]

    def heading(self, fld: str) -> str:
        spec = self.header.columns.get(fld)
        return spec[1] if spec else fld

    def get(self, fld: str, parse: Any = clean_text, *, required: bool = False) -> Any:
        raw = self.raw(fld)
        if isinstance(raw, str):
            if looks_like_formula(raw):
                self.fail(fld, FORMULA, value=_shown(raw.strip()))
                return None
            if parse is not clean_text and len(raw) > PARSED_LIMIT:
                self.fail(fld, TOO_LONG, value=_shown(raw.strip()), limit=PARSED_LIMIT)
                return None
        try:
            value = parse(raw)
        except CellError as exc:
            self.fail(fld, exc.reason, **exc.params)
            return None
        if value is None and required:
            self.fail(fld, MISSING)
        limit = LIMITS.get(fld)
        if limit and isinstance(value, str) and len(value) > limit:
            self.fail(fld, TOO_LONG, value=_shown(value), limit=limit)
            return None
        return value

    def fail(self, fld: str, reason: str, **params: Any) -> None:
        self.failed = True
        self.errors.append(RowError(self.table.name, self.row_no, self.heading(fld), reason, params))


def _data_rows(table: Table, header: Header) -> Iterable[tuple[int, Sequence[Any]]]:
    for row_no, cells in table.rows[header.index + 1 :]:
        if all(clean_text(c) is None for c in cells):
            continue
        yield row_no, cells


def parse_tables(tables: Iterable[Table], *, today: date) -> ParsedRoster:
    """Parse every recognised table; checks each row on its own (no cross-sheet checks).

    Args:
        tables: the sheets of one import.
        today: the school's current date; later birth dates are rejected.

    Returns:
        The parsed rows without the rejected ones, the errors, and the titles
        of sheets that are none of the four kinds.
    """
    out = ParsedRoster()
    for table in tables:
        header = detect_header(table)
        if header is None:
            out.unrecognised.append(table.name)
            continue
        if header.kind is SheetKind.SCHOOL:
            _parse_school(table, header, out)
            continue
        missing = missing_columns(header)
        if missing:
            out.errors.append(
                RowError(table.name, table.rows[header.index][0], "、".join(missing), N_("required column missing"))
            )
            continue
        parse_row = {SheetKind.CHILDREN: _child, SheetKind.STAFF: _staff, SheetKind.CLASSES: _class}[header.kind]
        for row_no, cells in _data_rows(table, header):
            parse_row(_Row(table, header, row_no, cells, out.errors), out, today)
    return out


def _parse_school(table: Table, header: Header, out: ParsedRoster) -> None:
    values: dict[str, Any] = {}
    for row_no, cells in table.rows[header.index :]:
        key = _header_name(cells[0]) if cells else ""
        fld = SCHOOL_KEYS.get(key)
        if fld:
            values[fld] = (row_no, str(clean_text(cells[0])), clean_text(cells[1]) if len(cells) > 1 else None)
    for fld, (row_no, heading, value) in values.items():
        if value is None:
            continue
        if looks_like_formula(value):
            out.errors.append(RowError(table.name, row_no, heading, FORMULA, {"value": _shown(value)}))
        elif len(value) > SCHOOL_LIMITS[fld]:
            out.errors.append(RowError(table.name, row_no, heading, TOO_LONG, {"value": _shown(value), "limit": SCHOOL_LIMITS[fld]}))
        else:
            continue
        out.school_errors = True
    if out.school_errors:
        return
    name = values.get("name")
    if name is None or name[2] is None:
        row_no, heading = (name[0], name[1]) if name else (table.rows[header.index][0], "学校名称")
        out.errors.append(RowError(table.name, row_no, heading, MISSING))
        out.school_errors = True
        return
    zone = values.get("timezone", (0, "时区", None))
    if zone[2] is not None:
        try:
            ZoneInfo(zone[2])
        except (ZoneInfoNotFoundError, ValueError):
            out.errors.append(RowError(table.name, zone[0], zone[1], BAD_ZONE, {"value": zone[2]}))
            out.school_errors = True
            return
    town = values.get("town", (0, "", None))[2]
    out.school = SchoolInfo(name=name[2], town=town, timezone=zone[2])


def _role(value: Any) -> Role | None:
    text = clean_text(value)
    if text is None:
        return None
    role = ROLE_NAMES.get(match_key(text))
    if role is None:
        raise CellError(BAD_ROLE, value=text)
    return role


def _staff(r: _Row, out: ParsedRoster, today: date) -> None:
    name = r.get("name", required=True)
    role = r.get("role", _role, required=True)
    class_name = r.get("class_name")
    phone = r.get("phone", parse_phone)
    if not r.failed:
        out.staff.append(StaffRow(r.table.name, r.row_no, name, role, class_name, phone))


def _class(r: _Row, out: ParsedRoster, today: date) -> None:
    name = r.get("name", required=True)
    row = ClassRow(
        r.table.name,
        r.row_no,
        name,
        grade=r.get("grade"),
        class_teacher=r.get("class_teacher"),
        pupils_total=r.get("pupils_total", parse_int),
        left_behind_count=r.get("left_behind_count", parse_int),
    )
    if not r.failed:
        out.classes.append(row)


_CHILD_PARSERS: dict[str, Any] = {
    "boarding": parse_bool,
    "father_phone": parse_phone,
    "mother_phone": parse_phone,
    "guardian_phone": parse_phone,
    "guardian_age": parse_int,
}


def _child(r: _Row, out: ParsedRoster, today: date) -> None:
    values: dict[str, Any] = {}
    for fld in r.header.columns:
        if fld == "birth_date":
            values[fld] = r.get(fld, lambda v: parse_date(v, today=today))
        else:
            values[fld] = r.get(fld, _CHILD_PARSERS.get(fld, clean_text), required=fld in REQUIRED[SheetKind.CHILDREN])
    if not r.failed:
        headings = {f: spec[1] for f, spec in r.header.columns.items()}
        out.children.append(ChildRow(r.table.name, r.row_no, values, headings))
    elif values.get("name"):
        out.rejected_child_names.add(match_key(values["name"]))
