"""Shared fixtures, and the guard that keeps every test off the network.

Every database test runs on SQLite; it runs on PostgreSQL too when
``GUANAI_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it), each test in a
freshly created schema. Helpers and doubles live in ``tests/support/``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.commands.demo import PACKAGED_SAMPLE
from bot.domain.clock import ManualClock
from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import alembic_config
from bot.store.models import Base
from bot.store.uow import UnitOfWorkFactory

pytest_plugins = ["tests.support.telegram_fixtures", "tests.support.wechat_fixtures"]

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE_ROSTER = Path(os.environ.get("GUANAI_SAMPLE_ROSTER", SHARED_DATA / "roster-sample.xlsx"
                                    if (SHARED_DATA / "roster-sample.xlsx").is_file() else PACKAGED_SAMPLE))

# One fixed data key for the whole run (bot.store.crypto): no key files beside the test databases.
# Tests of the key file itself remove it (monkeypatch.delenv).
os.environ.setdefault("GUANAI_DATA_KEY", "dGVzdC1vbmx5LWRhdGEta2V5LW5vdC1mb3ItdXNlLS0=")

_BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("GUANAI_TEST_POSTGRES_URL") else [])


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database with the current schema (SQLite file or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        _create_schema(url)
        yield url
        return
    base = os.environ["GUANAI_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    _create_schema(url)
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _create_schema(url: str) -> None:
    """Tables from the models, stamped as the newest migration so commands' prepare_database is a no-op.

    tests/test_migrations.py checks that the migrations build this same schema.
    """
    from alembic import command

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    command.stamp(alembic_config(url), "head")


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    yield UnitOfWorkFactory(make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock at Monday 2026-11-30 09:00 Asia/Shanghai (01:00 UTC)."""
    return ManualClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))


@pytest.fixture
def sample_roster() -> Path:
    if not SAMPLE_ROSTER.is_file():
        pytest.skip(f"sample roster not found at {SAMPLE_ROSTER}")
    return SAMPLE_ROSTER


LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost", ""})


class NetworkAccessForbidden(BaseException):
    """A test tried to reach a host other than this machine.

    A ``BaseException``, so that a library's ``except Exception`` cannot
    swallow it (python-telegram-bot's ``OfflineRequest`` idea); the autouse
    guard also records the attempt and fails the test at teardown, should
    something catch even this.
    """


def _host_of(address: Any) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None  # a Unix socket path or an address family we do not police


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test that connects to, or looks up, a host other than 127.0.0.1 / ::1 / localhost."""
    attempts: list[str] = []
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def refuse(host: str) -> NetworkAccessForbidden:
        attempts.append(host)
        return NetworkAccessForbidden(f"network access to {host!r} in a test")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        host = _host_of(address)
        if host is not None and not _is_local(host):
            raise refuse(host)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        host = _host_of(address)
        if host is not None and not _is_local(host):
            raise refuse(host)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_local(host.decode() if isinstance(host, bytes) else str(host)):
            raise refuse(str(host))
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield attempts
    if attempts:
        pytest.fail(f"the test tried to reach the network: {sorted(set(attempts))}")


@pytest.fixture(autouse=True)
def log_audit(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``GUANAI_TEST_LOG_AUDIT=<dir>``: every logger at DEBUG, redacted, and no personal data in the log."""
    directory = os.environ.get("GUANAI_TEST_LOG_AUDIT")
    if not directory:
        yield
        return
    from tests.support import log_audit as audit

    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
    handler, levels = audit.start(Path(directory) / f"{name}.log")
    try:
        yield
    finally:
        leaked = audit.stop(handler, levels)
    assert not leaked, f"the DEBUG log of {request.node.nodeid} holds {leaked}"
