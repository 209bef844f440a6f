"""Use case: import a school roster (``guanai import FILE``).

Input (see :mod:`bot.domain.roster` for the columns):

* ``.xlsx``: every sheet; each is recognised by its header columns (children
  花名册, staff 教职工, classes 班级, school 学校). Sheets that are none of
  these are skipped and listed in the report. Merged cells carry their
  top-left value in every cell of the range.
* ``.csv``: one sheet, recognised by its header the same way; UTF-8 (with or
  without BOM) or GBK (read as GB 18030, its superset).
* a folder: every ``.csv`` and ``.xlsx`` in it, in name order, as one import —
  the way to bring all four sheets in as CSV.

Names in one sheet are looked up in the same import first and in the
database second, so a children CSV alone can be imported once the school,
classes and staff are there. Without a school sheet the database must hold
exactly one school.

Re-importing updates and never duplicates: people are recognised by
``Person.natural_key`` (see :mod:`bot.services.roster_check`), children by (school, 学籍号), classes by (school, name),
relations by (child, kind, person or related child). The relations of every
imported child are made to match the file (relations no longer in it are
removed). Nothing else is deleted: children and staff absent from the file
are listed (``report.lifecycle``) and leave only when the import is asked to
apply removals (``guanai import --apply-removals``, after a confirmation:
:mod:`bot.services.roster_lifecycle`).
A child or staff member who left and is in the file again is not re-admitted
silently: their rows are skipped and named (``report.returning``) unless the
import is asked to re-admit them (``--readmit``: :mod:`bot.services.roster_returning`).

A family member whose phone changed is the same person: when a known child's
entrusted guardian, father or mother in the file has no match by natural key,
but the child's current guardian (father, mother) in the database has the same
name, that person is kept — phone and natural key updated in place, so chat
accounts, invites and history stay attached — and counted as updated. Only
another name (or a name and phone already known as someone else) makes or
picks another person. A person with a chat account whom the import leaves
without any child is listed in :attr:`ImportReport.detached`, so the admin can
check before alerts and check-ins stop reaching them.

The import streams (issue 7, item 6): the file's rows are read as they are
parsed (:func:`bot.adapters.roster_files.open_tables`), the children's parsed
rows go to an encrypted temporary file (:class:`bot.adapters.roster_spill.ChildSpill`)
and are read back for each step. What must span the whole roster — 学籍号s
(duplicates), the planned people (siblings share their guardian and parents),
and the ids written — is kept in a private staging SQLite database
(:class:`bot.adapters.roster_stage.RosterStage`), not in dictionaries.
Everything is checked before anything is written (all or nothing), then
written in one transaction by chunks of 5,000 rows. A re-import does not
preload the school: the known children, people and relations are asked for a
chunk of rows at a time (:class:`bot.services.roster_known.KnownRows`); only
the school's staff and classes are held. So memory does not grow with the
file. Figures: README, performance section. An .xlsx is streamed (openpyxl
read-only) but openpyxl reads ~2,000 rows/s, so CSV is the faster route for
such volumes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.adapters.roster_files import RosterLimits, open_tables
from bot.adapters.roster_spill import ChildSpill
from bot.adapters.roster_stage import RosterStage
from bot.domain.roster import ParsedRoster, RosterFileError, parse_tables
from bot.domain.roster_cells import match_key
from bot.messages.prompt import N_
from bot.services import consent, relations, roster_lifecycle, roster_returning
from bot.services.ports import UnitOfWork
from bot.services.roster_check import staff_key
from bot.services.roster_report import ImportReport
from bot.services.roster_sql import CHUNK
from bot.services.roster_write import RosterImport
from bot.services.school_number import school_phone
from bot.store.models import Child, Person

log = logging.getLogger(__name__)


def import_roster(uow: UnitOfWork, path: Path, *, now: datetime, default_timezone: str,
                  skip_invalid: bool = False, limits: RosterLimits | None = None,
                  confirm_removals: Callable[[roster_lifecycle.Lifecycle], bool] | None = None,
                  school_name: str | None = None, restore_erased: bool = False,
                  readmit: bool | Collection[str] = False) -> ImportReport:
    """Import a roster file into the database and commit.

    Args:
        uow: the unit of work; committed when something is written.
        path: ``.xlsx``, ``.csv`` or a folder of them (see module doc).
        now: aware current time; birth dates after today (in any zone) are rejected.
        default_timezone: the zone of a school the file creates without a 时区 row
            (``settings.timezone``, ``GUANAI_TIMEZONE``).
        skip_invalid: import the good rows and list the bad ones; by default
            nothing is written when any row is bad.
        limits: file size, rows and merged cells allowed (default :class:`RosterLimits`).
        confirm_removals: with it, the children and staff the file no longer
            lists are shown to it (``--apply-removals``) and, when it returns
            True, they leave (:func:`bot.services.roster_lifecycle.apply_removals`);
            without it they are only listed in ``report.lifecycle``.
        school_name: the school of a file that has no school sheet (only its
            花名册): found by name or created (``--school``, ``GUANAI_SCHOOL_NAME``).
        restore_erased: import the rows of children erased on request (``--restore-erased``)
            and forget that they were; by default those rows are skipped and counted in
            ``report.erased_skipped`` (:mod:`bot.services.erased_children`).
        readmit: write the rows of children and staff who left (``--readmit``: True for all of them, or
            their names, ``--readmit 胥龙``) and record each re-admission; by default those rows are
            skipped and named in ``report.returning``
            (:mod:`bot.services.roster_returning`).

    Returns:
        The report. ``written`` is False when rows were rejected without
        ``skip_invalid`` (the counts are then zero).

    Raises:
        RosterFileError: the file cannot be imported at all.
    """
    with open_tables(path, limits) as tables:
        sheet_order = {t.name: i for i, t in enumerate(tables)}
        # UTC+14 is the earliest calendar on earth: no school zone sees a later "today".
        # The rows are read as they are parsed, and the children's go to an encrypted temporary file.
        parsed = parse_tables(tables, today=(now + timedelta(hours=14)).date(), children=ChildSpill)
    try:
        return _import(uow, path, parsed, sheet_order, now=now, default_timezone=default_timezone,
                       skip_invalid=skip_invalid, confirm_removals=confirm_removals, school_name=school_name,
                       restore_erased=restore_erased, readmit=readmit)
    finally:
        _close(parsed.children)


def _close(rows: object) -> None:
    if isinstance(rows, ChildSpill):
        rows.close()


def _import(uow: UnitOfWork, path: Path, parsed: ParsedRoster, sheet_order: dict[str, int], *, now: datetime,
            default_timezone: str, skip_invalid: bool,
            confirm_removals: Callable[[roster_lifecycle.Lifecycle], bool] | None,
            school_name: str | None, restore_erased: bool = False,
            readmit: bool | Collection[str] = False) -> ImportReport:
    if not (parsed.school or parsed.staff or parsed.classes or parsed.children or parsed.errors):
        raise RosterFileError(N_("{file} has no sheet with the roster's columns"), file=path.name)
    report = ImportReport(unrecognised_sheets=parsed.unrecognised)
    if parsed.school_errors:
        report.rejected = parsed.errors
        return report
    plan = RosterImport(uow, parsed, report, default_timezone=default_timezone, school_name=school_name)
    plan.restore_erased = restore_erased
    plan.readmit = bool(readmit)
    if readmit is not True and readmit:  # by name: only those (issue 9)
        plan.readmit_names = {match_key(name) for name in readmit}
    try:
        return _write(uow, plan, parsed, sheet_order, report, now=now, skip_invalid=skip_invalid,
                      confirm_removals=confirm_removals, restore_erased=restore_erased)
    finally:
        plan.stage.close()
        _close(plan.children if hasattr(plan, "children") else None)


def _write(uow: UnitOfWork, plan: RosterImport, parsed: ParsedRoster, sheet_order: dict[str, int],
           report: ImportReport, *, now: datetime, skip_invalid: bool,
           confirm_removals: Callable[[roster_lifecycle.Lifecycle], bool] | None,
           restore_erased: bool) -> ImportReport:
    plan.validate(ChildSpill)
    report.rejected.sort(key=lambda e: (sheet_order.get(e.sheet, len(sheet_order)), e.row))
    if report.rejected and not skip_invalid:
        _close(plan.children)
        return report
    before = roster_lifecycle.class_teacher_tasks(uow, school_id=plan.school.id) if plan.school.id else []
    plan.write(now)
    _close(plan.children)
    if restore_erased:
        plan.erased.forget_matched(uow.session)  # restored: a later import treats them as any child
    if plan.school.started_at is None:
        plan.school.started_at = now  # nothing is called missing before this (issue 9, item 2)
    # A relation the file no longer has takes its planned work with it (check-ins, reminders, phone tasks).
    relations.relations_ended(uow.session, plan.ended_relations, now=now)
    sid = plan.school.id
    if any(r.readmit for r in report.returning):
        roster_returning.readmit(uow, report.returning, school_id=sid, now=now)
        report.readmitted = True
    if plan.readmit_names:  # a name after --readmit that is nobody who left and is in the file: said
        back = {match_key(r.name) for r in report.returning if r.readmit}
        report.readmit_unknown = sorted(n for n in plan.readmit_names if n not in back)
    class_handed = roster_lifecycle.hand_class_tasks(uow, before, school_id=sid, now=now)
    found = roster_lifecycle.missing(
        uow, school_id=sid, child_ids=_children_in_file(uow, sid, plan.stage) if parsed.children else None,
        staff_ids=_ids(uow, Person, sid, {staff_key(sid, r.role, r.name) for r in parsed.staff}, "natural_key")
        if parsed.staff else None)
    found.class_handed = class_handed
    if confirm_removals is not None and (found.children or found.staff) and confirm_removals(found):
        roster_lifecycle.apply_removals(uow, found, school_id=sid, now=now)
        roster_lifecycle.still_named(found, parsed.children)  # 花名册 rows naming a volunteer who just left
    roster_lifecycle.mark_unable_to_guard(uow, school_id=sid)
    if not plan.school.phone:  # alerts still give a number at the school: an admin's, named as such (issue 9)
        number = school_phone(uow, sid)
        report.school_phone_missing, report.school_contact = True, number.contact if number else None
    # After the removals: the rate counts the children still at school. By chunks: a city's roster is long.
    consenting: list[dict[str, Any]] = []
    skipped = {r.student_no for r in report.returning if r.kind == "child" and not r.readmit}
    for c in parsed.children:
        if c["consent"] is True and match_key(c["student_no"]) not in skipped:  # a skipped row writes nothing
            consenting.append({"student_no": match_key(c["student_no"]), "consent": True})
        if len(consenting) >= CHUNK:
            consent.record_from_roster(uow, school_id=sid, now=now, rows=consenting)
            consenting.clear()
    consent.record_from_roster(uow, school_id=sid, now=now, rows=consenting)
    report.consent_granted, report.consent_total = consent.rate(uow, sid)
    if found.children and not found.applied:
        # Children the file no longer lists stay until removals are applied; the summary counts the file's
        # children and names those apart ("all 122" for a file of 121 said otherwise, issue 9).
        granted, total = consent.rate_of(uow, [c.id for c in found.children])
        report.consent_granted, report.consent_total = report.consent_granted - granted, report.consent_total - total
        report.consent_not_in_file = [c.name for c in found.children]
    uow.commit()
    roster_lifecycle.coverage(uow, found, school_id=sid)
    report.lifecycle = found
    report.written = True
    log.info(
        "roster imported: school=%s children=%s people=%s relations=%s classes=%s rejected=%d",
        plan.school.id,
        report.children,
        report.people,
        report.relations,
        report.classes,
        len(report.rejected),
    )
    return report




class _InFile:
    """The school's children whose 学籍号 the file holds, as a container of ids (answered by the stage)."""

    def __init__(self, stage: RosterStage) -> None:
        self.stage = stage

    def __contains__(self, child_id: object) -> bool:
        return self.stage.in_file(child_id)


def _children_in_file(uow: UnitOfWork, school_id: int, stage: RosterStage) -> _InFile:
    """The school's children whose 学籍号 the file holds (streamed: the school's children are never all in memory)."""
    rows = uow.session.execute(select(Child.id, Child.student_no).where(Child.school_id == school_id)
                               .execution_options(yield_per=CHUNK))
    for part in rows.partitions():
        found = stage.numbers_in_file([no for _id, no in part])
        stage.add_file_children(child_id for child_id, no in part if no in found)
    return _InFile(stage)


def _ids(uow: UnitOfWork, model: Any, school_id: int, keys: set[str], column: str) -> set[int]:
    """Ids of the school's rows (children by 学籍号, people by natural key) whose key is in ``keys``."""
    rows = uow.session.execute(select(model.id, getattr(model, column)).where(model.school_id == school_id)
                               .execution_options(yield_per=5_000))
    return {row_id for row_id, key in rows if key in keys}
