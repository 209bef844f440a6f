"""Roster rows: parsing and checking every row of the recognised sheets (pure rules, no I/O).

The file is read by the adapter (:mod:`bot.adapters.roster_files`: ``.xlsx``
with openpyxl, ``.csv`` in UTF-8 or GBK) into :class:`~bot.domain.roster_layout.Table`s;
the sheets and their columns are :mod:`bot.domain.roster_layout`, the cell
values :mod:`bot.domain.roster_cells`. Title rows above the header and blank
rows are skipped. Text is stripped (whitespace inside a Chinese name is
dropped, as registers pad two-character names). A cell whose text starts like
a spreadsheet formula (``=…``; ``+``, ``-`` or ``@`` before a letter or a
parenthesis) is rejected, not stored: an export opened in Excel or WPS would
run it (CSV injection). Text longer than its column
(:data:`~bot.domain.roster_layout.LIMITS`; 备注 500 characters) is rejected, not cut.

Errors are :class:`RowError`s whose reason is a message id (``N_``-marked,
translated by the caller, :mod:`bot.domain.roster_messages`) with parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.enums import Role
from bot.domain.roster_cells import (
    MAX_PUPIL_AGE,
    CellError,
    FormulaWithoutValue,
    clean_text,
    looks_like_formula,
    match_key,
    parse_bool,
    parse_date,
    parse_int,
    parse_phone,
    shown,
)
from bot.domain.roster_layout import (
    LIMITS,
    PARSED_LIMIT,
    REQUIRED,
    ROLE_NAMES,
    SCHOOL_KEYS,
    SCHOOL_LIMITS,
    Header,
    SheetKind,
    Table,
    detect_header,
    header_name,
    missing_columns,
)
from bot.domain.roster_messages import (
    BAD_ROLE,
    BAD_ZONE,
    FORMULA,
    MISSING,
    NO_CACHED_VALUE,
    REQUIRED_COLUMN,
    TOO_LONG,
)

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




class RosterFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no known sheet, no school).

    Attributes:
        message_id: the reason, a message id.
        params: its parameters.
    """

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


# --------------------------------------------------------------------------- parsed rows


@dataclass
class SchoolInfo:
    """The school sheet (学校): name, town, zone and phone (E.164)."""

    name: str
    town: str | None
    timezone: str | None
    phone: str | None = None


@dataclass
class StaffRow:
    """One row of the staff sheet (教职工)."""

    sheet: str
    row: int
    name: str
    role: Role
    class_name: str | None
    phone: str | None


@dataclass
class ClassRow:
    """One row of the classes sheet (班级)."""

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


class ChildRows(Protocol):
    """Where the parsed children go: a list, or rows kept outside memory (a city has 260,000 of them)."""

    def append(self, row: ChildRow, /) -> None: ...  # noqa: D102

    def __iter__(self) -> Iterator[ChildRow]: ...  # noqa: D105

    def __len__(self) -> int: ...  # noqa: D105


def _child_list() -> list[ChildRow]:
    return []


@dataclass
class ParsedRoster:
    """Every recognised sheet's good rows, the rejected rows and the sheets that are none of the four."""

    school: SchoolInfo | None = None
    staff: list[StaffRow] = field(default_factory=list)
    classes: list[ClassRow] = field(default_factory=list)
    children: ChildRows = field(default_factory=_child_list)
    errors: list[RowError] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    school_errors: bool = False
    rejected_child_names: set[str] = field(default_factory=set)  # match keys, for study-buddy reports
    headings: dict[int, tuple[Header, dict[str, str]]] = field(default_factory=dict)  # per header: field → heading


def read_cell(fld: str, raw: Any, parse: Callable[[Any], Any] = clean_text, *, free_text: bool = False) -> Any:
    """One cell of the field ``fld`` (a :data:`~bot.domain.roster_layout.LIMITS` key) read as the import reads it.

    The same rules hold wherever people type what the roster holds (a card
    corrected in chat, :mod:`bot.services.card_edit`): text starting like a
    spreadsheet formula is refused, not stored; text longer than its column is
    refused, not cut; a number, date or phone cell longer than any valid one is
    refused before it is parsed.

    Args:
        fld: the field, e.g. ``guardian_name``, ``guardian_phone``, ``address``.
        raw: the cell's value (text, number, date or None).
        parse: how the field's value is read (default :func:`clean_text`).
        free_text: ``parse`` reads text (keeps the spaces of an address as typed),
            not a number, date or phone: no limit before parsing.

    Returns:
        The parsed value; None for a blank cell.

    Raises:
        CellError: the reason (a message id of :mod:`bot.domain.roster_messages`) and its parameters.
    """
    if isinstance(raw, FormulaWithoutValue):
        raise CellError(NO_CACHED_VALUE)
    if isinstance(raw, str):
        if looks_like_formula(raw, remark=fld == "note"):
            raise CellError(FORMULA, value=shown(raw.strip()))
        if parse is not clean_text and not free_text and len(raw) > PARSED_LIMIT:
            raise CellError(TOO_LONG, value=shown(raw.strip()), limit=PARSED_LIMIT)
    value = parse(raw)
    limit = LIMITS.get(fld)
    if limit and isinstance(value, str) and len(value) > limit:
        raise CellError(TOO_LONG, value=shown(value), limit=limit)
    return value


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
        try:
            value = read_cell(fld, self.raw(fld), parse)
        except CellError as exc:
            self.fail(fld, exc.reason, **exc.params)
            return None
        if value is None and required:
            self.fail(fld, MISSING)
        return value

    def fail(self, fld: str, reason: str, **params: Any) -> None:
        self.failed = True
        self.errors.append(RowError(self.table.name, self.row_no, self.heading(fld), reason, params))


def _data_rows(table: Table, header: Header) -> Iterable[tuple[int, Sequence[Any]]]:
    for row_no, cells in islice(table.rows, header.index + 1, None):
        if all(clean_text(c) is None for c in cells):
            continue
        yield row_no, cells


def parse_tables(tables: Iterable[Table], *, today: date,
                 children: Callable[[], ChildRows] | None = None) -> ParsedRoster:
    """Parse every recognised table; checks each row on its own (no cross-sheet checks).

    Args:
        tables: the sheets of one import.
        today: the school's current date; later birth dates are rejected.
        children: makes the container of the children's rows (default a list).

    Returns:
        The parsed rows without the rejected ones, the errors, and the titles
        of sheets that are none of the four kinds.
    """
    out = ParsedRoster() if children is None else ParsedRoster(children=children())
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
                RowError(table.name, header.row_no, "、".join(missing), REQUIRED_COLUMN)
            )
            continue
        parse_row = {SheetKind.CHILDREN: _child, SheetKind.STAFF: _staff, SheetKind.CLASSES: _class}[header.kind]
        for row_no, cells in _data_rows(table, header):
            parse_row(_Row(table, header, row_no, cells, out.errors), out, today)
    return out


def _parse_school(table: Table, header: Header, out: ParsedRoster) -> None:
    values: dict[str, Any] = {}
    for row_no, cells in islice(table.rows, header.index, None):
        key = header_name(cells[0]) if cells else ""
        fld = SCHOOL_KEYS.get(key)
        if fld:
            values[fld] = (row_no, str(clean_text(cells[0])), clean_text(cells[1]) if len(cells) > 1 else None)
    for fld, (row_no, heading, value) in values.items():
        if value is None:
            continue
        if looks_like_formula(value):
            out.errors.append(RowError(table.name, row_no, heading, FORMULA, {"value": shown(value)}))
        elif len(value) > SCHOOL_LIMITS[fld]:
            out.errors.append(RowError(table.name, row_no, heading, TOO_LONG,
                                       {"value": shown(value), "limit": SCHOOL_LIMITS[fld]}))
        else:
            continue
        out.school_errors = True
    if out.school_errors:
        return
    name = values.get("name")
    if name is None or name[2] is None:
        row_no, heading = (name[0], name[1]) if name else (header.row_no, "学校名称")
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
    phone_cell = values.get("phone", (0, "学校电话", None))
    try:
        school_phone = parse_phone(phone_cell[2])
    except CellError as exc:
        out.errors.append(RowError(table.name, phone_cell[0], phone_cell[1], exc.reason, exc.params))
        out.school_errors = True
        return
    out.school = SchoolInfo(name=name[2], town=town, timezone=zone[2], phone=school_phone)


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
    "consent": parse_bool,
}


def _child(r: _Row, out: ParsedRoster, today: date) -> None:
    values: dict[str, Any] = {}
    for fld in r.header.columns:
        if fld == "birth_date":
            values[fld] = r.get(fld, lambda v: parse_date(v, today=today, max_years=MAX_PUPIL_AGE))
        else:
            values[fld] = r.get(fld, _CHILD_PARSERS.get(fld, clean_text), required=fld in REQUIRED[SheetKind.CHILDREN])
    if not r.failed:
        # One headings dict per sheet, shared by its rows (a city's roster has 260,000 of them).
        # The header is kept with them, so its id is never reused by another sheet's.
        _header, headings = out.headings.setdefault(
            id(r.header), (r.header, {f: spec[1] for f, spec in r.header.columns.items()}))
        out.children.append(ChildRow(r.table.name, r.row_no, values, headings))
    elif values.get("name"):
        out.rejected_child_names.add(match_key(values["name"]))
