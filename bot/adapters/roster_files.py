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
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from bot.domain.roster import RosterFileError
from bot.domain.roster_layout import Table
from bot.messages.prompt import N_


def read_tables(path: Path) -> list[Table]:
    """Read an ``.xlsx``, a ``.csv`` or a folder of them into tables.

    Raises:
        RosterFileError: missing file, unknown type, unreadable content.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and p.is_file())
        if not files:
            raise RosterFileError(N_("{file} holds no .xlsx or .csv file"), file=path.name)
        return [t for p in files for t in read_tables(p)]
    if not path.is_file():
        raise RosterFileError(N_("{file} does not exist"), file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return [_read_csv(path)]
    raise RosterFileError(N_("{file} is neither .xlsx nor .csv"), file=path.name)


def _read_xlsx(path: Path) -> list[Table]:
    import openpyxl  # imported late: only the importer needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Read-only mode streams the rows: a prefecture's roster (260,000 rows) would take
        # gigabytes as full-mode cell objects. It does not expose merged ranges: see _merged_ranges.
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    try:
        tables = []
        for ws in wb.worksheets:
            ws.reset_dimensions()  # some writers store a wrong <dimension>; read every row there is
            rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
            _fill_merged(rows, _merged_ranges(ws))
            tables.append(Table(ws.title, [(i + 1, r) for i, r in enumerate(rows)]))
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException):
        raise RosterFileError(N_("{file} is not a readable Excel workbook"), file=path.name) from None
    finally:
        wb.close()
    return tables


_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges ``(min_row, min_col, max_row, max_col)`` of a read-only worksheet.

    openpyxl's read-only worksheet does not parse ``<mergeCells>``; this streams
    the sheet's XML once more (C ElementTree, rows discarded as they pass).
    """
    from openpyxl.worksheet.cell_range import CellRange

    ranges = []
    with ws._get_source() as src:  # the sheet's XML part in the workbook archive
        # defusedxml: a workbook from outside must not expand entities (billion laughs) or fetch anything.
        for _event, el in SafeElementTree.iterparse(src):
            if el.tag == _MERGE_CELL:
                r = CellRange(el.get("ref"))
                ranges.append((r.min_row, r.min_col, r.max_row, r.max_col))
            elif el.tag == _ROW:
                el.clear()
    return ranges


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


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise RosterFileError(N_("{file} is neither UTF-8 nor GBK text"), file=path.name) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise RosterFileError(N_("{file} is not a readable CSV file"), file=path.name) from None
    return Table(path.name, [(i + 1, r) for i, r in enumerate(rows)])
