"""``guanai report``: the figures for superiors in the terminal (issue 9, item 5).

::

    guanai report [PERIOD] [--school NAME]      # one school, per class and teacher
    guanai report [PERIOD] --town NAME          # the schools of a town, as its officials see it
    guanai report [PERIOD] --county             # every school, per town, as the bureau sees it

PERIOD is empty (this month), 学期 / semester, 学年 / year, ``2026-11`` or
``2026-09-01~2027-01-20``. Town and county figures are aggregates with counts
under five suppressed, exactly as officials see them in chat. Exit status 0
done, 1 a period that cannot be read, 2 no such school or town.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``report`` sub-command."""
    rep = sub.add_parser("report", help="figures for superiors: cards, talks, check-ins, incidents, dropout watch")
    rep.add_argument("period", nargs="?", default="", help="empty (this month), 学期, 学年, 2026-11 or DATE~DATE")
    where = rep.add_mutually_exclusive_group()
    where.add_argument("--school", help="school name (needed when the database holds several)")
    where.add_argument("--town", help="every school of this town, as its officials see it")
    where.add_argument("--county", action="store_true", help="every school, per town, as the bureau sees it")


def cmd_report(args: argparse.Namespace) -> int:
    """``guanai report``."""
    from sqlalchemy import select

    from bot.bootstrap import build
    from bot.commands.calendar import _school
    from bot.commands.output import say
    from bot.config import load_settings
    from bot.domain.enums import Role
    from bot.domain.periods import local_date
    from bot.i18n import render
    from bot.messages.prompt import N_
    from bot.services import figures, figures_text
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
            if period is None:
                say(locale, N_("I could not read the period “{value}”: write nothing (this month), 学期, 学年, "
                               "2026-11 or 2026-09-01~2027-01-20."), sys.stderr, value=args.period)
                return 1
            report = figures.report_for(uow, actor, period, now)
            assert report is not None  # noqa: S101 — the roles above always grant a report
            for prompt in figures_text.report_prompts(report):
                print(render(prompt, locale, zone).text)
                print()
            return 0
    finally:
        app.engine.dispose()
