"""`guanai db upgrade`: apply the Alembic migrations to ``GUANAI_DATABASE_URL``."""

from __future__ import annotations

import argparse


def cmd_db(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.store.migrate import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    print("database is up to date")
    return 0
