"""The aid ledger (资助台账) as a worksheet: one row per aid record of a period (``/export 资助``, issue 9).

For whoever sees the children's whole cards (:func:`bot.services.cards.full_filter`): the school's
leaders and admins every child's, a safeguarding lead who is a class teacher her class's; officials
never get it, since each row names a child (``bot.services.export_files``). Dates stay dates and the
amount a number of yuan (empty for goods given without a value). The columns are
those ``guanai aid import`` reads (:data:`bot.services.aid.LEDGER_HEADER`), so an
exported ledger imports again, adding nothing twice. Rows run by class, child
and date, as a school files the ledger.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from bot.domain.classes import class_sort_key
from bot.domain.enums import AidKind
from bot.domain.figures import ReportPeriod
from bot.domain.tables import Cell, Sheet
from bot.i18n import gettext
from bot.messages.prompt import N_
from bot.services.aid import KIND_LABELS, LEDGER_HEADER
from bot.services.ports import UnitOfWork
from bot.store.models import AidRecord, Child, SchoolClass

NO_AID_YET = N_("No aid was recorded in this period, so the aid ledger would be empty. Record aid with /aid and "
                "the child's name, or add 学期 or 学年 for the term or the school year.")


def aid_children(uow: UnitOfWork, school_id: int, period: ReportPeriod,
                 scope: ColumnElement[bool] | None = None) -> list[int]:
    """The children (in ``scope``, a condition on Child) with an aid record of the school dated in ``period``."""
    return list(uow.session.scalars(
        select(AidRecord.child_id).distinct().join(Child, Child.id == AidRecord.child_id)
        .where(AidRecord.school_id == school_id, AidRecord.given_on.between(period.first, period.last),
               true() if scope is None else scope)))


def aid_ledger_sheet(uow: UnitOfWork, school_id: int, period: ReportPeriod, locale: str,
                     scope: ColumnElement[bool] | None = None) -> Sheet:
    """The school's aid records dated in ``period``: 学籍号, child, class, date, kind, yuan, items, source, given by.

    ``scope`` (a condition on :class:`Child`, None for the whole school): the children whose card the
    requester sees (``bot.services.export_files``).
    """
    def t(message_id: str) -> str:
        return gettext(locale, message_id)

    found = uow.session.execute(
        select(AidRecord, Child.name, Child.student_no, SchoolClass.name).join(Child, Child.id == AidRecord.child_id)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(AidRecord.school_id == school_id, AidRecord.given_on.between(period.first, period.last),
               true() if scope is None else scope)
    ).all()
    found = sorted(found, key=lambda r: (class_sort_key(r[3]), r[1], r[0].given_on, r[0].id))
    rows: list[list[Cell]] = []
    for record, child, student_no, class_name in found:
        label = next((lab for k, lab in KIND_LABELS.items() if k.value == record.kind), KIND_LABELS[AidKind.OTHER])
        rows.append([student_no, child, class_name, record.given_on, t(label),
                     float(record.amount) if record.amount is not None else None, record.items, record.source,
                     record.given_by])
    # The import's own columns (aid.LEDGER_HEADER): the file goes back in with guanai aid import unchanged.
    title = t(N_("Aid {period}")).format(period=period.label)
    return Sheet(title, list(LEDGER_HEADER), rows, widths=[16, 10, 14, 12, 12, 12, 24, 16, 12])
