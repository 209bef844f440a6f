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

from bot.domain.text_safety import spreadsheet_safe

Cell = str | int | float | date | datetime | None
"""A cell: text, a number, a date, a local (zone-less) date and time, or empty."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read as a formula by spreadsheet programs."""


def safe_text(value: str) -> str:
    """``=1+2`` → ``'=1+2``: text that a spreadsheet would run as a formula is prefixed with ``'``.

    Also after leading spaces or line breaks and in full-width forms (``＝1+2``):
    :func:`bot.domain.text_safety.spreadsheet_safe` (issue 10, item 8).
    """
    return str(spreadsheet_safe(value))


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
        notes: lines written below the rows after a blank row (footnotes: what ``<5`` and ``*`` mean).
    """

    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    preamble: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
