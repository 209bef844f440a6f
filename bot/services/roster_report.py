"""What a roster import did: counts per kind of record, rejected rows, people left without a child."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.roster import RowError


@dataclass
class EntityCounts:
    """What an import did to one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def count(self, created: bool, before: Any, after: Any) -> None:
        """Count one record as created, updated (``before != after``) or unchanged."""
        if created:
            self.created += 1
        elif before != after:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass(frozen=True)
class DetachedPerson:
    """A person with a chat account whom an import left without any child.

    Attributes:
        person_id: ``Person.id``.
        roles: role values (:class:`Role`), in :class:`Role` order.
        masked_phone: ``138****6956`` (never the full number), or None.
    """

    person_id: int
    roles: tuple[str, ...]
    masked_phone: str | None


@dataclass
class ImportReport:
    """Outcome of :func:`import_roster`.

    Attributes:
        school: the school's name.
        children, people, relations, classes: created/updated/unchanged/removed counts
            (all zero when nothing was written).
        rejected: the bad rows, in file order.
        unrecognised_sheets: titles of sheets that are none of the four kinds.
        written: whether anything was committed.
        detached: people with a chat account who lost their last child relation
            in this import (alerts and check-ins about children no longer reach them).
        consent_granted, consent_total: the consent rate after the import; children
            without an answer are pending (``bot.services.consent``). Of the children in the file: those it
            no longer lists, kept until removals are applied, are not counted (``consent_not_in_file``).
        consent_not_in_file: the children left out of that count (names).
    """

    school: str = ""
    children: EntityCounts = field(default_factory=EntityCounts)
    people: EntityCounts = field(default_factory=EntityCounts)
    relations: EntityCounts = field(default_factory=EntityCounts)
    classes: EntityCounts = field(default_factory=EntityCounts)
    rejected: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # imported without the named pairing (unknown name)
    # Family members taken for (or nearly matching) a staff member: merged, kept, or to check (issue 9.4).
    identity_notes: list[RowError] = field(default_factory=list)
    # Of those near misses, the ones an earlier import noted and nothing changed since: one standing line.
    kept_apart: list[RowError] = field(default_factory=list)
    unrecognised_sheets: list[str] = field(default_factory=list)
    written: bool = False
    detached: list[DetachedPerson] = field(default_factory=list)
    erased_skipped: list[datetime] = field(default_factory=list)  # rows of children erased on request, not imported
    # Children and staff who left and are in the file again: skipped, or re-admitted (bot.services.roster_returning).
    returning: list[Any] = field(default_factory=list)
    readmitted: bool = False
    readmit_unknown: list[str] = field(default_factory=list)  # names after --readmit matching nobody returning
    # Who the file no longer lists, what was applied, pairing coverage (bot.services.roster_lifecycle.Lifecycle).
    lifecycle: Any = None
    # No 学校电话 on record after the import: alerts give this contact's mobile instead (or none: None) (issue 9).
    school_phone_missing: bool = False
    school_contact: str | None = None
    consent_granted: int = 0  # the school's active children with a guardian's consent, after the import
    consent_total: int = 0
    consent_not_in_file: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the use case
