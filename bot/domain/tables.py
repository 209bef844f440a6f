"""Tables as schools file them: sheets of typed cells, and the guard against formula injection.

An export is a list of :class:`Sheet` s whose cells keep their types (numbers
stay numbers, dates stay dates), written to a workbook by
``bot.adapters.xlsx_export``. Text typed by people (a name, a note, an
address) reaches other people's spreadsheets, so :func:`safe_text` defuses
anything a spreadsheet would run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

Cell = str | int | float | date | datetime | None
"""A cell: text, a number, a date, a local (zone-less) date and time, or empty."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read as a formula by spreadsheet programs."""


def safe_text(value: str) -> str:
    """``=1+2`` → ``'=1+2``: text that a spreadsheet would run as a formula is prefixed with ``'``."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Cell) -> Cell:
    """A cell as it may be written: text defused, everything else as it is."""
    return safe_text(value) if isinstance(value, str) else value


@dataclass
class Sheet:
    """One worksheet.

    Attributes:
        title: the sheet's name (at most 31 characters; cut and made unique by the writer).
        header: the column titles (the first row), or empty for a free layout.
        rows: the cells, row by row.
        widths: column widths in characters (defaults by the header).
        preamble: rows written above the header (a card's particulars).
    """

    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    preamble: list[list[Cell]] = field(default_factory=list)
