"""`guanai import FILE [--skip-invalid]`: import a roster into ``GUANAI_DATABASE_URL``.

Prints a summary (children, people, relations, classes: created, updated,
unchanged, removed; rejected rows), a warning for every person with a chat
account whom the import left without any child (id, roles, masked phone), and
every rejected row as sheet, row, column and reason, in the settings' default
locale.

Exit codes: 0 when every row was imported; 1 when any row was rejected (with
``--skip-invalid`` too, after the good rows were written); 2 when the file
could not be imported at all (missing, unreadable, no roster sheet, no school)
or the database cannot be reached.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from bot.commands.output import database_problem, role_list, say
from bot.domain.roster import RosterFileError
from bot.messages.prompt import N_, msg, plural, text
from bot.store.db import DatabaseUrlError

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_FILE_ERROR = 2

log = logging.getLogger(__name__)

COUNTS = {
    "children": N_("Children: {created} created, {updated} updated, {unchanged} unchanged, {removed} removed"),
    "people": N_("People: {created} created, {updated} updated, {unchanged} unchanged, {removed} removed"),
    "relations": N_("Relations: {created} created, {updated} updated, {unchanged} unchanged, {removed} removed"),
    "classes": N_("Classes: {created} created, {updated} updated, {unchanged} unchanged, {removed} removed"),
}


def cmd_import(args: argparse.Namespace) -> int:
    """Run the import command; returns the exit code (see module doc)."""
    from bot.adapters.roster_files import RosterLimits
    from bot.bootstrap import build
    from bot.config import load_settings, roster_limits
    from bot.services.roster import import_roster
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    path = Path(args.file)
    try:
        prepare_database(settings.database_url)
    except (DatabaseUrlError, OperationalError) as exc:
        _unusable(locale, settings.database_url, exc)
        return EXIT_FILE_ERROR
    container = build(settings)
    try:
        with container.uow() as uow:
            confirm = _confirmer(args, locale) if getattr(args, "apply_removals", False) else None
            report = import_roster(uow, path, now=container.clock.now(), skip_invalid=args.skip_invalid,
                                   default_timezone=settings.timezone, confirm_removals=confirm,
                                   school_name=getattr(args, "school", None) or settings.school_name or None,
                                   restore_erased=getattr(args, "restore_erased", False),
                                   readmit=_readmit(getattr(args, "readmit", None)),
                                   limits=RosterLimits(**roster_limits(settings)))
    except RosterFileError as exc:
        say(locale, N_("Cannot import {file}: {reason}"), file=text(path.name),
            reason=msg(exc.message_id, **exc.params))
        return EXIT_FILE_ERROR
    except OperationalError as exc:  # the connection dropped during the import: nothing was committed
        _unusable(locale, settings.database_url, exc)
        return EXIT_FILE_ERROR
    finally:
        container.engine.dispose()
    print_report(report, path, locale, verbose=getattr(args, "verbose", False))
    return EXIT_REJECTED if report.rejected else EXIT_OK


def _readmit(given: list[str] | None) -> bool | list[str]:
    """``--readmit`` alone: everyone who left and is in the file (True); ``--readmit NAME``…: those named."""
    if not given:
        return False
    names = [n for n in given if n.strip()]
    return True if len(names) < len(given) else names


def print_report(report: Any, path: Path, locale: str, *, verbose: bool = False) -> None:
    """Print the summary and the rejected rows of an :class:`~bot.services.roster.ImportReport`.

    ``verbose`` (``guanai import --verbose``): every pairing warning on its own line, not one line per name.
    """
    for sheet in report.unrecognised_sheets:
        say(locale, N_("Sheet {sheet} has none of the roster's column sets and was skipped."), sheet=text(sheet))
    if report.written:
        say(locale, N_("Imported {file} into {school}."), file=text(path.name), school=text(report.school))
    else:
        say(locale, N_("Nothing was imported from {file}."), file=text(path.name))
    for attr, message_id in COUNTS.items():
        c = getattr(report, attr)
        say(locale, message_id, created=c.created, updated=c.updated, unchanged=c.unchanged, removed=c.removed)
    for d in report.detached:
        say(
            locale,
            N_("Warning: person #{id} ({roles}, phone {phone}) has a chat account but no child any more; "
               "check that the roster is right."),
            id=d.person_id,
            roles=text(role_list(locale, d.roles)),
            phone=text(d.masked_phone) if d.masked_phone else msg(N_("none on record")),
        )
    if report.erased_skipped:
        message_id, params = plural(
            "{count} child was erased on request on {dates} and was not imported again; if they must be restored, "
            "run again with --restore-erased.",
            "{count} children were erased on request on {dates} and were not imported again; if they must be "
            "restored, run again with --restore-erased.", len(report.erased_skipped),
            count=len(report.erased_skipped),
            dates=text(", ".join(sorted({d.date().isoformat() for d in report.erased_skipped}))))
        say(locale, message_id, **params)
    print_returning(report, locale)
    if report.written and report.school_phone_missing:
        if report.school_contact:
            say(locale, N_("Warning: no school phone (学校电话) is on record for {school}: alerts and emergency "
                           "answers give {name}'s mobile instead, as the school contact. Add a 学校电话 row to the "
                           "学校 sheet."), school=text(report.school), name=text(report.school_contact))
        else:
            say(locale, N_("Warning: no school phone (学校电话) is on record for {school} and no admin or leader "
                           "has a phone number: alerts give no number at the school. Add a 学校电话 row to the "
                           "学校 sheet."), school=text(report.school))
    print_warnings(report.warnings, locale, verbose=verbose, written=report.written)
    for e in report.identity_notes:
        say(locale, N_("Note: {sheet}, row {row}, column {column}: {reason}"),
            sheet=text(e.sheet), row=e.row, column=text(e.column),
            reason=msg(e.reason, **{k: v if isinstance(v, (int, dict)) else text(str(v)) for k, v in e.params.items()}))
    if report.kept_apart:  # noted in full at an earlier import, unchanged since: said once, briefly (issue 9)
        say(locale, N_("Still kept apart as two people, as noted at an earlier import: {names} (a family member "
                       "with the name or phone number of a staff member). If one of them is the staff member, "
                       "write the same name and phone number in both sheets."),
            names=text(", ".join(str(e.params.get("value", "")) for e in report.kept_apart)))
    if report.lifecycle is not None:
        print_lifecycle(report.lifecycle, locale)
    if report.written and report.consent_total and report.consent_granted >= report.consent_total:
        message_id, params = plural("Guardian consent is recorded for the {total} child.",
                                    "Guardian consent is recorded for all {total} children.", report.consent_total,
                                    total=report.consent_total)
        say(locale, message_id, **params)
    elif report.written:  # 0 of 122 is no failure: what it means and what to do, not a bare rate (issue 9)
        message_id, params = plural(
            "Guardian consent is recorded for {granted} of {total} child ({percent}%). Until a child's guardian "
            "agrees, that child gets no weekly check-ins and no talk records. Guardians are asked when they join in "
            "chat; signed paper forms go in a 监护人同意 column or are entered with guanai consent CHILD --agree "
            "(guanai consent --pending lists the children waiting).",
            "Guardian consent is recorded for {granted} of {total} children ({percent}%). Until a child's guardian "
            "agrees, that child gets no weekly check-ins and no talk records. Guardians are asked when they join in "
            "chat; signed paper forms go in a 监护人同意 column or are entered with guanai consent CHILD --agree "
            "(guanai consent --pending lists the children waiting).", report.consent_total,
            granted=report.consent_granted, total=report.consent_total,
            percent=round(100 * report.consent_granted / report.consent_total) if report.consent_total else 0)
        say(locale, message_id, **params)
    if report.written and report.consent_not_in_file:  # counted apart: the file's children above (issue 9)
        names = report.consent_not_in_file
        shown = ("、" if locale.startswith("zh") else ", ").join(names[:5]) + ("…" if len(names) > 5 else "")
        message_id, params = plural("Not counted above: {count} child not in the file ({names}).",
                                    "Not counted above: {count} children not in the file ({names}).", len(names),
                                    count=len(names), names=text(shown))
        say(locale, message_id, **params)
    say(locale, N_("Rejected rows: {count}"), count=len(report.rejected))
    for e in report.rejected:
        say(
            locale,
            N_("{sheet}, row {row}, column {column}: {reason}"),
            sheet=text(e.sheet),
            row=e.row,
            column=text(e.column),
            reason=msg(e.reason, **{k: v if isinstance(v, (int, dict)) else text(str(v)) for k, v in e.params.items()}),
        )
    if report.rejected and not report.written:
        say(
            locale,
            N_("Nothing was written because of the rejected rows. Correct them, or run again with --skip-invalid "
               "to import the good rows."),
        )


def print_warnings(warnings: list[Any], locale: str, *, verbose: bool = False, written: bool = True) -> None:
    """Print the pairing cells that match nobody: one line per name and column with its rows, or one per cell.

    The sample roster's 244 cells made 244 lines (issue 9); ``verbose`` (``--verbose``) lists each cell.
    ``written`` False (rejected rows, nothing imported): the consequence is said as what an import would do,
    not "imported without this pairing" under "Nothing was imported" (breakB).
    """

    def reason(e: Any) -> Any:
        return msg(e.reason, **{k: v if isinstance(v, (int, dict)) else text(str(v)) for k, v in e.params.items()})

    if verbose:
        one = (N_("Warning: {sheet}, row {row}, column {column}: {reason} — imported without this pairing.")
               if written else
               N_("Warning: {sheet}, row {row}, column {column}: {reason} — once imported, this pairing would be "
                  "left out."))
        for e in warnings:
            say(locale, one, sheet=text(e.sheet), row=e.row, column=text(e.column), reason=reason(e))
        return
    groups: dict[tuple[str, str, str, str], list[Any]] = {}
    for e in warnings:
        groups.setdefault((e.sheet, e.column, e.reason, repr(sorted(e.params.items()))), []).append(e)
    for (sheet, column, _r, _p), rows in groups.items():
        numbers = [str(e.row) for e in rows]
        shown = ("、" if locale.startswith("zh") else ", ").join(numbers[:10]) + ("…" if len(numbers) > 10 else "")
        message_id, params = plural(
            "Warning: {sheet}, column {column}: {reason} — {count} row ({rows}) imported without this pairing.",
            "Warning: {sheet}, column {column}: {reason} — {count} rows ({rows}) imported without this pairing.",
            len(rows), sheet=text(sheet), column=text(column), reason=reason(rows[0]), count=len(rows),
            rows=text(shown)) if written else plural(
            "Warning: {sheet}, column {column}: {reason} — once imported, {count} row ({rows}) would be without "
            "this pairing.",
            "Warning: {sheet}, column {column}: {reason} — once imported, {count} rows ({rows}) would be without "
            "this pairing.",
            len(rows), sheet=text(sheet), column=text(column), reason=reason(rows[0]), count=len(rows),
            rows=text(shown))
        say(locale, message_id, **params)
    if any(len(rows) > 10 for rows in groups.values()):
        say(locale, N_("guanai import --verbose lists every row."))


def _unusable(locale: str, url: str, exc: DatabaseUrlError | OperationalError) -> None:
    # Only the error's class in the log: its text and traceback carry the SQL, its parameters (names,
    # phone numbers from the roster) and the database URL, which may hold a password.
    log.error("database unusable: %s", type(exc).__name__)
    print(database_problem(locale, url, exc))


def _listing(found: Any, locale: str) -> None:
    for child in found.children:
        say(locale, N_("Not in the file: child {name} ({class_name})"), name=text(child.name),
            class_name=text(child.detail or "—"))
    for person in found.staff:
        say(locale, N_("Not in the file: staff {name} (#{id}: {roles})"), name=text(person.name), id=person.id,
            roles=text(role_list(locale, tuple(person.detail.split(",")))))


def _confirmer(args: argparse.Namespace, locale: str) -> Any:
    """Asks once, before anything is removed: the list, then "yes" typed (or ``--yes``)."""
    import sys

    from bot.i18n import render
    from bot.messages.prompt import Prompt

    def confirm(found: Any) -> bool:
        _listing(found, locale)
        if getattr(args, "yes", False):
            return True
        question = render(Prompt(*plural(
            "Remove this {children} child and {staff} staff (their history is kept)? Type yes to confirm: ",
            "Remove these {children} children and {staff} staff (their history is kept)? Type yes to confirm: ",
            len(found.children), children=len(found.children), staff=len(found.staff))), locale).text
        try:
            answer = input(question) if sys.stdin.isatty() else sys.stdin.readline()
        except EOFError:
            answer = ""
        return answer.strip().lower() in ("yes", "y", "是", "确认")

    return confirm


_PAIRING_LABELS = {"helper_teacher": N_("helper teacher"), "caring_parent": N_("caring-parent volunteer"),
                   "study_buddy": N_("study buddy")}


def print_lifecycle(found: Any, locale: str) -> None:
    """Who the file no longer lists (and what was done), hand-overs, and the pairing coverage."""
    for former, new, count in found.class_handed:  # children who changed class teacher (roster_lifecycle)
        message_id, params = plural(
            "{count} open task of children now in {new}'s class was handed from {former} to {new}.",
            "{count} open tasks of children now in {new}'s class were handed from {former} to {new}.", count,
            count=count, former=text(former), new=text(new))
        say(locale, message_id, **params)
    if found.applied:
        message_id, params = plural(
            "Removed: {children} child left the school (history kept), {staff} staff left (roles and chat access "
            "ended).",
            "Removed: {children} children left the school (history kept), {staff} staff left (roles and chat access "
            "ended).", len(found.children), children=len(found.children), staff=len(found.staff))
        say(locale, message_id, **params)
        for leaver, successor, children, moved in found.handed:  # what was done, never "pairings handed" (issue 9)
            if children:
                message_id, params = plural(
                    "{leaver} was paired with {count} child: that pairing ended, and {successor} has a hand-over "
                    "task to pair the child anew.",
                    "{leaver} was paired with {count} children: those pairings ended, and {successor} has a "
                    "hand-over task for each to pair them anew.", children,
                    leaver=text(leaver), count=children, successor=text(successor))
                say(locale, message_id, **params)
            if moved:
                message_id, params = plural("{count} open task of {leaver} was handed to {successor}.",
                                            "{count} open tasks of {leaver} were handed to {successor}.", moved,
                                            leaver=text(leaver), count=moved, successor=text(successor))
                say(locale, message_id, **params)
        for class_name, leaver, taker in found.classes_taken:
            if taker is None:
                say(locale, N_("{class_name} has no class teacher now ({leaver} left): name one in the class sheet."),
                    class_name=text(class_name), leaver=text(leaver))
            else:
                say(locale, N_("{class_name} has no class teacher now ({leaver} left): {taker} holds the class until "
                               "the class sheet names one."), class_name=text(class_name), leaver=text(leaver),
                    taker=text(taker))
        for name, role, count in found.still_named:  # the file still names them: said now, not next import
            message_id, params = plural(
                "{count} row of the 花名册 still names {name} ({role}), who has left: that child is now without "
                "this pairing. Name someone else in that row, or leave it blank, before the next import.",
                "{count} rows of the 花名册 still name {name} ({role}), who has left: those children are now "
                "without this pairing. Name someone else in those rows, or leave them blank, before the next "
                "import.", count, count=count, name=text(name), role=msg(_PAIRING_LABELS[role]))
            say(locale, message_id, **params)
        for child, buddy in found.lost_buddies:
            say(locale, N_("{child} and {buddy} are study buddies no more: {buddy} left the school."),
                child=text(child),
                buddy=text(buddy))
    elif found.children or found.staff:
        _listing(found, locale)
        message_id, params = plural(
            "{children} child and {staff} staff are not in the file; nothing was removed. Run again with "
            "--apply-removals to record that they left.",
            "{children} children and {staff} staff are not in the file; nothing was removed. Run again with "
            "--apply-removals to record that they left.", len(found.children),
            children=len(found.children), staff=len(found.staff))
        say(locale, message_id, **params)
    for kind, label in _PAIRING_LABELS.items():
        count = found.without.get(kind, 0)
        message_id, params = plural("Pairing coverage: {count} child has no {pairing}.",
                                    "Pairing coverage: {count} children have no {pairing}.", count, count=count,
                                    pairing=msg(label))
        say(locale, message_id, **params)


def print_returning(report: Any, locale: str) -> None:
    """Children and staff who left and are in the file again: skipped, or re-admitted (``--readmit``)."""
    for name in report.readmit_unknown:
        say(locale, N_("--readmit {name}: nobody of that name left and is in this file; nobody re-admitted for it."),
            name=text(name))
    for back in report.returning:
        who = (text(back.detail) if back.kind == "child"
               else text(role_list(locale, tuple(back.detail.split(",")))))
        day = text(back.left_on.isoformat() if back.left_on else "?")
        if back.kind == "staff" and back.only_named:  # not in the staff sheet: only cells name them (issue 9)
            message_id, params = plural(
                "{name} ({detail}) left on {date}: the {count} row naming them came in without them. If they are "
                "back, list them in the staff sheet and run again with --readmit.",
                "{name} ({detail}) left on {date}: the {count} rows naming them came in without them. If they "
                "are back, list them in the staff sheet and run again with --readmit.", back.rows,
                name=text(back.name), detail=who, date=day, count=back.rows)
            say(locale, message_id, **params)
        elif back.readmit and back.kind == "child":
            say(locale, N_("Re-admitted: {name} ({detail}), who left on {date}; recorded."),
                name=text(back.name), detail=who, date=day)
        elif back.readmit:
            say(locale, N_("Re-admitted: {name} ({detail}), who left on {date}; recorded. Their chat access ended "
                           "when they left: give them a new invite (guanai invite)."),
                name=text(back.name), detail=who, date=day)
        elif back.kind == "child":
            say(locale, N_("{name} ({detail}) left on {date} and is in this file again: not imported. If they are "
                           "back at school, run again with --readmit."), name=text(back.name), detail=who, date=day)
        else:
            message_id, params = plural(
                "{name} ({detail}) left on {date} and is in this file again: not imported, and the {count} row "
                "naming them came in without them. If they are back, run again with --readmit.",
                "{name} ({detail}) left on {date} and is in this file again: not imported, and the {count} rows "
                "naming them came in without them. If they are back, run again with --readmit.", back.rows,
                name=text(back.name), detail=who, date=day, count=back.rows)
            say(locale, message_id, **params)
