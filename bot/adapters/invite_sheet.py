"""The printable invite sheet: one row per person with name, role, children, the code, the link and a QR code.

An ``.xlsx`` (openpyxl) with each QR code as a PNG image (qrcode + Pillow)
in its row, sized to print on A4 and be cut into slips. The QR code holds
the Telegram deep link when the bot has a username, else the text
``绑定 CODE`` to send to the school's WeChat account.

Every cell is written through :func:`bot.domain.tables.safe_cell` as a
string cell, like every other export (issue 10, item 8): a name typed into a
card as ``=HYPERLINK(…&E4, "点我")`` would otherwise become a live formula
next to column E, the other people's invite codes. The file is written 0600
(:func:`bot.adapters.private_files.write_private`): it holds live codes,
names and phones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import qrcode
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.adapters.private_files import write_private
from bot.domain.tables import Cell, safe_cell

QR_PIXELS = 110
ROW_POINTS = 88


@dataclass(frozen=True)
class SheetRow:
    """One person's slip: the texts are already in the reader's language."""

    name: str
    role: str
    children: str
    phone: str
    code: str
    link: str
    expires: datetime
    """The code's last moment, in the school's local time (a real date cell, not text)."""


def write_sheet(path: Path, title: str, headings: Sequence[str], rows: Sequence[SheetRow]) -> None:
    """Write the sheet (mode 0600): a title row, the headings, then one row per person with its QR code at the end."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 — a new workbook has its sheet
    ws.title = "邀请码"
    _row(ws, 1, [title])
    ws["A1"].font = Font(bold=True, size=14)
    _row(ws, 2, list(headings))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=3):
        _row(ws, i, [row.name, row.role, row.children, row.phone, row.code, row.link, row.expires])
        ws.row_dimensions[i].height = ROW_POINTS
        for cell in ws[i]:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        image = Image(_png(row.link))
        image.width = image.height = QR_PIXELS
        ws.add_image(image, f"H{i}")
    for column, width in zip("ABCDEFGH", (10, 12, 18, 14, 26, 40, 16, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    out = io.BytesIO()
    wb.save(out)
    write_private(path, out.getvalue())


def _row(ws: Worksheet, row: int, values: Sequence[Cell]) -> None:
    """One row of text cells, each defused and stored as a string (openpyxl stores ``=…`` as a formula)."""
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        value = safe_cell(value)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value  # never raises
        if isinstance(cell.value, str):
            cell.data_type = "s"
        elif isinstance(cell.value, datetime):  # a date the sheet can sort and filter by (issue 9)
            cell.number_format = "yyyy-mm-dd hh:mm"


def _png(data: str) -> io.BytesIO:
    buf = io.BytesIO()
    qrcode.make(data, box_size=4, border=2).save(buf, format="PNG")
    buf.seek(0)
    return buf
