"""The printable invite sheet: one row per person with name, role, children, the code, the link and a QR code.

An ``.xlsx`` (openpyxl) with each QR code as a PNG image (qrcode + Pillow)
in its row, sized to print on A4 and be cut into slips. The QR code holds
the Telegram deep link when the bot has a username, else the text
``绑定 CODE`` to send to the school's WeChat account.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import qrcode
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font

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
    expires: str


def write_sheet(path: Path, title: str, headings: Sequence[str], rows: Sequence[SheetRow]) -> None:
    """Write the sheet: a title row, the headings, then one row per person with its QR code in the last column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "邀请码"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(headings))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=3):
        ws.append([row.name, row.role, row.children, row.phone, row.code, row.link, row.expires])
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
    wb.save(path)


def _png(data: str) -> io.BytesIO:
    buf = io.BytesIO()
    qrcode.make(data, box_size=4, border=2).save(buf, format="PNG")
    buf.seek(0)
    return buf
