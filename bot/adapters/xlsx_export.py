"""Writing :class:`~bot.domain.tables.Sheet` s to an ``.xlsx`` workbook with openpyxl.

Every text cell goes through :func:`bot.domain.tables.safe_cell` (a leading
``=``, ``+``, ``-`` or ``@`` gets a ``'``; control characters the format
cannot hold are dropped), and is written as a string cell:
openpyxl would otherwise store text starting with ``=`` as a formula. Numbers
stay numbers; dates and datetimes get a date format. The header row is bold
and frozen.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.tables import Cell, Sheet, safe_cell

MAX_TITLE = 31  # Excel's limit on a sheet name
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _title(wanted: str, taken: set[str]) -> str:
    base = (wanted.translate(_BAD_TITLE).strip() or "Sheet")[:MAX_TITLE]
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: MAX_TITLE - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def _put(ws: Worksheet, row: int, column: int, value: Cell) -> XlCell:
    cell: XlCell = ws.cell(row=row, column=column)
    value = safe_cell(value)
    if isinstance(value, str):
        # Text saved before typed text was cleaned may hold control characters that the xlsx format
        # cannot carry (openpyxl raises IllegalCharacterError): dropped, so an export never fails.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text
    else:
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    return cell


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The sheets as an ``.xlsx`` file's bytes (an empty first sheet when there are none)."""
    book = Workbook()
    first = book.active
    taken: set[str] = set()
    bold = Font(bold=True)
    for i, sheet in enumerate(sheets or [Sheet("Sheet")]):
        ws: Worksheet = first if i == 0 and first is not None else book.create_sheet()
        ws.title = _title(sheet.title, taken)
        row = 1
        for line in sheet.preamble:
            for col, value in enumerate(line, start=1):
                _put(ws, row, col, value)
            row += 1
        if sheet.preamble:
            row += 1
        if sheet.header:
            for col, title in enumerate(sheet.header, start=1):
                cell = _put(ws, row, col, title)
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.freeze_panes = ws.cell(row=row + 1, column=1)
            row += 1
        for line in sheet.rows:
            for col, value in enumerate(line, start=1):
                _put(ws, row, col, value)
            row += 1
        for note in sheet.notes:  # below a blank row, so that the table above stays a plain block of data
            _put(ws, row + 1, 1, note)
            row += 1
        widths = sheet.widths or [max(8, min(30, 2 * len(str(h)) + 2)) for h in sheet.header]
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
