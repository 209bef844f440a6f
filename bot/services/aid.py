"""Aid records (资助): what a child was given — date, kind, amount or items, source, given by — in chat or imported.

The child's class teacher and the school's admins and leaders record aid and
see a child's ledger (the full card's people: :func:`bot.services.cards.may_correct`).
An import reads a sheet with the columns 学籍号 (or 姓名 and 班级), 日期,
类别, 金额, 物品, 来源, 发放人 and adds each row once: re-importing the same
ledger adds nothing (``import_key``). A bad row is reported with its row
number and reason, and by default nothing is written then.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.adapters.roster_files import read_tables
from bot.domain.enums import AidKind
from bot.domain.periods import local_date
from bot.domain.roster import RosterFileError
from bot.domain.roster_cells import CellError, clean_text, parse_date
from bot.messages.prompt import N_, day, text
from bot.services import cards, left_school
from bot.services.identity import Actor, normalise_name
from bot.services.ports import UnitOfWork
from bot.store.models import AidRecord, Child, School, SchoolClass

log = logging.getLogger(__name__)

KIND_WORDS = {
    AidKind.CASH: ("现金", "助学金", "奖学金", "cash"),
    AidKind.GOODS: ("物资", "衣物", "衣服", "食品", "被褥", "goods"),
    AidKind.STATIONERY: ("学习用品", "文具", "书包", "stationery"),
    AidKind.FEE_WAIVER: ("减免", "免费", "fee"),
    AidKind.ALLOWANCE: ("补助", "生活补助", "低保", "allowance"),
}
KIND_LABELS = {
    AidKind.CASH: N_("cash"), AidKind.GOODS: N_("goods"), AidKind.STATIONERY: N_("stationery"),
    AidKind.FEE_WAIVER: N_("fee waiver"), AidKind.ALLOWANCE: N_("living allowance"), AidKind.OTHER: N_("other aid"),
}
"""Each kind as the ledger, ``/aid`` and the aid export name it."""
COLUMNS = {"学籍号": "student_no", "姓名": "name", "班级": "class", "日期": "date", "发放日期": "date",
           "类别": "kind", "资助类别": "kind", "金额": "amount", "金额（元）": "amount", "金额(元)": "amount",
           "物品": "items", "来源": "source", "资助来源": "source", "发放人": "given_by"}


MAX_AMOUNT = Decimal("10000000")
"""No aid record is more yuan than this (a typing slip, not aid)."""
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


class _BadRow(ValueError):
    """A ledger row that cannot be imported: ``args`` are the reason's message id and its parameters."""


@dataclass(frozen=True)
class AidRow:
    """One aid record as listed."""

    id: int
    given_on: date
    kind: str
    amount: Decimal | None
    items: str | None
    source: str | None
    given_by: str | None


def kind_of(word: str) -> AidKind:
    """The kind a typed or imported word names (``现金``, ``文具`` …); OTHER when none matches."""
    folded = word.strip().lower()
    for kind, words in KIND_WORDS.items():
        if folded == kind.value or any(w in folded for w in words):
            return kind
    return AidKind.OTHER


def amount_of(value: Any) -> Decimal | None:
    """An amount in yuan (``500``, ``500.5``, ``￥500``, ``500元``); None when blank.

    Raises:
        ValueError: not a non-negative number.
    """
    text = clean_text(value)
    if text is None:
        return None
    try:
        amount = Decimal(text.replace("￥", "").replace("¥", "").replace("元", "").replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    # NaN and Infinity parse but neither compare (NaN raises) nor quantize: no amount.
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError(text)
    return amount.quantize(Decimal("0.01"))


def typed_amount(typed: str) -> Decimal | None:
    """An amount of yuan as a person types it in chat: ``500``, ``500.5``, ``５００``, ``¥500``, ``500元``, ``1,000``.

    Returns:
        The amount; None when ``typed`` is words, not a number (the items given, for aid other than cash).

    Raises:
        ValueError: a number that is no amount of yuan — 0, negative, more than two decimals (分), too large,
            or not written plainly (``1e3``, ``NaN``, ``inf``).
    """
    plain = unicodedata.normalize("NFKC", typed)  # ５００ → 500, ￥ → ¥
    plain = "".join(plain.replace("¥", "").replace("元", "").replace(",", "").split())
    try:
        Decimal(plain)
    except InvalidOperation:
        return None
    if not _PLAIN_AMOUNT.fullmatch(plain):
        raise ValueError(typed)
    amount = Decimal(plain)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise ValueError(typed)
    return amount.quantize(Decimal("0.01"))


def record(uow: UnitOfWork, actor: Actor | None, *, child_id: int, given_on: date, kind: AidKind,
           amount: Decimal | None, items: str | None, source: str | None, given_by: str | None, now: datetime,
           import_key: str | None = None) -> int | None:
    """Add an aid record; returns its id (the existing one for a known ``import_key``), None when refused."""
    s = uow.session
    if import_key is not None:
        existing = s.scalar(select(AidRecord.id).where(AidRecord.import_key == import_key))
        if existing is not None:
            return existing
    child = s.get(Child, child_id)
    # A child who left is history in chat: the leaders read the ledger, nobody adds to it.
    if child is None or (actor is not None and (not child.active or not cards.may_correct(uow, actor, child))):
        return None
    row = AidRecord(child_id=child.id, school_id=child.school_id, given_on=given_on, kind=kind.value,
                    amount=amount, items=items, source=source, given_by=given_by,
                    given_by_id=actor.person_id if actor and given_by is None else None,
                    recorded_by_id=actor.person_id if actor else None, recorded_at=now, import_key=import_key)
    if actor is not None and given_by is None:
        row.given_by = actor.name
    s.add(row)
    s.flush()
    log.info("aid record %s for child %s (%s)", row.id, child.id, kind.value)
    return row.id


def same_recorded(uow: UnitOfWork, *, child_id: int, given_on: date, kind: AidKind, amount: Decimal | None,
                  items: str | None) -> bool:
    """Whether the child already has aid of this kind and amount (or items) given on that day (a likely double)."""
    found = select(AidRecord.id).where(
        AidRecord.child_id == child_id, AidRecord.given_on == given_on, AidRecord.kind == kind.value,
        AidRecord.amount.is_(None) if amount is None else AidRecord.amount == amount,
        AidRecord.items.is_(None) if items is None else AidRecord.items == items)
    return uow.session.scalar(found.limit(1)) is not None


def ledger(uow: UnitOfWork, actor: Actor, child_id: int) -> list[AidRow] | None:
    """The child's aid records, newest first; None when not the actor's to see.

    A child who left the school: the school's admins and leaders still read the
    ledger, as they read the card (:mod:`bot.services.left_school`).
    """
    child = uow.session.get(Child, child_id)
    if child is None:
        return None
    allowed = cards.may_correct(uow, actor, child) if child.active else left_school.readable(actor, child, talks=False)
    if not allowed:
        return None
    rows = uow.session.scalars(select(AidRecord).where(AidRecord.child_id == child_id)
                               .order_by(AidRecord.given_on.desc(), AidRecord.id.desc())).all()
    return [AidRow(r.id, r.given_on, r.kind, r.amount, r.items, r.source, r.given_by) for r in rows]


@dataclass
class AidImport:
    """What an aid import did: rows added, rows already there, rejected rows ``(sheet, row, reason, params)``."""

    added: int = 0
    known: int = 0
    rejected: list[tuple[str, int, str, dict[str, Any]]] = field(default_factory=list)  # message id, params
    written: bool = False


def import_aid(uow: UnitOfWork, path: Path, *, school_id: int, now: datetime, skip_invalid: bool = False) -> AidImport:
    """Import an aid ledger (``.xlsx``/``.csv``) into a school and commit when something is written.

    Raises:
        RosterFileError: the file cannot be read, or has no sheet with the ledger's columns.
    """
    s = uow.session
    children = s.execute(select(Child.id, Child.student_no, Child.name, SchoolClass.name, Child.active, Child.left_at)
                         .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
                         .where(Child.school_id == school_id)).all()
    school = s.get(School, school_id)
    tz = (school.timezone if school else None) or "Asia/Shanghai"
    by_no = {no: cid for cid, no, _, _, _, _ in children if no}
    by_name: dict[tuple[str, str], list[int]] = {}
    gone = {cid: _Left(name, local_date(left_at, tz) if left_at else None)
            for cid, _, name, _, active, left_at in children if not active}
    for cid, _, name, klass, _, _ in children:
        by_name.setdefault((normalise_name(name), normalise_name(klass or "")), []).append(cid)
        by_name.setdefault((normalise_name(name), ""), []).append(cid)
    result, planned, found_sheet = AidImport(), [], False
    for table in read_tables(path):
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
            try:
                planned.append(_row(values, by_no, by_name, gone, school_id))
            except CellError as exc:
                result.rejected.append((table.name, number, exc.reason, exc.params))
            except _BadRow as exc:
                result.rejected.append((table.name, number, exc.args[0], exc.args[1]))
    if not found_sheet:
        raise RosterFileError(N_("{file} has no sheet with the aid ledger's columns"), file=path.name)
    if result.rejected and not skip_invalid:
        return result
    for child_id, fields in planned:
        before = s.scalar(select(AidRecord.id).where(AidRecord.import_key == fields["import_key"]))
        record(uow, None, child_id=child_id, now=now, **fields)
        result.known += before is not None
        result.added += before is None
    uow.commit()
    result.written = True
    return result


@dataclass(frozen=True)
class _Left:
    """A child who left the school: their name and the school day they left (None when not recorded)."""

    name: str
    on: date | None


def _row(values: dict[str, Any], by_no: dict[str, int], by_name: dict[tuple[str, str], list[int]],
         gone: dict[int, _Left], school_id: int) -> tuple[int, dict[str, Any]]:
    no, name = clean_text(values.get("student_no")), clean_text(values.get("name"))
    if no:
        if no not in by_no:
            raise _BadRow(N_("no child with student number {value}"), {"value": no})
        child_id = by_no[no]
    else:
        ids = by_name.get((normalise_name(name or ""), normalise_name(clean_text(values.get("class")) or "")), [])
        # A namesake who left does not make the row ambiguous: aid goes to the child at school.
        at_school = [i for i in ids if i not in gone]
        if len(at_school) > 1 or (not at_school and len(ids) != 1):
            raise _BadRow(N_("no single child called {value} (give the student number)"), {"value": name or "—"})
        child_id = at_school[0] if at_school else ids[0]
    if child_id in gone:
        # A left child's ledger is history (as in chat, ``record``): a row for them is a mistake to correct.
        left = gone[child_id]
        if left.on is None:
            raise _BadRow(N_("{child} has left the school: no aid can be recorded for them"),
                          {"child": text(left.name)})
        raise _BadRow(N_("{child} left the school on {date}: no aid can be recorded for them"),
                      {"child": text(left.name), "date": day(left.on)})
    given_on = parse_date(values.get("date"))
    if given_on is None:
        raise _BadRow(N_("no date"), {})
    try:
        amount = amount_of(values.get("amount"))
    except ValueError as exc:
        raise _BadRow(N_("the amount {value} is not a number of yuan"), {"value": exc.args[0]}) from exc
    items = clean_text(values.get("items"))
    if amount is None and not items:
        raise _BadRow(N_("neither an amount nor items"), {})
    kind = kind_of(clean_text(values.get("kind")) or ("现金" if amount is not None and not items else ""))
    source, given_by = clean_text(values.get("source")), clean_text(values.get("given_by"))
    raw = f"{school_id}|{child_id}|{given_on}|{kind}|{amount}|{items}|{source}|{given_by}"
    key = "aid:" + hashlib.sha256(raw.encode()).hexdigest()
    return child_id, {"given_on": given_on, "kind": kind, "amount": amount, "items": items, "source": source,
                      "given_by": given_by, "import_key": key}
