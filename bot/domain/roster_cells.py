"""Roster cell values: text, names, dates, phone numbers, 是/否 and whole numbers, as a register writes them.

Pure rules, no I/O (:mod:`bot.domain.roster` reads the sheets). Numbers, dates
and phone numbers are read after Unicode NFKC normalisation, so full-width
digits (１２３) work. Dates may be Excel dates, Excel serial numbers,
``2015.3.4``, ``2015/3/4``, ``2015-03-04`` or ``2015年3月4日``. Phone numbers
are normalised to E.164 with phonenumbers (region CN). A cell whose text
starts like a spreadsheet formula is recognised (:func:`looks_like_formula`)
so the caller can reject it (CSV injection).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import phonenumbers

from bot.domain.roster_messages import (
    BAD_BOOL,
    BAD_DATE,
    BAD_NUMBER,
    BAD_PHONE,
    FAR_PAST_DATE,
    FUTURE_DATE,
)
from bot.domain.text_safety import terminal_safe

PHONE_REGION = "CN"
# Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is behind (serials > 60).
EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    """A cell value cannot be read; ``reason`` is a message id."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


class FormulaWithoutValue:
    """A workbook cell holding a formula whose computed value the file does not keep.

    openpyxl writes formulas so, and Excel does with "recalculate before saving" off.

    Read with cached values only (formulas are never run), such a cell would come in blank without a word;
    :func:`bot.domain.roster.read_cell` refuses it instead, naming its row and column (breakB, item 3).
    """

    def __str__(self) -> str:
        return "=…"

    def __repr__(self) -> str:
        return "FormulaWithoutValue()"


class FieldError(CellError):
    """A value typed for one field of a card refused as the import refuses its cell (the dashboard's correction).

    Attributes:
        field: the card field, e.g. ``health``, ``guardian_phone``.
    """

    def __init__(self, field: str, reason: str, **params: Any) -> None:
        super().__init__(reason, **params)
        self.field = field



# One rule for every cell (breakB, item 3): text starting with =, +, - or @ is refused, because a
# spreadsheet runs it (-2+3 shows 1; -1+HYPERLINK(...) or -cmd|... runs more) when a roster export
# is opened. Two spellings are not formulas and pass: a phone number's international prefix
# (+86 138 0013 1234) and, in a remark (``remark=True``), a list dash followed by a space
# ("- 与兄弟姐妹同校") with no call or DDE pipe after it. Names never start with any of the four.
# (Exports neutralise every cell anyway: bot.domain.text_safety.spreadsheet_safe.)
_FORMULA_START = re.compile(r"^[=+\-@]")
_PHONE_PREFIX = re.compile(r"^\+\s*\d[\d\s\-]*$")
_LIST_DASH = re.compile(r"^-\s+(?!.*(?:[A-Za-z_][\w.]*\s*\(|\|))")


def looks_like_formula(value: Any, *, remark: bool = False) -> bool:
    """Whether a cell's text would run as a formula when a roster export is opened (CSV injection).

    Args:
        value: the cell's value; only text can be a formula.
        remark: a free-text remark, where "- " may start a list item.
    """
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).strip()
    if not _FORMULA_START.match(text) or _PHONE_PREFIX.match(text):
        return False
    return not (remark and _LIST_DASH.match(text))


def shown(text: str) -> str:
    """A cell's text as quoted in a rejection: at most 20 characters."""
    return text if len(text) <= 20 else text[:20] + "…"

# --------------------------------------------------------------------------- cell values

_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")
_DATE = re.compile(
    r"^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


def clean_text(value: Any) -> str | None:
    """Cell → stripped text, or None when blank. Whitespace inside a Chinese name is dropped."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = _invisible_dropped(str(value)).replace("\u3000", " ").strip()
    if not text:
        return None
    if _CJK.search(text):
        return _SPACE.sub("", text)
    return _SPACE.sub(" ", text)


def _invisible_dropped(text: str, *, keep_emoji: bool = False) -> str:
    """``text`` without invisible format and control characters (Unicode Cf, Cc; tab and newlines stay).

    A right-to-left override (U+202E) or a zero-width space copied into a name makes
    ``杨\u202e婷`` look like 杨婷 on screen while no one can type it (``/talk 杨婷``
    would not find the child), and reorders what follows it in every message.

    ``keep_emoji``: the format characters that are part of an emoji stay — a zero-width joiner between two
    pictographs (👨‍👩‍👧 is 👨, ZWJ, 👩, ZWJ, 👧; dropped, the family became three people) and the tag
    characters of a subdivision flag (🏴 + tags) — and nothing else (:func:`typed_text`).
    """
    kept: list[str] = []
    for i, ch in enumerate(text):
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cf", "Cc") or (keep_emoji and _in_emoji(text, i, kept)):
            kept.append(ch)
    return "".join(kept)


_EMOJI_MODIFIERS = frozenset({"\ufe0e", "\ufe0f", "\u20e3", *map(chr, range(0x1F3FB, 0x1F400))})
"""What may stand between a pictograph and a joiner: variation selectors, the keycap, skin tones."""
_TAGS = range(0xE0020, 0xE0080)
"""Tag characters: a subdivision flag is 🏴 (U+1F3F4), tags, and the cancel tag U+E007F."""


def _pictograph(ch: str) -> bool:
    """An emoji's base: the pictograph planes (U+1F000–U+1FAFF) and other symbols (♀, ⚕, ❤) from U+2000 on."""
    return len(ch) == 1 and (0x1F000 <= ord(ch) <= 0x1FAFF or (ord(ch) >= 0x2000 and unicodedata.category(ch) == "So"))


def _in_emoji(text: str, i: int, kept: list[str]) -> bool:
    """Whether the format character ``text[i]`` joins an emoji sequence (``kept``: what is kept before it)."""
    ch, before = text[i], next((c for c in reversed(kept) if c not in _EMOJI_MODIFIERS), "")
    if ch == "\u200d":
        return _pictograph(before) and i + 1 < len(text) and _pictograph(text[i + 1])
    if ord(ch) in _TAGS:
        return before == "\U0001f3f4" or (bool(before) and ord(before) in _TAGS and ord(before) != 0xE007F)
    return False


def typed_text(text: str) -> str:
    r"""Text a person typed (a chat message, a dashboard form) as it may be stored: what the import keeps.

    Terminal escape sequences (``\x1b[31m``) go whole; then every invisible format and control character
    (:func:`_invisible_dropped`; newline and tab stay, and so do the joiners and tags inside an emoji
    sequence: 👨‍👩‍👧 stays one family). A NUL or a backspace saved in a talk note would
    otherwise break the exports (the xlsx format cannot hold them) and garble a terminal; a right-to-left
    override would reorder what follows it in every message. Spaces are kept as typed.
    """
    return _invisible_dropped(terminal_safe(text), keep_emoji=True)


def match_key(text: str) -> str:
    """Key to compare names across sheets: NFKC (（1）→(1)), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


MAX_PUPIL_AGE = 25
"""A birth date further back than this many years is a typing error (0001-01-01), refused like a future one."""


def parse_date(value: Any, *, today: date | None = None, max_years: int | None = None) -> date | None:
    """An Excel date/datetime, Excel serial number or date text → date (None when blank).

    ``max_years``: with ``today``, a date more than this many years before ``today`` is refused
    (a birth date of 0001-01-01 is as much a typing error as one in the future).

    Raises:
        CellError: unreadable, after ``today``, or too long before it.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = _from_serial(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            return None
        result = _from_text(text)
    if today is not None and result > today:
        raise CellError(FUTURE_DATE, value=result.isoformat())
    if today is not None and max_years is not None and (today.year - result.year) > max_years:
        raise CellError(FAR_PAST_DATE, value=result.isoformat(), years=max_years)
    return result


def _from_serial(value: float) -> date:
    # Serials below 10000 (before 1927) are far likelier a year or a typo than a birth date.
    if not 10000 <= value < 2958466:  # 1927-05-18 … 9999-12-31
        raise CellError(BAD_DATE, value=str(value))
    return EXCEL_EPOCH + timedelta(days=int(value))


def _from_text(text: str) -> date:
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise CellError(BAD_DATE, value=text) from None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    raise CellError(BAD_DATE, value=text)


def parse_phone(value: Any) -> str | None:
    """A phone cell → E.164 (``+8613800138000``); the first of several numbers; None when blank.

    Raises:
        CellError: no valid number in the cell.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    found = _phone_in(text)
    if found is None:
        raise CellError(BAD_PHONE, value=text)
    return found


_ONE_NUMBER = re.compile(r"^\+?[\d\s\-()]+$")


@lru_cache(maxsize=65536)
def _phone_in(text: str) -> str | None:
    # Siblings repeat their guardian's and parents' numbers: cache the lookups.
    if _ONE_NUMBER.match(text):
        try:
            number = phonenumbers.parse(text, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # Several numbers, or words around them: the first valid one.
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "×"}


def parse_bool(value: Any) -> bool | None:
    """是/否 (also yes/no, 1/0, √/×) → bool; None when blank.

    Raises:
        CellError: anything else.
    """
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    low = unicodedata.normalize("NFKC", text).lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise CellError(BAD_BOOL, value=text)


def parse_int(value: Any) -> int | None:
    """A whole number (``68``, ``６８``, ``68岁``, ``68.0``) → int; None when blank.

    Raises:
        CellError: not a whole number, or one above :data:`MAX_WHOLE` (an age, a count, a rank).
    """
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, float) and not value.is_integer():
        raise CellError(BAD_NUMBER, value=str(value))
    if isinstance(value, int | float):
        return _bounded(int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:\.0+)?\s*(?:岁|人|名)?", text)
    if not m or len(m[1]) > len(str(MAX_WHOLE)):
        raise CellError(BAD_NUMBER, value=shown(text))
    return _bounded(int(m[1]))


MAX_WHOLE = 2**31 - 1
"""The largest whole number a cell may hold: a database integer column's (an age of 10**25 is a typing error)."""


def _bounded(number: int) -> int:
    if abs(number) > MAX_WHOLE:
        raise CellError(BAD_NUMBER, value=shown(str(number)))
    return number
