"""Benchmark databases: a fresh one per run, optionally copied from a cached fill.

Filling 260,000 children takes minutes; the planners take seconds. With
``cache=True`` the filled database is built once per (backend, size, schema)
and kept — a SQLite file under :data:`CACHE_DIR`, a PostgreSQL database
``guanai_bench_<size>_<schema>`` — and each run gets a copy (a file copy, or
``CREATE DATABASE … TEMPLATE``), so a run measures the planners only. The data
key of every benchmark database is one key file in :data:`CACHE_DIR`
(``GUANAI_DATA_KEY_FILE``), so a copy reads like its original.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text

from benchmarks.scale import populate
from bot.store.db import make_engine
from bot.store.schema import prepare_database

CACHE_DIR = Path(os.environ.get("GUANAI_BENCH_CACHE", Path.home() / ".cache" / "guanai-bench"))
MIGRATIONS = Path(__file__).resolve().parents[1] / "bot" / "store" / "migrations" / "versions"


@dataclass
class Filled:
    """A database ready for a run.

    Attributes:
        url: its URL.
        cleanup: drops it (the cache stays).
        counts: rows written per table (``benchmarks.scale.populate``).
        fill_seconds: how long filling (or copying the cached fill) took.
    """

    url: str
    cleanup: Callable[[], None]
    counts: dict[str, int]
    fill_seconds: float


def _schema_tag() -> str:
    """Changes whenever a migration is added: a cache of an older schema is not reused."""
    names = sorted(p.name for p in MIGRATIONS.glob("*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:8]


def _use_bench_key() -> None:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GUANAI_DATA_KEY_FILE", str(CACHE_DIR / "bench.key"))


def _fill(url: str, children: int, sample: Path, postgres: bool) -> dict[str, int]:
    prepare_database(url)
    engine = make_engine(url)
    try:
        counts = populate(engine, children, sample)
        if postgres:
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        return counts
    finally:
        engine.dispose()


def _counts_file(children: int, backend: str) -> Path:
    return CACHE_DIR / f"{backend}-counts-{children}-{_schema_tag()}.txt"


def _save_counts(children: int, counts: dict[str, int], backend: str) -> None:
    _counts_file(children, backend).write_text("\n".join(f"{k}={v}" for k, v in counts.items()))


def _load_counts(children: int, backend: str) -> dict[str, int] | None:
    path = _counts_file(children, backend)
    if not path.exists():
        return None
    return {k: int(v) for k, v in (line.split("=") for line in path.read_text().splitlines())}


def sqlite_database(children: int, sample: Path, *, cache: bool) -> Filled:
    """A SQLite file with ``children`` children, copied from the cache when ``cache``."""
    _use_bench_key()
    run_dir = Path(tempfile.mkdtemp())
    path = run_dir / "bench.db"

    def cleanup() -> None:
        shutil.rmtree(run_dir, ignore_errors=True)

    t = time.perf_counter()
    if not cache:
        counts = _fill(f"sqlite:///{path}", children, sample, postgres=False)
        return Filled(f"sqlite:///{path}", cleanup, counts, time.perf_counter() - t)
    cached = CACHE_DIR / f"sqlite-{children}-{_schema_tag()}.db"
    counts_or_none = _load_counts(children, "sqlite")
    if not cached.exists() or counts_or_none is None:
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        counts_or_none = _fill(f"sqlite:///{building}", children, sample, postgres=False)
        conn = sqlite3.connect(building, isolation_level=None)
        try:  # fold the WAL into the file: the copy is the file alone
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        building.rename(cached)
        _save_counts(children, counts_or_none, "sqlite")
    shutil.copyfile(cached, path)
    return Filled(f"sqlite:///{path}", cleanup, counts_or_none, time.perf_counter() - t)


def postgres_database(children: int, sample: Path, pg_url: str, *, cache: bool) -> Filled:
    """A new PostgreSQL database with ``children`` children, made from the cached one when ``cache``."""
    _use_bench_key()
    base = make_url(pg_url)
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"guanai_bench_run_{uuid.uuid4().hex[:8]}"
    url = base.set(database=name).render_as_string(hide_password=False)

    def cleanup() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    t = time.perf_counter()
    if not cache:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        counts = _fill(url, children, sample, postgres=True)
        return Filled(url, cleanup, counts, time.perf_counter() - t)
    cached = f"guanai_bench_{children}_{_schema_tag()}"
    counts_or_none = _load_counts(children, "pg")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": cached}).first()
        if not exists or counts_or_none is None:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{cached}"'))
            conn.execute(text(f'CREATE DATABASE "{cached}"'))
            counts_or_none = _fill(base.set(database=cached).render_as_string(hide_password=False),
                                   children, sample, postgres=True)
            _save_counts(children, counts_or_none, "pg")
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{cached}"'))
    return Filled(url, cleanup, counts_or_none, time.perf_counter() - t)


def database(backend: str, children: int, sample: Path, pg_url: str, *, cache: bool) -> Filled:
    """A filled database on ``backend`` (``sqlite`` or ``postgresql``)."""
    if backend == "sqlite":
        return sqlite_database(children, sample, cache=cache)
    return postgres_database(children, sample, pg_url, cache=cache)
