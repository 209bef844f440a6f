"""Bring a database to the current schema before a command uses it."""

from __future__ import annotations

from bot.store import keys
from bot.store.db import check_sqlite_file, make_engine, normalise_url
from bot.store.migrate import upgrade


def prepare_database(database_url: str, *, reindexing: bool = False) -> None:
    """Apply every Alembic migration to ``database_url`` (creates the tables on a new database).

    ``reindexing``: ``guanai keys rotate`` follows, which may re-index with a new phone index key
    (``bot.store.keys.check``).

    Raises:
        bot.store.db.DatabaseUrlError: the URL cannot work (malformed, another
            database, a driver not installed, a SQLite file that cannot be created).
        sqlalchemy.exc.OperationalError: the database cannot be reached
            (:func:`bot.store.db.describe_connection_error` says why).
        bot.store.crypto.DataKeyError: the data key cannot read this database.
    """
    normalise_url(database_url)
    check_sqlite_file(database_url)
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        # A wrong data key is a clear error now, not a traceback at the first note.
        keys.check(engine, reindexing=reindexing)
    finally:
        engine.dispose()
