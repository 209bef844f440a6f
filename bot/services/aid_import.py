"""``guanai aid import``: an aid ledger (资助台账) into a school — every row checked first, then one short write.

The sheet has the columns 学籍号 (or 姓名 and 班级), 日期, 类别, 金额, 物品, 来源,
发放人. Each row is checked before anything is written, outside the write
transaction: the child (a 学籍号 and a 姓名 that name two different children is
an error naming both), a date up to today in the school's zone, a cash amount
over 0 yuan to the fen, a kind the ledger knows, text of at most
:data:`MAX_TEXT` characters; traditional characters are read as simplified. A
file holds at most :data:`MAX_ROWS` rows. Then the new records are inserted
in one transaction, in batches (``executemany``), so SQLite's write lock is
held for well under a second even for the largest file. All or nothing: a bad
row writes nothing unless ``--skip-invalid``. Re-importing the same ledger
adds nothing (``import_key``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bot.adapters.roster_files import open_tables
from bot.domain.enums import AidKind
from bot.domain.periods import local_date
from bot.domain.roster import RosterFileError
from bot.domain.roster_cells import CellError, clean_text, parse_date
from bot.domain.traditional import simplified
from bot.messages.prompt import N_, day, text
from bot.services.aid import COLUMNS, KIND_WORDS, amount_of, kind_of
from bot.services.identity import normalise_name
from bot.services.ports import UnitOfWork
from bot.store.models import AidRecord, Child, School, SchoolClass

log = logging.getLogger(__name__)

MAX_ROWS = 50_000
"""Ledger rows one file may hold (a county's year of aid is a few thousand); split larger files."""
MAX_TEXT = 200
"""Characters a text cell (name, class, kind, items, source, given by) may hold."""
_BATCH = 1_000
OTHER_WORDS = ("其他", "其它", "other", "其他资助", "other aid")  # the last two: the export's label
_TEXT_COLUMNS = {"name": "姓名", "class": "班级", "kind": "类别", "items": "物品", "source": "来源",
                 "given_by": "发放人"}


class _BadRow(ValueError):
    """A ledger row that cannot be imported: ``args`` are the reason's message id and its parameters."""


@dataclass
class AidImport:
    """What an aid import did: rows added, rows already there, rejected rows ``(sheet, row, reason, params)``."""

    added: int = 0
    known: int = 0
    rejected: list[tuple[str, int, str, dict[str, Any]]] = field(default_factory=list)  # message id, params
    written: bool = False


@dataclass(frozen=True)
class _Left:
    """A child who left the school: their name and the school day they left (None when not recorded)."""

    name: str
    on: date | None


@dataclass
class _School:
    """What a row is checked against: the school's children, and today in its zone."""

    school_id: int
    today: date
    by_no: dict[str, tuple[int, str]]
    by_name: dict[tuple[str, str], list[int]]
    gone: dict[int, _Left]


def _norm(value: str) -> str:
    return normalise_name(simplified(value))


def _school(uow: UnitOfWork, school_id: int, now: datetime) -> _School:
    s = uow.session
    children = s.execute(select(Child.id, Child.student_no, Child.name, SchoolClass.name, Child.active, Child.left_at)
                         .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
                         .where(Child.school_id == school_id)).all()
    school = s.get(School, school_id)
    tz = (school.timezone if school else None) or "Asia/Shanghai"
    by_name: dict[tuple[str, str], list[int]] = {}
    for cid, _, name, klass, _, _ in children:
        by_name.setdefault((_norm(name), _norm(klass or "")), []).append(cid)
        by_name.setdefault((_norm(name), ""), []).append(cid)
    return _School(school_id, local_date(now, tz), {no: (cid, name) for cid, no, name, _, _, _ in children if no},
                   by_name, {cid: _Left(name, local_date(left_at, tz) if left_at else None)
                             for cid, _, name, _, active, left_at in children if not active})


def import_aid(uow: UnitOfWork, path: Path, *, school_id: int, now: datetime, skip_invalid: bool = False) -> AidImport:
    """Import an aid ledger (``.xlsx``/``.csv``) into a school and commit when something is written.

    Raises:
        RosterFileError: the file cannot be read, has no sheet with the ledger's columns, or more than
            :data:`MAX_ROWS` rows.
    """
    school = _school(uow, school_id, now)
    result, planned, found_sheet, count = AidImport(), [], False, 0
    with open_tables(path) as tables:
        for table in tables:
            header: dict[int, str] | None = None
            for number, cells in table.rows:
                texts = [clean_text(c) or "" for c in cells]
                if header is None:
                    if "日期" in "".join(texts) and ("学籍号" in texts or "姓名" in texts):
                        header = {i: COLUMNS[t] for i, t in enumerate(texts) if t in COLUMNS}
                        found_sheet = True
                    continue
                values = {key: cells[i] for i, key in header.items() if i < len(cells)}
                if not any(clean_text(v) for v in values.values()):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise RosterFileError(N_("{file} has more than {limit} rows: split it into files of at most "
                                             "{limit} rows"), file=path.name, limit=MAX_ROWS)
                try:
                    planned.append(_row(values, school))
                except CellError as exc:
                    result.rejected.append((table.name, number, exc.reason, exc.params))
                except _BadRow as exc:
                    result.rejected.append((table.name, number, exc.args[0], exc.args[1]))
    if not found_sheet:
        raise RosterFileError(N_("{file} has no sheet with the aid ledger's columns"), file=path.name)
    if result.rejected and not skip_invalid:
        return result
    uow.commit()  # end the reads: the write transaction below is the only one that takes SQLite's write lock
    _write(uow, planned, school_id, now, result)
    uow.commit()
    result.written = True
    log.info("aid import into school %s: %s added, %s known", school_id, result.added, result.known)
    return result


def _write(uow: UnitOfWork, planned: list[tuple[int, dict[str, Any]]], school_id: int, now: datetime,
           result: AidImport) -> None:
    """Insert the new records in batches; a key already stored (or twice in the file) is counted as known."""
    s = uow.session
    stored = s.execute(select(AidRecord.import_key, AidRecord.child_id, AidRecord.given_on, AidRecord.kind,
                              AidRecord.amount, AidRecord.items, AidRecord.source, AidRecord.given_by)
                       .where(AidRecord.school_id == school_id)).all()
    # A record already there counts by what it says too: a ledger exported (``/export 资助``) and imported
    # again, or aid recorded in chat and then in the school's sheet, is not added twice.
    seen = {k for r in stored for k in (r[0], _key(school_id, r[1], r[2], AidKind(r[3]), *r[4:]))}
    rows: list[dict[str, Any]] = []
    for child_id, fields in planned:
        if fields["import_key"] in seen:
            result.known += 1
            continue
        seen.add(fields["import_key"])
        rows.append({"child_id": child_id, "school_id": school_id, "recorded_at": now, **fields,
                     "kind": fields["kind"].value})
    table = AidRecord.metadata.tables[AidRecord.__tablename__]
    for start in range(0, len(rows), _BATCH):
        s.execute(insert(table), rows[start:start + _BATCH])  # Core executemany: no ORM objects
    result.added = len(rows)


def _text(values: dict[str, Any], key: str) -> str | None:
    value = clean_text(values.get(key))
    if value is not None and len(value) > MAX_TEXT:
        raise _BadRow(N_("{column} is longer than {limit} characters"), {"column": _TEXT_COLUMNS[key],
                                                                         "limit": MAX_TEXT})
    return simplified(value) if value is not None and key in ("name", "class", "kind") else value


def _child(values: dict[str, Any], school: _School) -> int:
    no, name = clean_text(values.get("student_no")), _text(values, "name")
    if no:
        if no not in school.by_no:
            raise _BadRow(N_("no child with student number {value}"), {"value": no})
        child_id, child_name = school.by_no[no]
        if name and _norm(name) != _norm(child_name):
            raise _BadRow(N_("student number {value} is {child}'s, not {name}'s: correct one of them"),
                          {"value": no, "child": text(child_name), "name": text(name)})
    else:
        ids = school.by_name.get((_norm(name or ""), _norm(_text(values, "class") or "")), [])
        # A namesake who left does not make the row ambiguous: aid goes to the child at school.
        at_school = [i for i in ids if i not in school.gone]
        if len(at_school) > 1 or (not at_school and len(ids) != 1):
            raise _BadRow(N_("no single child called {value} (give the student number)"), {"value": name or "—"})
        child_id = at_school[0] if at_school else ids[0]
    return child_id


def _check_left(child_id: int, given_on: date, school: _School) -> None:
    """Refuse aid dated after the child left; aid given while they were at school is their history."""
    left = school.gone.get(child_id)
    if left is None:
        return
    if left.on is None:  # no leaving day recorded: no date can be shown to be before it
        raise _BadRow(N_("{child} has left the school: no aid can be recorded for them"), {"child": text(left.name)})
    if given_on > left.on:
        raise _BadRow(N_("{child} left the school on {date}: no aid given after that can be recorded"),
                      {"child": text(left.name), "date": day(left.on)})


def _kind(word: str | None, amount: Any, items: str | None) -> AidKind:
    if not word:
        return AidKind.CASH if amount is not None and not items else AidKind.OTHER
    kind = kind_of(word)
    if kind is AidKind.OTHER and word.strip().lower() not in OTHER_WORDS:
        kinds = "、".join([*(words[0] for words in KIND_WORDS.values()), OTHER_WORDS[0]])
        raise _BadRow(N_("unknown kind {value}: write one of {kinds}"), {"value": word, "kinds": kinds})
    return kind


def _row(values: dict[str, Any], school: _School) -> tuple[int, dict[str, Any]]:
    child_id = _child(values, school)
    given_on = parse_date(values.get("date"))
    if given_on is None:
        raise _BadRow(N_("no date"), {})
    if given_on > school.today:
        raise _BadRow(N_("the date {date} is in the future"), {"date": day(given_on)})
    _check_left(child_id, given_on, school)
    try:
        amount = amount_of(values.get("amount"))
    except ValueError as exc:
        raise _BadRow(N_("the amount {value} is not a number of yuan over 0, to the fen"),
                      {"value": exc.args[0]}) from exc
    items = _text(values, "items")
    if amount is None and not items:
        raise _BadRow(N_("neither an amount nor items"), {})
    kind = _kind(_text(values, "kind"), amount, items)
    source, given_by = _text(values, "source"), _text(values, "given_by")
    key = _key(school.school_id, child_id, given_on, kind, amount, items, source, given_by)
    return child_id, {"given_on": given_on, "kind": kind, "amount": amount, "items": items, "source": source,
                      "given_by": given_by, "import_key": key}


def _key(school_id: int, child_id: int, given_on: date, kind: AidKind, amount: Decimal | None, items: str | None,
         source: str | None, given_by: str | None) -> str:
    """A record's identity: the same aid, imported or recorded in chat, has the same key."""
    yuan = None if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    raw = f"{school_id}|{child_id}|{given_on}|{kind}|{yuan}|{items}|{source}|{given_by}"
    return "aid:" + hashlib.sha256(raw.encode()).hexdigest()
