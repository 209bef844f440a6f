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

Limits (issue 10, item 11; :class:`RosterLimits`, settings ``GUANAI_ROSTER_MAX_…``)
are checked before anything is expanded: the file's size, a workbook's
uncompressed size, the highest row number of a sheet and the cells covered by
its merged ranges come from one streaming pass over the sheet's XML, so a
100 KiB workbook declaring one merged range over a whole sheet is refused in
milliseconds instead of filling gigabytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from bot.domain.roster import RosterFileError
from bot.domain.roster_layout import Table
from bot.messages.prompt import N_


@dataclass(frozen=True)
class RosterLimits:
    """What a roster file may hold at most; beyond it the file is refused before it is expanded.

    Attributes:
        max_bytes: size of one file (and of a workbook's sheets, uncompressed, 16 times this).
        max_rows: rows of one sheet (a prefecture's roster has about 260,000 children).
        max_merged_cells: cells covered by a sheet's merged ranges (title rows merge a few dozen).
    """

    max_bytes: int = 128 * 1024 * 1024
    max_rows: int = 600_000
    max_merged_cells: int = 100_000


TOO_BIG = N_("{file} is larger than {limit} MB; split it or raise GUANAI_ROSTER_MAX_BYTES")
TOO_MANY_ROWS = N_("Sheet {sheet} of {file} has more than {limit} rows; split it or raise GUANAI_ROSTER_MAX_ROWS")
TOO_MUCH_MERGED = N_("Sheet {sheet} of {file} merges more than {limit} cells; unmerge them or raise "
                     "GUANAI_ROSTER_MAX_MERGED_CELLS")


def read_tables(path: Path, limits: RosterLimits | None = None) -> list[Table]:
    """Read an ``.xlsx``, a ``.csv`` or a folder of them into tables.

    Raises:
        RosterFileError: missing file, unknown type, unreadable content, beyond ``limits``.
    """
    limits = limits or RosterLimits()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and p.is_file())
        if not files:
            raise RosterFileError(N_("{file} holds no .xlsx or .csv file"), file=path.name)
        return [t for p in files for t in read_tables(p, limits)]
    if not path.is_file():
        raise RosterFileError(N_("{file} does not exist"), file=str(path))
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise RosterFileError(N_("{file} is neither .xlsx nor .csv"), file=path.name)
    if path.stat().st_size > limits.max_bytes:
        raise RosterFileError(TOO_BIG, file=path.name, limit=limits.max_bytes // (1024 * 1024))
    if suffix == ".xlsx":
        return _read_xlsx(path, limits)
    return [_read_csv(path, limits)]


def _check_unpacked_size(path: Path, limits: RosterLimits) -> None:
    """Refuse a workbook whose parts unpack to more than 16 × ``max_bytes`` (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    if unpacked > 16 * limits.max_bytes:
        raise RosterFileError(TOO_BIG, file=path.name, limit=limits.max_bytes // (1024 * 1024))


def _read_xlsx(path: Path, limits: RosterLimits) -> list[Table]:
    import openpyxl  # imported late: only the importer needs it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path, limits)
    try:
        # Read-only mode streams the rows: a prefecture's roster (260,000 rows) would take
        # gigabytes as full-mode cell objects. It does not expose merged ranges: see _survey.
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    try:
        tables = []
        for ws in wb.worksheets:
            ranges, last_row = _survey(ws)  # before a row is read: the limits
            if last_row > limits.max_rows:
                raise RosterFileError(TOO_MANY_ROWS, file=path.name, sheet=ws.title, limit=limits.max_rows)
            merged = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in ranges)
            if merged > limits.max_merged_cells:
                raise RosterFileError(TOO_MUCH_MERGED, file=path.name, sheet=ws.title, limit=limits.max_merged_cells)
            ws.reset_dimensions()  # some writers store a wrong <dimension>; read every row there is
            rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
            _fill_merged(rows, ranges)
            tables.append(Table(ws.title, [(i + 1, r) for i, r in enumerate(rows)]))
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    finally:
        wb.close()
    return tables


_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def _survey(ws: Any) -> tuple[list[tuple[int, int, int, int]], int]:
    """Merged ranges ``(min_row, min_col, max_row, max_col)`` and the highest row number of a read-only worksheet.

    openpyxl's read-only worksheet does not parse ``<mergeCells>``; this streams
    the sheet's XML once more (C ElementTree, rows discarded as they pass). The
    row number is the one the XML gives (``<row r="…">``), not ``<dimension>``,
    which a writer may get wrong.
    """
    from openpyxl.worksheet.cell_range import CellRange

    ranges = []
    last_row = 0
    with ws._get_source() as src:  # the sheet's XML part in the workbook archive
        # defusedxml: a workbook from outside must not expand entities (billion laughs) or fetch anything.
        for _event, el in SafeElementTree.iterparse(src):
            if el.tag == _MERGE_CELL:
                r = CellRange(el.get("ref"))
                ranges.append((r.min_row, r.min_col, r.max_row, r.max_col))
            elif el.tag == _ROW:
                number = el.get("r")
                last_row = int(number) if number and number.isdigit() else last_row + 1
                el.clear()
    return ranges, last_row


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range its top-left value (where Excel shows it)."""
    for min_row, min_col, max_row, max_col in ranges:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col <= len(top) else None
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                row[c - 1] = value


def _read_csv(path: Path, limits: RosterLimits) -> Table:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise RosterFileError(N_("{file} is neither UTF-8 nor GBK text"), file=path.name) from None
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise RosterFileError(TOO_MANY_ROWS, file=path.name, sheet=path.name, limit=limits.max_rows)
    except csv.Error:
        raise RosterFileError(N_("{file} is not a readable CSV file"), file=path.name) from None
    return Table(path.name, [(i + 1, r) for i, r in enumerate(rows)])
