"""The audit log (issue 10, item 3): record reads of a child's record and changes by staff; list them for admins.

Flows record what a person read or changed with :func:`record`, in the same
transaction as the read or the change, so an audit row exists exactly when
the action happened. Admins list a child's entries with ``/audit NAME``
(审计) in chat or ``guanai audit CHILD``; listing is itself audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from bot.domain.privacy import AuditAction
from bot.messages.prompt import N_
from bot.services.incident_roles import kept_away_ids
from bot.services.ports import UnitOfWork
from bot.store.models import AuditEntry, Child, Incident, Person

log = logging.getLogger(__name__)
LIST_LIMIT = 50  # entries shown in chat, newest first
COMMAND_LINE = N_("command line")
ACTION_LABELS = {
    AuditAction.VIEW_INCIDENT: N_("viewed an incident"),
    AuditAction.VIEW_CARD: N_("viewed the card"),
    AuditAction.VIEW_TALKS: N_("viewed the talk records"),
    AuditAction.VIEW_AUDIT: N_("viewed this audit log"),
    AuditAction.TALK_SAVED: N_("saved a talk record"),
    AuditAction.INCIDENT_REPORTED: N_("reported an incident"),
    AuditAction.INCIDENT_CLOSED: N_("closed an incident"),
    AuditAction.INCIDENT_EXCLUDED: N_("left someone out of an incident's chain"),
    AuditAction.INCIDENT_READMITTED: N_("let someone back into an incident's chain"),
    AuditAction.CONSENT_RECORDED: N_("entered a consent form"),
    AuditAction.EXPORT: N_("exported the record"),
    AuditAction.ERASED: N_("erased the record"),
    AuditAction.VIEW_PLAN: N_("viewed the education plan"),
    AuditAction.VIEW_AID: N_("viewed the aid records"),
    AuditAction.CARD_CORRECTED: N_("corrected the card"),
    AuditAction.PLAN_RECORDED: N_("changed the education plan"),
    AuditAction.AID_RECORDED: N_("recorded aid given"),
    AuditAction.TASK_CLOSED: N_("closed a task with an outcome"),
    AuditAction.PHONE_REFUSED: N_("typed a guardian's number that is another person's (refused)"),
}


@dataclass(frozen=True)
class Entry:
    """One audit entry as shown to an admin."""

    at: datetime
    actor: str | None  # the person's name; None for the command line
    action: str
    channel: str
    detail: dict[str, Any]


def record(uow: UnitOfWork, *, actor_id: int | None, action: AuditAction, child_id: int | None, channel: str,
           now: datetime, **detail: int | str) -> None:
    """Append one entry (the caller commits with the action itself).

    Args:
        uow: the unit of work of the read or the change.
        actor_id: who (None: the command line).
        action: what.
        child_id: which child (None when no child is concerned).
        channel: from where: a ``Channel`` value, or ``cli``.
        now: UTC now.
        detail: ids and enum values only (``incident=3``), never names or free text.
    """
    uow.session.add(AuditEntry(at=now, actor_id=actor_id, action=action.value, child_id=child_id, channel=channel,
                               detail=dict(detail) or None))
    uow.session.flush()
    log.info("audit: person %s %s child %s via %s", actor_id, action.value, child_id, channel)


def record_export(uow: UnitOfWork, *, actor_id: int | None, school_id: int, kind: str, channel: str, now: datetime,
                  per_child: bool, children: Iterable[int] | None = None, safeguarding: bool = False) -> None:
    """An export of children's records: one entry per child it covers (``per_child``), else one entry.

    ``safeguarding``: the export includes safeguarding reports on explicit request (``guanai export 事件
    --safeguarding``): ``detail.safeguarding`` says so on every entry.

    The children are ``children`` when given (a class's invite sheet names
    only some), else every active child of the school. The rows go in one
    statement; a school has at most a few hundred children.
    """
    child_ids: list[int | None]
    if not per_child:
        child_ids = [None]
    elif children is not None:
        child_ids = list(dict.fromkeys(children))
    else:
        child_ids = list(uow.session.scalars(
            select(Child.id).where(Child.school_id == school_id, Child.active.is_(True))))
    if not child_ids:
        child_ids = [None]  # a sheet of staff only: still one entry saying it was made
    uow.session.execute(insert(AuditEntry), [
        {"at": now, "actor_id": actor_id, "action": AuditAction.EXPORT.value, "child_id": c, "channel": channel,
         "detail": {"kind": kind, **({"safeguarding": True} if safeguarding else {})}} for c in child_ids])
    log.info("audit: person %s exported %s (%s children) via %s", actor_id, kind, len(child_ids), channel)


def incident_child(uow: UnitOfWork, incident_id: int) -> int | None:
    """The child an incident is about (for its audit entries)."""
    return uow.session.scalar(select(Incident.child_id).where(Incident.id == incident_id))


def hidden_incidents(uow: UnitOfWork, child_id: int, reader_id: int | None) -> set[int]:
    """The child's incidents the reader is kept away from (:func:`bot.services.incident_roles.kept_away_ids`).

    Their entries are not listed to that reader, nor counted: the principal left out of an abuse report as the
    accused, or who is the child's mother, must not find 「李老师 — 报告了突发事件」 in ``/audit`` (fix9s).
    """
    if reader_id is None:
        return set()
    return {i for i in uow.session.scalars(select(Incident.id).where(Incident.child_id == child_id))
            if reader_id in kept_away_ids(uow, i)}


def _shown(entry: AuditEntry, hidden: set[int]) -> bool:
    incident = (entry.detail or {}).get("incident")
    return incident is None or int(incident) not in hidden


def entries(uow: UnitOfWork, child_id: int, *, limit: int | None = LIST_LIMIT,
            reader_id: int | None = None) -> list[Entry]:
    """A child's audit entries, newest first; to ``reader_id``, none about an incident kept from them."""
    hidden = hidden_incidents(uow, child_id, reader_id)
    query = (select(AuditEntry, Person.name).outerjoin(Person, Person.id == AuditEntry.actor_id)
             .where(AuditEntry.child_id == child_id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if limit is not None and not hidden:
        query = query.limit(limit)
    rows = [Entry(e.at, name, e.action, e.channel, e.detail or {})
            for e, name in uow.session.execute(query) if _shown(e, hidden)]
    return rows[:limit] if limit is not None else rows


def count(uow: UnitOfWork, child_id: int, *, reader_id: int | None = None) -> int:
    """How many entries a child has (to ``reader_id``: those :func:`entries` may list to them)."""
    hidden = hidden_incidents(uow, child_id, reader_id)
    if hidden:
        return sum(1 for e in uow.session.scalars(select(AuditEntry).where(AuditEntry.child_id == child_id))
                   if _shown(e, hidden))
    return int(uow.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.child_id == child_id)) or 0)
