"""Text that leaves the bot for a spreadsheet or a terminal, made inert (issue 10, item 8). Pure functions.

Spreadsheets (Excel, WPS, LibreOffice) evaluate a cell whose text starts with
``=``, ``+``, ``-`` or ``@`` — also after a tab or a carriage return, and in
their full-width forms (``＝ ＋ － ＠``), which they fold to ASCII — so a talk
note typed as ``=HYPERLINK("http://…","点我")`` or a roster cell
``-1+HYPERLINK(…)`` becomes a live formula in an export (CSV injection,
OWASP). :func:`spreadsheet_safe` prefixes such text with an apostrophe, which
every spreadsheet shows as text and never evaluates; every export writes its
cells through it.

A terminal obeys escape sequences in what a program prints: a roster cell
holding ``ESC ] 0 ; … BEL`` retitles the admin's window, ``ESC [ 2 J``
clears it, others remap keys on some terminals. :func:`terminal_safe` drops
escape sequences, C0/C1 control characters (but newline and tab) and the
bidirectional overrides that can make text read differently from what it is;
``guanai`` writes all its output through it (``bot.commands.output``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_EVALUATED = frozenset("=+-@")
_LEADING_CONTROLS = "\t\r\n "

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks, clipboard
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a spreadsheet cell that is shown, never evaluated.

    Text starting (after tabs, carriage returns, newlines and spaces) with
    ``= + - @`` or their full-width forms gets a leading ``'``; other values
    (numbers, dates, None) are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    first = value.lstrip(_LEADING_CONTROLS)[:1]
    if value[0] in ("\t", "\r") or (first and unicodedata.normalize("NFKC", first) in _EVALUATED):
        return "'" + value
    return value


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences, control characters (newline and tab stay) or bidi overrides."""
    return _CONTROLS.sub("", _ESCAPE.sub("", text.replace("\r\n", "\n")))
