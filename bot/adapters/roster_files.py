"""Reading roster files: ``.xlsx`` (openpyxl), ``.csv`` (UTF-8 or GBK) or a folder of them, into tables.

An adapter at the edge of the house: it does the file I/O and hands
:class:`~bot.domain.roster_layout.Table`s to the pure rules
(:mod:`bot.domain.roster`). It imports nothing of the services, flows or
handlers (``tests/test_layers.py``).

* ``.xlsx``: every sheet. Merged cells carry their top-left value in every
  cell of the range. Read-only mode streams the rows: a prefecture's roster
  (260,000 rows) would take gigabytes as full-mode cell objects.
* ``.csv``: one sheet; UTF-8 (with or without BOM) or GBK (read as GB 18030, its superset).
* a folder: every ``.csv`` and ``.xlsx`` in it, in name order, as one import.

:func:`open_tables` reads the rows as they are iterated (a city's roster is
never in memory whole: issue 7, item 6); :func:`read_tables` holds them, for
the small files of the aid and assessment imports.

Limits (issue 10, item 11; :class:`RosterLimits`, settings ``GUANAI_ROSTER_MAX_…``)
are checked before anything is expanded: the file's size, a workbook's
uncompressed size, the highest row number of a sheet and the cells covered by
its merged ranges come from one streaming pass over the sheet's XML, so a
100 KiB workbook declaring one merged range over a whole sheet is refused in
milliseconds instead of filling gigabytes.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from bot.domain.roster import RosterFileError
from bot.domain.roster_cells import FormulaWithoutValue
from bot.domain.roster_layout import Table
from bot.messages.prompt import N_


@dataclass(frozen=True)
class RosterLimits:
    """What a roster file may hold at most; beyond it the file is refused before it is expanded.

    One import is one school's roster. A rural school in China has some hundreds of
    children; the largest boarding and central schools (九年一贯制, 中心校) a few
    thousand. 20,000 rows a sheet is several times the largest school, and a
    20,000-row 花名册 of 32 columns is about 7 MB as CSV (the sample's rows take
    about 350 bytes each), so 20 MiB a file. A file beyond them is not a school's
    roster (a county's list, a wrong export): before these limits a 10 MB CSV of
    29,000 rows was imported in 222 s with 286 MB of memory (breakB). A county
    that really imports more at once raises ``GUANAI_ROSTER_MAX_BYTES`` and
    ``GUANAI_ROSTER_MAX_ROWS`` (the benchmarks do, for 260,000 children).

    Attributes:
        max_bytes: size of one file (and of a workbook's sheets, uncompressed, 16 times this).
        max_rows: rows of one sheet, checked before the rows are parsed.
        max_merged_cells: cells covered by a sheet's merged ranges (title rows merge a few dozen).
    """

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 20_000
    max_merged_cells: int = 100_000


TOO_BIG = N_("{file} is larger than {limit} MB, more than one school's roster needs; check that it is the right "
             "file, split it, or raise GUANAI_ROSTER_MAX_BYTES")
TOO_MANY_ROWS = N_("Sheet {sheet} of {file} has more than {limit} rows, more than one school's roster needs; check "
                   "that it is the right file, split it, or raise GUANAI_ROSTER_MAX_ROWS")
CELL_TOO_BIG = N_("{file}, row {row}, column {column}: the cell is longer than {limit} characters, more than any "
                  "roster cell holds; check that it is the right file, or shorten the cell")
# Python's csv module refuses a longer field (csv.field_size_limit(), 131,072 characters by default);
# a roster's longest cell (备注) holds 500. The limit is process-wide: it is read, never changed.
CSV_FIELD_LIMIT = csv.field_size_limit()
TOO_MUCH_MERGED = N_("Sheet {sheet} of {file} merges more than {limit} cells; unmerge them or raise "
                     "GUANAI_ROSTER_MAX_MERGED_CELLS")


def read_tables(path: Path, limits: RosterLimits | None = None) -> list[Table]:
    """Read an ``.xlsx``, a ``.csv`` or a folder of them into tables held in memory (small files).

    Raises:
        RosterFileError: missing file, unknown type, unreadable content, beyond ``limits``.
    """
    with open_tables(path, limits) as tables:
        return [Table(t.name, list(t.rows)) for t in tables]


@contextmanager
def open_tables(path: Path, limits: RosterLimits | None = None) -> Iterator[list[Table]]:
    """The tables of an ``.xlsx``, a ``.csv`` or a folder of them, their rows read as they are iterated.

    Each table's ``rows`` can be iterated again (from the start) while the
    context is open; nothing of a sheet is held in memory (issue 7, item 6).
    The limits are checked on opening, before a row is read (a CSV's row count
    while it is read: before anything is written).

    Raises:
        RosterFileError: missing file, unknown type, unreadable content, beyond ``limits``.
    """
    limits = limits or RosterLimits()
    with ExitStack() as stack:
        yield _open(path, limits, stack)


def _open(path: Path, limits: RosterLimits, stack: ExitStack) -> list[Table]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and p.is_file())
        if not files:
            raise RosterFileError(N_("{file} holds no .xlsx or .csv file"), file=path.name)
        return [t for p in files for t in _open(p, limits, stack)]
    if not path.is_file():
        raise RosterFileError(N_("{file} does not exist"), file=str(path))
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise RosterFileError(N_("{file} is neither .xlsx nor .csv"), file=path.name)
    if path.stat().st_size > limits.max_bytes:
        raise RosterFileError(TOO_BIG, file=path.name, limit=limits.max_bytes // (1024 * 1024))
    if suffix == ".xlsx":
        return _open_xlsx(path, limits, stack)
    encoding = _csv_encoding(path)
    _survey_csv(path, encoding, limits)
    return [Table(path.name, _CsvRows(path, encoding, limits))]


def _check_unpacked_size(path: Path, limits: RosterLimits) -> None:
    """Refuse a workbook whose parts unpack to more than 16 × ``max_bytes`` (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    if unpacked > 16 * limits.max_bytes:
        raise RosterFileError(TOO_BIG, file=path.name, limit=limits.max_bytes // (1024 * 1024))


def _open_xlsx(path: Path, limits: RosterLimits, stack: ExitStack) -> list[Table]:
    import openpyxl  # imported late: only the importer needs it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path, limits)
    try:
        # Read-only mode streams the rows: a prefecture's roster (260,000 rows) would take
        # gigabytes as full-mode cell objects. It does not expose merged ranges: see _survey.
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    stack.callback(wb.close)
    tables = []
    try:
        for ws in wb.worksheets:
            ranges, last_row, uncached = _survey(ws)  # before a row is read: the limits
            if last_row > limits.max_rows:
                raise RosterFileError(TOO_MANY_ROWS, file=path.name, sheet=ws.title, limit=limits.max_rows)
            merged = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in ranges)
            if merged > limits.max_merged_cells:
                raise RosterFileError(TOO_MUCH_MERGED, file=path.name, sheet=ws.title, limit=limits.max_merged_cells)
            ws.reset_dimensions()  # some writers store a wrong <dimension>; read every row there is
            tables.append(Table(ws.title, _SheetRows(path, ws, ranges, uncached)))
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    return tables


class _SheetRows:
    """A read-only worksheet's rows, numbered from 1, merged cells filled; read anew on each iteration.

    A formula cell the file keeps no value for comes as :class:`~bot.domain.roster_cells.FormulaWithoutValue`
    (openpyxl gives None: it would pass as blank).
    """

    def __init__(self, path: Path, ws: Any, ranges: list[tuple[int, int, int, int]],
                 uncached: dict[int, list[int]] | None = None) -> None:
        self.path, self.ws, self.ranges, self.uncached = path, ws, ranges, uncached or {}

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        starting: dict[int, list[tuple[int, int, int, int]]] = {}
        for rng in self.ranges:
            starting.setdefault(rng[0], []).append(rng)
        active: list[tuple[tuple[int, int, int, int], Any]] = []  # (range, its top-left value)
        try:
            for number, cells in enumerate(self.ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
                row = list(cells)
                for col in self.uncached.get(number, ()):
                    row.extend([None] * (col - len(row)))
                    if row[col - 1] is None:
                        row[col - 1] = FormulaWithoutValue()
                if starting or active:
                    for rng in starting.pop(number, ()):
                        active.append((rng, row[rng[1] - 1] if rng[1] <= len(row) else None))
                    active = [(rng, value) for rng, value in active if rng[2] >= number]
                    for (_r1, min_col, _r2, max_col), value in active:
                        if len(row) < max_col:
                            row.extend([None] * (max_col - len(row)))
                        for c in range(min_col, max_col + 1):
                            row[c - 1] = value
                yield number, row
        except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException):
            raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=self.path.name) from None


_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"
_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}c"
_FORMULA = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}f"
_VALUE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}v"


def _survey(ws: Any) -> tuple[list[tuple[int, int, int, int]], int, dict[int, list[int]]]:
    """Merged ranges ``(min_row, min_col, max_row, max_col)``, the highest row number and the uncached formulas.

    openpyxl's read-only worksheet does not parse ``<mergeCells>``; this streams
    the sheet's XML once more (C ElementTree, rows discarded as they pass). The
    row number is the one the XML gives (``<row r="…">``), not ``<dimension>``,
    which a writer may get wrong. The uncached formulas (row → columns) are the
    cells with an ``<f>`` and no ``<v>``: read with cached values only, they come as None.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException
    from openpyxl.worksheet.cell_range import CellRange

    ranges = []
    last_row = 0
    uncached: dict[int, list[int]] = {}
    with ws._get_source() as src:  # the sheet's XML part in the workbook archive
        # defusedxml: a workbook from outside must not expand entities (billion laughs) or fetch anything.
        for _event, el in SafeElementTree.iterparse(src):
            if el.tag == _CELL:
                ref = el.get("r")
                if ref and el.find(_FORMULA) is not None and _no_cached_value(el):
                    try:
                        letters, cell_row = coordinate_from_string(ref)
                        uncached.setdefault(cell_row, []).append(column_index_from_string(letters))
                    except (CellCoordinatesException, ValueError):  # a broken reference: openpyxl reads it as it can
                        pass
            elif el.tag == _MERGE_CELL:
                r = CellRange(el.get("ref"))
                ranges.append((r.min_row, r.min_col, r.max_row, r.max_col))
            elif el.tag == _ROW:
                number = el.get("r")
                last_row = int(number) if number and number.isdigit() else last_row + 1
                el.clear()
    return ranges, last_row, uncached


def _no_cached_value(cell: Any) -> bool:
    """A formula cell without a computed value: no ``<v>``, or an empty one that is no empty text.

    openpyxl writes ``<v />``; Excel writes ``t="str"`` and an empty ``<v>`` for a formula giving "".
    """
    value = cell.find(_VALUE)
    return value is None or (not value.text and cell.get("t") != "str")


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB 18030, decided by decoding the whole file in chunks (nothing kept)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise RosterFileError(N_("{file} is neither UTF-8 nor GBK text"), file=path.name)


def _survey_csv(path: Path, encoding: str, limits: RosterLimits) -> None:
    """Count a CSV file's records and find an overlong cell before any row is parsed (csv's C reader, nothing kept).

    Raises:
        RosterFileError: more than ``max_rows`` records; a cell longer than the csv field limit (its row and
            column named, not "not a readable CSV file"); a malformed file.
    """
    with path.open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        records = lines = 0
        try:
            for _row in reader:
                records, lines = records + 1, reader.line_num
                if records > limits.max_rows:
                    raise RosterFileError(TOO_MANY_ROWS, file=path.name, sheet=path.name, limit=limits.max_rows)
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise RosterFileError(N_("{file} is not a readable CSV file"), file=path.name) from None
        else:
            return
    from openpyxl.utils import get_column_letter  # imported late: only the importer needs it

    with path.open(encoding=encoding, newline="") as f:
        for _skipped in range(lines):  # to the record with the long cell
            f.readline()
        column = _overlong_column(f)
    raise RosterFileError(CELL_TOO_BIG, file=path.name, row=records + 1, column=get_column_letter(column),
                          limit=CSV_FIELD_LIMIT)


def _overlong_column(f: Any) -> int:
    """The 1-based column of the first field longer than :data:`CSV_FIELD_LIMIT` in the record ``f`` is at.

    Counts commas outside quotes (a doubled quote inside a quoted field toggles twice: no change).
    """
    column, length, quoted = 1, 0, False
    while chunk := f.read(1 << 16):
        for ch in chunk:
            if ch == '"':
                quoted = not quoted
            elif ch == "," and not quoted:
                column, length = column + 1, 0
                continue
            elif ch in "\r\n" and not quoted:
                return column
            length += 1
            if length > CSV_FIELD_LIMIT:
                return column
    return column


class _CsvRows:
    """A CSV file's records, numbered from 1; read anew on each iteration."""

    def __init__(self, path: Path, encoding: str, limits: RosterLimits) -> None:
        self.path, self.encoding, self.limits = path, encoding, limits

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        with self.path.open(encoding=self.encoding, newline="") as f:
            try:
                for number, row in enumerate(csv.reader(f), start=1):
                    if number > self.limits.max_rows:
                        raise RosterFileError(TOO_MANY_ROWS, file=self.path.name, sheet=self.path.name,
                                              limit=self.limits.max_rows)
                    yield number, row
            except csv.Error:
                raise RosterFileError(N_("{file} is not a readable CSV file"), file=self.path.name) from None
