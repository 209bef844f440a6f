"""``guanai report`` and ``guanai export``: the figures and the exports in the terminal (issue 9, items 5–6).

::

    guanai report [PERIOD] [--school NAME]      # one school, per class and teacher
    guanai report [PERIOD] --town NAME          # the schools of a town, as its officials see it
    guanai report [PERIOD] --county             # every school, per town, as the bureau sees it

    guanai export WHAT [PERIOD] [--school NAME | --town NAME | --county] [--out FILE] [--force] [--safeguarding]

WHAT is 花名册 (roster), 谈心 (talks), 事件 (incidents), 结对 (pairing), 资助 (aid ledger), 统计表
(registration) or 统计 (figures). PERIOD is empty (this month), 学期 / semester, 学年 / year, ``2026-11`` or
``2026-09-01~2027-01-20``. ``--out`` names an ``.xlsx`` file (no suffix: ``.xlsx`` is
added; a folder: the export's own name in it); another suffix such as ``.csv`` is refused,
exit status 1, nothing written. Town and county figures are aggregates with counts
under five suppressed, exactly as officials see them in chat. Exit status 0
done, 1 a period that cannot be read (or the registration table's checks
found problems: listed, no file unless ``--force``), 2 no such school or town.

``事件`` from the command leaves out the safeguarding reports (the operator running the server is none of
their designated people) and says how many; ``--safeguarding`` includes them, audited
(``detail.safeguarding``; docs/privacy.md, "Exports").
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.adapters.private_files import write_new_private, write_private

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.domain.figures import ReportPeriod
    from bot.services.identity import Actor
    from bot.services.ports import UnitOfWork

    Body = Callable[[UnitOfWork, Actor, ReportPeriod, datetime, Settings], int]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``report`` and ``export`` sub-commands."""
    rep = sub.add_parser("report", help="figures for superiors: cards, talks, check-ins, incidents, dropout watch")
    exp = sub.add_parser("export", help="a spreadsheet: 花名册, 谈心, 事件, 结对, 资助, 统计表 or 统计")
    exp.add_argument("what", help="花名册 (roster), 谈心 (talks), 事件 (incidents), 结对 (pairing), 资助 (aid "
                     "ledger), 统计表 (registration) or 统计 (figures)")
    exp.add_argument("--out", help="file to write (default: the export's name in the working directory)")
    exp.add_argument("--force", action="store_true", help="write the registration table despite its problems")
    exp.add_argument("--safeguarding", action="store_true",
                     help="事件: include the safeguarding reports (left out otherwise; recorded in the audit log)")
    for p in (rep, exp):
        p.add_argument("period", nargs="?", default="", help="empty (this month), 学期, 学年, 2026-11 or DATE~DATE")
        where = p.add_mutually_exclusive_group()
        where.add_argument("--school", help="school name (needed when the database holds several)")
        where.add_argument("--town", help="every school of this town, as its officials see it")
        where.add_argument("--county", action="store_true", help="every school, per town, as the bureau sees it")


def cmd_report(args: argparse.Namespace) -> int:
    """``guanai report``."""
    return _run(args, _report)


def cmd_export(args: argparse.Namespace) -> int:
    """``guanai export``."""
    return _run(args, functools.partial(_export, args))


def _report(uow: UnitOfWork, actor: Actor, period: ReportPeriod, now: datetime, settings: Settings) -> int:
    from bot.i18n import render
    from bot.services import figures, figures_text

    report = figures.report_for(uow, actor, period, now)
    assert report is not None  # noqa: S101 — the roles given by _run always grant a report
    for prompt in figures_text.report_prompts(report):
        print(render(prompt, settings.default_locale, settings.timezone).text)
        print()
    return 0


def _export(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, period: ReportPeriod, now: datetime,
            settings: Settings) -> int:
    from bot.commands.output import say, workbook_path
    from bot.i18n import render
    from bot.messages.prompt import N_, Prompt, plural
    from bot.services import export_files

    locale = settings.default_locale
    kind = export_files.WORDS.get(args.what.lower())
    if kind is not None and kind not in export_files.kinds_for(actor):  # a known export of records, for a town
        say(locale, N_("“{value}” names each child, so it is exported for one school only (--school NAME, not --town "
                       "or --county). For a town or the county: 统计表 or 统计."), sys.stderr, value=args.what)
        return 1
    if kind is None:
        say(locale, N_("Unknown export “{value}”: 花名册, 谈心, 事件, 结对, 资助, 统计表 or 统计 (for a town or the "
                       "county: 统计表 or 统计)."), sys.stderr, value=args.what)
        return 1
    if args.out and workbook_path(locale, args.out, "export.xlsx") is None:
        return 1  # a .csv or .xls name: refused before anything is made or audited
    made = export_files.make_export(uow, actor, kind, period, now, locale=locale, force=args.force,
                                    safeguarding=args.safeguarding)
    assert made is not None  # noqa: S101 — kinds_for allowed it
    if made.nothing:
        say(locale, made.nothing, sys.stderr)
        return 1
    for problem in made.problems:
        print(render(Prompt(problem.message_id, problem.params), locale).text, file=sys.stderr)
    if not made.data:
        message_id, params = plural("{count} problem: nothing was written. Correct it, or write the table anyway "
                                    "with --force.",
                                    "{count} problems: nothing was written. Correct them, or write the table anyway "
                                    "with --force.", len(made.problems), count=len(made.problems))
        say(locale, message_id, sys.stderr, **params)
        return 1
    out = workbook_path(locale, args.out, made.filename)
    assert out is not None  # noqa: S101 — checked above
    # 0600: it holds children's data. A default name never replaces an earlier export (issue 9); a named file does.
    named = bool(args.out) and not Path(args.out).is_dir()
    out = write_private(out, made.data) if named else write_new_private(out, made.data)
    uow.commit()  # the export's audit entries (bot.services.audit.record_export)
    say(locale, N_("Written: {path}"), path=str(out))
    if made.withheld:  # deliberate: the server's operator is not among a safeguarding report's people
        message_id, params = plural(
            "{count} safeguarding report is not in this file: it is for the school's leaders, who export it with "
            "/export 事件 in chat or on the dashboard. To include it here, run again with --safeguarding (recorded "
            "in the audit log).",
            "{count} safeguarding reports are not in this file: they are for the school's leaders, who export them "
            "with /export 事件 in chat or on the dashboard. To include them here, run again with --safeguarding "
            "(recorded in the audit log).", made.withheld, count=made.withheld)
        say(locale, message_id, **params)
    return 0


def _run(args: argparse.Namespace, body: Body) -> int:
    from sqlalchemy import select

    from bot.bootstrap import build
    from bot.commands.calendar import _school
    from bot.commands.output import say
    from bot.config import load_settings
    from bot.domain.enums import Role
    from bot.domain.periods import local_date
    from bot.messages.prompt import N_
    from bot.services import figures_periods, figures_terms, figures_text
    from bot.services.identity import Actor
    from bot.store.models import School
    from bot.store.schema import prepare_database

    settings = load_settings()
    locale, zone = settings.default_locale, settings.timezone
    prepare_database(settings.database_url)
    app = build(settings)
    try:
        with app.uow() as uow:
            now = app.clock.now()
            if args.town or args.county:
                query = select(School.id).order_by(School.id)
                if args.town:
                    query = query.where(School.town == args.town)
                school_id = uow.session.scalar(query.limit(1))
                if school_id is None:
                    say(locale, N_("No school in the town {name}.") if args.town
                        else N_("The database holds no school yet."), sys.stderr, name=args.town or "")
                    return 2
                role = Role.TOWN_GOVERNMENT if args.town else Role.EDUCATION_BUREAU
            else:
                found = _school(uow, args.school, locale)
                if found is None:
                    return 2
                school_id, role = found, Role.ADMIN
            actor = Actor(person_id=0, name="", school_id=school_id, roles=frozenset({role.value}), locale=locale,
                          timezone=zone)
            period = figures_text.period_from_text(uow, school_id, args.period, local_date(now, zone))
            today = local_date(now, zone)
            named = None if period is not None else figures_terms.unknown(
                uow, school_id, args.period, today, figures_terms.official_scope(uow, actor))
            if named is not None:  # a term by name the school has none of: its terms are listed
                say(locale, named.message_id, sys.stderr, **named.params)
                return 1
            if period is None:
                say(locale, N_("I could not read the period “{value}”: write nothing (this month), 学期, 学年, "
                               "2026-11 or 2026-09-01~2027-01-20."), sys.stderr, value=args.period)
                return 1
            if figures_periods.is_official(actor):
                period = figures_periods.whole_period(uow, school_id, period)
                if period is None:
                    refusal = figures_terms.refused(uow, school_id, args.period, today)
                    say(locale, refusal.message_id, sys.stderr, **refusal.params)
                    return 1
            return body(uow, actor, period, now, settings)
    finally:
        app.engine.dispose()
