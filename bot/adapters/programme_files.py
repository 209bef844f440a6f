"""Programme items from a YAML or xlsx file (``guanai programme import FILE``).

YAML: a list of mappings, or a mapping ``items:`` holding one, each with
``code`` and any of the fields of ``bot.domain.programme.FIELDS``::

    - code: letter_mid_autumn
      offset: -10
      time: "16:00"
    - code: 植树节
      title: 植树活动
      anchor: date:03-12
      role: class_teacher

xlsx: the first sheet, a header row with ``code`` and field names (English, or
the Chinese headers in :data:`HEADERS`), one item per row. Cells are read as
text; blank cells leave a field unchanged. Formula-looking cells are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.domain.roster_cells import looks_like_formula

HEADERS = {
    "代码": "code", "编号": "code", "名称": "title", "活动": "title", "锚点": "anchor", "日期": "anchor",
    "偏移": "offset", "提前天数": "remind", "提醒": "remind", "时间": "time", "对齐": "align", "负责人": "role",
    "对象": "audience", "内容": "action", "统计": "count", "节假日": "holidays", "启用": "active",
}
MAX_ITEMS = 500


class ProgrammeFileError(ValueError):
    """The file cannot be read as programme items.

    Attributes:
        where: ``row 3`` / ``item 2`` / the file, for the message.
    """

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def read_items(path: Path) -> list[tuple[str, dict[str, str]]]:
    """``[(code, {field: text})]`` from a ``.yaml``/``.yml`` or ``.xlsx`` file.

    Raises:
        ProgrammeFileError: unreadable file, wrong shape, a row without code, a formula cell,
            more than :data:`MAX_ITEMS` items.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _yaml(path)
    elif suffix == ".xlsx":
        rows = _xlsx(path)
    else:
        raise ProgrammeFileError(path.name, "not a .yaml, .yml or .xlsx file")
    if len(rows) > MAX_ITEMS:
        raise ProgrammeFileError(path.name, f"more than {MAX_ITEMS} items")
    out = []
    for n, (where, row) in enumerate(rows, start=1):
        values = {str(k).strip().lower(): _text(v, where or f"item {n}") for k, v in row.items() if v is not None}
        values = {HEADERS.get(k, k): v for k, v in values.items() if v != ""}
        code = values.pop("code", "")
        if not code:
            raise ProgrammeFileError(where or f"item {n}", "no code")
        out.append((code, values))
    return out


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    if looks_like_formula(text) and not text.lstrip("+-").isdecimal():
        raise ProgrammeFileError(where, "a cell looks like a formula")
    return text


def _yaml(path: Path) -> list[tuple[str, dict[str, Any]]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProgrammeFileError(path.name, "not readable as UTF-8 YAML") from exc
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise ProgrammeFileError(path.name, "expected a list of items")
    return [(f"item {n}", item) for n, item in enumerate(data, start=1)]


def _xlsx(path: Path) -> list[tuple[str, dict[str, Any]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ProgrammeFileError(path.name, "not a readable .xlsx workbook") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        out = []
        for n, cells in enumerate(rows, start=2):
            if n > MAX_ITEMS + 2:
                raise ProgrammeFileError(path.name, f"more than {MAX_ITEMS} items")
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            out.append((f"row {n}", {h: c for h, c in zip(header, cells, strict=False) if h}))
        return out
    finally:
        book.close()
