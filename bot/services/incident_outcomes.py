"""The close outcomes of one incident in the order the closer reads them (:mod:`bot.domain.incident_place`)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from bot.domain.enums import IncidentOutcome
from bot.domain.incident_place import at_school, outcome_order
from bot.services import school_year
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident


def ordered(uow: UnitOfWork, incident_id: int, timezone: str) -> list[IncidentOutcome]:
    """The outcomes, the likeliest first: at home first for ``放学路上`` on a Friday evening (LOW-9)."""
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        return outcome_order("", school=True)
    child = uow.session.get(Child, incident.child_id)
    reported = incident.reported_at if incident.reported_at.tzinfo else incident.reported_at.replace(tzinfo=UTC)
    local = reported.astimezone(ZoneInfo(timezone))
    school_day = child is not None and school_year.is_school_day(uow, child.school_id, local.date())
    boarding = bool(child is not None and child.boarding)
    return outcome_order(incident.kind, school=at_school(incident.description, local, school_day=school_day,
                                                         boarding=boarding))
