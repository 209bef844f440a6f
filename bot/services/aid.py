"""Aid records (资助): what a child was given — date, kind, amount or items, source, given by — in chat or imported.

The child's class teacher and the school's admins and leaders record aid and
see a child's ledger (the full card's people: :func:`bot.services.cards.may_correct`).
An import (:mod:`bot.services.aid_import`) reads a sheet with the columns 学籍号
(or 姓名 and 班级), 日期, 类别, 金额, 物品, 来源, 发放人 and adds each row once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from bot.domain.enums import AidKind
from bot.domain.roster_cells import clean_text
from bot.messages.prompt import N_
from bot.services import cards, left_school
from bot.services.identity import Actor
from bot.services.ports import UnitOfWork
from bot.store.models import AidRecord, Child

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
LEDGER_HEADER = ("学籍号", "姓名", "班级", "日期", "类别", "金额（元）", "物品", "来源", "发放人")
"""The aid ledger's columns, as ``/export 资助`` writes them and ``guanai aid import`` reads them (one layout)."""
COLUMNS = {"学籍号": "student_no", "姓名": "name", "班级": "class", "日期": "date", "发放日期": "date",
           "类别": "kind", "资助类别": "kind", "金额": "amount", "金额（元）": "amount", "金额(元)": "amount",
           "物品": "items", "来源": "source", "资助来源": "source", "发放人": "given_by"}


MAX_AMOUNT = Decimal("10000000")
"""No aid record is more yuan than this (a typing slip, not aid)."""
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


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
        ValueError: not an amount of yuan — 0 or less, more than two decimals (分), too large, not a number.
    """
    text = clean_text(value)
    if text is None:
        return None
    try:
        amount = Decimal(text.replace("￥", "").replace("¥", "").replace("元", "").replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    # NaN and Infinity parse but neither compare (NaN raises) nor quantize: no amount.
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
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
           import_key: str | None = None, left_on: date | None = None) -> int | None:
    """Add an aid record; returns its id (the existing one for a known ``import_key``), None when refused.

    ``left_on``: for a child who left, the school day they left; aid given up to it is recorded by the
    school's leaders and admins (those who still read the ledger), later aid never.
    """
    s = uow.session
    if import_key is not None:
        existing = s.scalar(select(AidRecord.id).where(AidRecord.import_key == import_key))
        if existing is not None:
            return existing
    child = s.get(Child, child_id)
    if child is None or (actor is not None and child.active and not cards.may_correct(uow, actor, child)):
        return None
    # A child who left: only aid given while at school, and only by those who still read the ledger.
    if actor is not None and not child.active and (
            left_on is None or given_on > left_on or not left_school.readable(actor, child, talks=False)):
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
