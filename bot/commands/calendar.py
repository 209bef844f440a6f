"""``guanai year`` and ``guanai programme``: the school year and the care programme's items, for admins.

::

    guanai year show [--school NAME]
    guanai year set --term 2026-09-01~2027-01-22 --term 2027-02-24~2027-07-02 [--school NAME]
    guanai programme list [--school NAME]
    guanai programme set CODE field=value … [--school NAME]
    guanai programme import FILE.yaml|FILE.xlsx [--school NAME]
    guanai programme report [--from DATE] [--to DATE] [--school NAME]

``--school`` may be left out when the database holds one school. Output is in
``GUANAI_DEFAULT_LOCALE``, dates in the school's zone. Exit status 0 done,
1 refused input (nothing written), 2 no such school.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.messages.prompt import N_

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.config import Settings
    from bot.messages.prompt import Prompt
    from bot.services.ports import UnitOfWork

    Body = Callable[[argparse.Namespace, UnitOfWork, int, datetime, Settings], int]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``year`` and ``programme`` sub-commands."""
    year = sub.add_parser("year", help="show or set the school year (terms)")
    year_sub = year.add_subparsers(dest="year_command", required=True)
    show = year_sub.add_parser("show", help="terms, school days, holiday data")
    setter = year_sub.add_parser("set", help="set the terms, e.g. --term 2026-09-01~2027-01-22")
    setter.add_argument("--term", action="append", required=True, help="first day~last day (repeat per term)")
    prog = sub.add_parser("programme", help="the care programme's items (letters, lectures, meetings …)")
    prog_sub = prog.add_subparsers(dest="programme_command", required=True)
    listing = prog_sub.add_parser("list", help="items with their next dates")
    change = prog_sub.add_parser("set", help="change or add an item: CODE field=value …")
    change.add_argument("code")
    change.add_argument("values", nargs="+", help="field=value (title, anchor, offset, time, role …)")
    imp = prog_sub.add_parser("import", help="items from a .yaml or .xlsx file")
    imp.add_argument("file")
    rep = prog_sub.add_parser("report", help="completion per item")
    rep.add_argument("--from", dest="first", help="first date (default: a year ago)")
    rep.add_argument("--to", dest="last", help="last date (default: today)")
    for p in (show, setter, listing, change, imp, rep):
        p.add_argument("--school", help="school name (needed when the database holds several)")


def _school(uow: UnitOfWork, name: str | None, locale: str) -> int | None:
    from sqlalchemy import select

    from bot.commands.output import say
    from bot.store.models import School

    query = select(School.id, School.name)
    if name:
        query = query.where(School.name == name)
    found = uow.session.execute(query.limit(2)).all()
    if len(found) == 1:
        return int(found[0][0])
    if not found:
        say(locale, N_("No school called {name}.") if name else N_("The database holds no school yet."),
            sys.stderr, name=name or "")
    else:
        say(locale, N_("The database holds several schools: name one with --school."), sys.stderr)
    return None


def cmd_year(args: argparse.Namespace) -> int:
    """``guanai year show|set``."""
    return _run(args, _year)


def cmd_programme(args: argparse.Namespace) -> int:
    """``guanai programme list|set|import|report``."""
    return _run(args, _programme)


def _run(args: argparse.Namespace, body: Body) -> int:
    from bot.bootstrap import build
    from bot.config import load_settings
    from bot.store.schema import prepare_database

    settings = load_settings()
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            school_id = _school(uow, args.school, settings.default_locale)
            if school_id is None:
                return 2
            status = int(body(args, uow, school_id, app.clock.now(), settings))
            if status == 0:
                uow.commit()
            return status
    finally:
        app.engine.dispose()


def _print(prompt: Prompt, locale: str, zone: str) -> None:
    from bot.i18n import render

    print(render(prompt, locale, zone).text)


def _year(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime, settings: Settings) -> int:
    from bot.commands.output import say
    from bot.domain.periods import local_date
    from bot.domain.school_year import parse_terms
    from bot.messages.prompt import day
    from bot.services import programme, school_year

    locale, zone = settings.default_locale, settings.timezone
    if args.year_command == "set":
        try:
            terms = parse_terms(" ".join(args.term))
            school_year.set_semesters(uow, school_id, terms)
        except school_year.TermError as exc:
            say(locale, exc.message_id, sys.stderr, start=day(exc.start), end=day(exc.end))
            return 1
        except ValueError:
            say(locale, N_("I could not read “{value}”. Write each term as first day~last day, for example: "
                           "/year 2026-09-01~2027-01-22 2027-02-24~2027-07-02"), sys.stderr, value=" ".join(args.term))
            return 1
        programme.plan_school(uow, school_id, now=now)
    _print(school_year.year_prompt(uow, school_id, local_date(now, zone)), locale, zone)
    return 0


def _programme(args: argparse.Namespace, uow: UnitOfWork, school_id: int, now: datetime,
               settings: Settings) -> int:
    from bot.adapters.programme_files import ProgrammeFileError, read_items
    from bot.commands.output import say
    from bot.domain.periods import local_date
    from bot.domain.programme import SpecError
    from bot.services import programme, programme_view
    from bot.services.programme_tasks import report

    locale, zone = settings.default_locale, settings.timezone
    quiet = (settings.quiet_start, settings.quiet_end)
    programme.seed_defaults(uow, school_id, now)
    command = args.programme_command
    if command in ("set", "import"):
        try:
            if command == "set":
                pairs = [v.partition("=") for v in args.values]
                if any(not sep for _k, sep, _v in pairs):
                    say(locale, N_("Write each change as field=value, for example offset=-7 or time=08:00."),
                        sys.stderr)
                    return 1
                changes = [(args.code, {k: v for k, _s, v in pairs})]
            else:
                changes = read_items(Path(args.file))
            for code, values in changes:
                programme.edit_item(uow, school_id, code, values, now=now, quiet=quiet)
        except SpecError as exc:
            say(locale, exc.message_id, sys.stderr, field=exc.field, value=exc.value)
            return 1
        except ProgrammeFileError as exc:
            say(locale, N_("{where}: {reason}. Nothing was changed."), sys.stderr, where=exc.where, reason=exc.reason)
            return 1
        say(locale, N_("Saved: {count} items."), count=len(changes))
    if command == "report":
        today = local_date(now, zone)
        first = date.fromisoformat(args.first) if args.first else today - timedelta(days=365)
        last = date.fromisoformat(args.last) if args.last else today
        facts = report(uow, school_id, first, last)
        if not facts:
            say(locale, N_("No programme reminders from {first} to {last}."), first=first.isoformat(),
                last=last.isoformat())
        for f in facts:
            say(locale, N_("{code}: {tasks} reminders — {done} done, {skipped} not this year, {postponed} postponed, "
                           "{open} unanswered; {counted} children counted"),
                code=f.code, tasks=f.tasks, done=f.done, skipped=f.skipped, postponed=f.postponed, open=f.open,
                counted=f.counted)
        return 0
    _print(programme_view.list_prompt(uow, school_id, now, codes=True), locale, zone)
    return 0
