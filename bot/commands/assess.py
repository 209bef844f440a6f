"""``guanai assess``: plan 5's assessment and award rule on imported term results (issue 9, item 7).

::

    guanai assess import FILE --term 2026-秋 [--school NAME]   # 学籍号, 班级排名, 严重违纪, 三好学生
    guanai assess report --term 2026-秋 [--out FILE.xlsx] [--school NAME]

Term labels must sort in time order (``2026-秋`` before ``2027-春``, or
``2026-09`` before ``2027-02``): last term's rank is the child's result under
the previous label. Exit status 0 done, 1 a file without the columns or rows
skipped, 2 no such school or an unreadable file.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``assess`` sub-command."""
    assess = sub.add_parser("assess", help="plan 5's assessment: import term results, rank and reward the carers")
    parts = assess.add_subparsers(dest="assess_command", required=True)
    imp = parts.add_parser("import", help="a term's 学籍号, 班级排名, 严重违纪, 三好学生 (.xlsx or .csv)")
    imp.add_argument("file")
    rep = parts.add_parser("report", help="the children's scores, the helpers' and class teachers' places and prizes")
    rep.add_argument("--out", help="write the assessment to this .xlsx file too")
    for p in (imp, rep):
        p.add_argument("--term", required=True, help="the term's label, e.g. 2026-秋 (labels sort in time order)")
        p.add_argument("--school", help="school name (needed when the database holds several)")


def cmd_assess(args: argparse.Namespace) -> int:
    """``guanai assess import|report``."""
    from pathlib import Path

    from bot.adapters.private_files import write_private
    from bot.adapters.xlsx_export import workbook_bytes
    from bot.bootstrap import build
    from bot.commands.calendar import _school
    from bot.commands.output import say, workbook_path
    from bot.config import load_settings
    from bot.domain.roster import RosterFileError
    from bot.messages.prompt import N_, plural
    from bot.services import assessment
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale = settings.default_locale
    out = workbook_path(locale, args.out, f"{args.term}.xlsx") if getattr(args, "out", None) else None
    if getattr(args, "out", None) and out is None:
        return 1  # a .csv or .xls name: refused before anything is done
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            school_id = _school(uow, args.school, locale)
            if school_id is None:
                return 2
            if args.assess_command == "import":
                try:
                    done = assessment.import_term(uow, school_id, Path(args.file), args.term, app.clock.now())
                except assessment.TermFileError:
                    say(locale, N_("{file} has no header row with 学籍号 and 班级排名."), sys.stderr, file=args.file)
                    return 1
                except RosterFileError as exc:
                    say(locale, exc.message_id, sys.stderr, **exc.params)
                    return 2
                uow.commit()
                message_id, params = plural("Imported the term {term}: {count} child.",
                                            "Imported the term {term}: {count} children.", done.imported,
                                            term=args.term, count=done.imported)
                say(locale, message_id, **params)
                for row, student_no in done.unknown:
                    say(locale, N_("Row {row}: no child with the student number {student_no}; skipped."),
                        sys.stderr, row=row, student_no=student_no)
                for row, student_no in done.bad:
                    say(locale, N_("Row {row} ({student_no}): the rank or a flag cannot be read; skipped."),
                        sys.stderr, row=row, student_no=student_no)
                for row, student_no in done.twice:
                    say(locale, N_("Row {row} ({student_no}): the student number is on an earlier row too; neither "
                                   "row was imported."), sys.stderr, row=row, student_no=student_no)
                return 1 if done.unknown or done.bad or done.twice else 0
            result = assessment.assess(uow, school_id, args.term)
        for heading, rows in ((N_("Helpers (sum over their children):"), result.helpers),
                              (N_("Class teachers (average of their class):"), result.teachers)):
            say(locale, heading)
            for name, award in rows:
                say(locale, N_("  {place}. {name}: {score} points, {yuan} yuan"), place=award.place, name=name,
                    score=f"{award.score:g}", yuan=award.yuan)
        if out is not None:
            write_private(out, workbook_bytes(assessment.assessment_sheets(result, locale)))
            say(locale, N_("Written: {path}"), path=str(out))
        return 0
    finally:
        app.engine.dispose()
