"""`guanai db upgrade`: apply the Alembic migrations to ``GUANAI_DATABASE_URL``."""

from __future__ import annotations

import argparse
import sys

from bot.messages.prompt import N_

EXIT_OK, EXIT_UNREACHABLE = 0, 2


def cmd_db(args: argparse.Namespace) -> int:
    """Run ``db upgrade``; 0 when the database is at the newest schema, 2 when it cannot be reached."""
    from sqlalchemy.exc import OperationalError

    from bot.commands.output import database_problem
    from bot.config import load_settings
    from bot.i18n import gettext
    from bot.store.db import DatabaseUrlError
    from bot.store.schema import prepare_database

    settings = load_settings()
    try:
        prepare_database(settings.database_url)
    except (DatabaseUrlError, OperationalError) as exc:
        print(database_problem(settings.default_locale, settings.database_url, exc), file=sys.stderr)
        return EXIT_UNREACHABLE
    print(gettext(settings.default_locale, N_("The database schema is ready (all migrations applied).")))
    return EXIT_OK
