"""Engine and session set-up for SQLite (default) and PostgreSQL (psycopg 3), and what a bad URL means."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.messages.prompt import N_
from bot.store import crypto, write_lock

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUrlError(ValueError):
    """``GUANAI_DATABASE_URL`` cannot work as written; ``message_id`` (``N_``-marked) with ``params`` says why.

    Attributes:
        message_id: the reason, a message id for the person running the command.
        params: its parameters (never the password).
    """

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id.format(**params))
        self.message_id = message_id
        self.params = params


NOT_A_URL = N_("GUANAI_DATABASE_URL is not a database URL. Write sqlite:///path/to/guanai.db or "
               "postgresql://user:password@host/database.")
UNSUPPORTED = N_("GUANAI_DATABASE_URL names the database {backend}; guanai works with SQLite (sqlite:///path) "
                 "and PostgreSQL (postgresql://…).")
NO_DRIVER = N_("GUANAI_DATABASE_URL asks for the database driver {driver}, which is not installed. "
               "Write the URL without a driver (postgresql://… or sqlite:///…) and guanai chooses its own.")
SQLITE_NO_FOLDER = N_("The SQLite database {path} cannot be created: the folder {folder} does not exist.")
SQLITE_PARENT_IS_FILE = N_("The SQLite database {path} cannot be created: {folder} is a file, not a folder.")
SQLITE_IS_FOLDER = N_("The SQLite database {path} is a folder, not a file.")
SQLITE_READ_ONLY = N_("The SQLite database {path} cannot be written: no permission to write in {folder}.")


def _parse(url: str) -> URL:
    try:
        return make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    except ArgumentError:
        raise DatabaseUrlError(NOT_A_URL) from None


def normalise_url(url: str) -> str:
    """Choose the driver for a plain database URL.

    ``postgresql://…`` and ``postgres://…`` become ``postgresql+psycopg://…``;
    ``sqlite:///path`` keeps the standard library driver. A URL that already
    names a driver is kept when that driver is installed.

    Raises:
        DatabaseUrlError: the URL is malformed, neither SQLite nor PostgreSQL, or
            names a driver that is not installed (``postgresql+psycopg2://``).
    """
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseUrlError(UNSUPPORTED, backend=backend)
    try:
        parsed.get_dialect().import_dbapi()
    except ImportError:
        raise DatabaseUrlError(NO_DRIVER, driver=parsed.get_driver_name()) from None
    return parsed.render_as_string(hide_password=False)


def check_sqlite_file(url: str) -> None:
    """For a SQLite file URL, make sure the file can be opened or created, naming the cause when not.

    SQLite itself says only "unable to open database file". Other URLs
    (PostgreSQL, in-memory SQLite) pass unchecked.

    Raises:
        DatabaseUrlError: the folder does not exist or is not writable, or the path is a folder.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DatabaseUrlError(SQLITE_IS_FOLDER, path=str(path))
    if folder.exists() and not folder.is_dir():
        raise DatabaseUrlError(SQLITE_PARENT_IS_FILE, path=str(path), folder=str(folder))
    if not folder.is_dir():
        raise DatabaseUrlError(SQLITE_NO_FOLDER, path=str(path), folder=str(folder))
    writable = os.access(path, os.W_OK) if path.exists() else os.access(folder, os.W_OK | os.X_OK)
    if not writable:
        raise DatabaseUrlError(SQLITE_READ_ONLY, path=str(path), folder=str(folder))


UNREACHABLE = N_("The database cannot be reached; check GUANAI_DATABASE_URL.")
REFUSED = N_("The database server at {host} does not answer (connection refused or timed out); check that "
             "it runs and that GUANAI_DATABASE_URL names the right host and port.")
NO_HOST = N_("The database host {host} is unknown; check GUANAI_DATABASE_URL.")
AUTH_FAILED = N_("The database server at {host} refused the user name or password in GUANAI_DATABASE_URL.")
NO_DATABASE = N_("The database {database} does not exist on {host}; create it (createdb) or correct "
                 "GUANAI_DATABASE_URL.")
SQLITE_UNOPENED = N_("The SQLite database {path} cannot be opened: {reason}.")


def describe_connection_error(url: str, exc: OperationalError) -> tuple[str, dict[str, Any]]:
    """Why a connection failed, as ``(message id, params)`` for the person running a command.

    Reads the driver's message for the usual causes (refused, unknown host,
    wrong password, missing database); the parameters name the host and the
    database, never the password or the SQL.
    """
    parsed = _parse(url)
    reason = str(getattr(exc, "orig", exc) or "")
    low = reason.lower()
    if parsed.get_backend_name() == "sqlite":
        first_line = reason.splitlines()[0] if reason else "?"
        return SQLITE_UNOPENED, {"path": parsed.database or ":memory:", "reason": first_line}
    host = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if "password authentication failed" in low or "authentication failed" in low:
        return AUTH_FAILED, {"host": host}
    if "does not exist" in low and "database" in low:
        return NO_DATABASE, {"database": parsed.database or "", "host": host}
    if "could not translate host name" in low or "name or service not known" in low or "nodename" in low:
        return NO_HOST, {"host": parsed.host or ""}
    if "refused" in low or "timeout" in low or "timed out" in low:
        return REFUSED, {"host": host}
    return UNREACHABLE, {}


def _private_sqlite_file(url: str) -> None:
    """Create a new SQLite database file with mode 0600 (SQLite gives its -wal and -shm files the same mode)."""
    parsed = _parse(url)
    if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if path.exists() or not path.parent.is_dir():
        return  # an existing database keeps its mode; a missing folder is check_sqlite_file's message
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # created meanwhile by another process
        pass


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys, and a new file mode 0600.

    Also installs the data keys for ``url`` (:func:`bot.store.crypto.load`):
    the encrypted columns use them.

    Args:
        **kwargs: passed to ``sqlalchemy.create_engine``.
        url: any URL accepted by :func:`normalise_url`.

    Raises:
        bot.store.crypto.DataKeyError: the configured data key is malformed or its file unreadable.
    """
    url = normalise_url(url)
    crypto.install(crypto.load(url))
    # SQL parameters carry names, phone numbers and notes: keep them out of error messages and logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # pysqlite opens transactions lazily and commits on SAVEPOINT release; take over
            # transaction control so savepoints nest and a use case is one real transaction
            # (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front, so two writers queue on the busy
            # timeout instead of failing with SQLITE_BUSY when a read turns into a write.
            with write_lock.starting():  # a planner between batches sees us waiting (bot.services.planning)
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine`` whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
