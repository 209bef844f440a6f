"""Bring a database to the current schema before a command uses it."""

from __future__ import annotations

from bot.store.migrate import upgrade


def prepare_database(database_url: str) -> None:
    """Apply every Alembic migration to ``database_url`` (creates the tables on a new database).

    Raises:
        sqlalchemy.exc.OperationalError: the database cannot be reached.
    """
    upgrade(database_url)
