"""Consent figures for reports and the CLI: the rate per school, children without consent, finding a child."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from bot.domain.privacy import ConsentStatus
from bot.messages.prompt import N_
from bot.services import consent
from bot.services.consent import FAMILY_KINDS
from bot.services.ports import UnitOfWork
from bot.store.models import Child, ChildRelation, School, SchoolClass

CONSENT_STATUS_LABELS = {
    ConsentStatus.PENDING: N_("not answered yet"),
    ConsentStatus.GRANTED: N_("agreed"),
    ConsentStatus.DECLINED: N_("declined"),
    ConsentStatus.WITHDRAWN: N_("withdrawn"),
}


@dataclass(frozen=True)
class ChildRow:
    """A child as the CLI lists it."""

    id: int
    name: str
    class_name: str | None
    student_no: str
    status: ConsentStatus = ConsentStatus.PENDING

    @property
    def status_label(self) -> str:
        """The status's message id."""
        return CONSENT_STATUS_LABELS[self.status]


@dataclass
class SchoolConsent:
    """One school's figures: active children per status, and those without consent."""

    name: str
    total: int = 0
    granted: int = 0
    pending: int = 0
    declined: int = 0
    withdrawn: int = 0
    without: list[ChildRow] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Consent rate in whole percent (0 for a school without children)."""
        return round(100 * self.granted / self.total) if self.total else 0


def _rows(uow: UnitOfWork, *conditions: object) -> list[ChildRow]:
    rows = uow.session.execute(
        select(Child.id, Child.name, SchoolClass.name, Child.student_no)
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(Child.school_id, SchoolClass.id, Child.name, Child.id)
    ).all()
    found = consent.statuses(uow, [r[0] for r in rows])
    return [ChildRow(r[0], r[1], r[2], r[3], found[r[0]]) for r in rows]


def by_school(uow: UnitOfWork) -> list[SchoolConsent]:
    """Every school's figures over its active children."""
    out = []
    for school in uow.session.scalars(select(School).order_by(School.id)):
        figures = SchoolConsent(school.name)
        for row in _rows(uow, Child.school_id == school.id, Child.active.is_(True)):
            figures.total += 1
            setattr(figures, row.status.value, getattr(figures, row.status.value) + 1)
            if row.status is not ConsentStatus.GRANTED:
                figures.without.append(row)
        out.append(figures)
    return out


def find_children(uow: UnitOfWork, query: str, *, active_only: bool = True) -> list[ChildRow]:
    """Children (active ones only, unless ``active_only`` is False) matching a name, a student number or ``#id``."""
    q = query.strip()
    active = (Child.active.is_(True),) if active_only else ()
    if q.startswith("#") and q[1:].isdigit() and len(q) <= 10:
        return _rows(uow, Child.id == int(q[1:]), *active)
    return _rows(uow, or_(Child.name == q, Child.student_no == q), *active)


def family_of(uow: UnitOfWork, child_id: int) -> set[int]:
    """Ids of the child's entrusted guardians and parents on the roster."""
    return set(uow.session.scalars(select(ChildRelation.person_id).where(
        ChildRelation.child_id == child_id, ChildRelation.kind.in_(FAMILY_KINDS),
        ChildRelation.person_id.is_not(None))))
