"""Benchmark: find every due reminder and enqueue it, for a city-sized programme.

Fills a fresh database with copies of the sample school (``benchmarks.scale``)
until it holds ``--children`` left-behind children (default 260,000: about the
left-behind population of one prefecture-level city), then times, at the
check-in moment (Friday 18:00 school time), ``plan_checkins`` (one weekly
check-in per child and entrusted guardian) and, at 07:30, ``plan_digests``
(one digest per teacher listing the talks due). Prints the figures; asserts
nothing about speed.

Usage::

    python -m benchmarks.reminders --children 260000 --backend sqlite
    python -m benchmarks.reminders --backend postgresql --pg-url postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from benchmarks.scale import populate
from bot.config import load_settings
from bot.services.checkins import plan_checkins
from bot.services.digests import plan_digests
from bot.store.db import make_engine, make_session_factory
from bot.store.models import OutboxMessage
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
# Friday 2026-12-04 18:05 and Saturday 07:35 Asia/Shanghai, in UTC.
CHECKIN_AT = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)
DIGEST_AT = datetime(2026, 12, 4, 23, 35, tzinfo=UTC)


def _database(backend: str, pg_url: str) -> tuple[str, callable]:
    if backend == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in pg_url else "?"
    return f"{pg_url}{sep}options=-csearch_path%3D{schema}", drop


def run(backend: str, children: int, pg_url: str, sample: Path) -> None:
    url, cleanup = _database(backend, pg_url)
    try:
        prepare_database(url)
        engine = make_engine(url)
        t0 = time.perf_counter()
        counts = populate(engine, children, sample)
        fill = time.perf_counter() - t0
        if backend == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        uow = UnitOfWorkFactory(make_session_factory(engine))
        settings = load_settings(database_url=url)
        figures = []
        for label, fn, at in (("weekly check-ins", plan_checkins, CHECKIN_AT),
                              ("daily digests", plan_digests, DIGEST_AT)):
            t = time.perf_counter()
            with uow() as u:
                n = fn(u, now=at, settings=settings)
                u.commit()
            figures.append((label, n, time.perf_counter() - t))
        with uow() as u:
            total = u.session.scalar(select(func.count()).select_from(OutboxMessage))
        print(f"backend={backend} children={counts['children']} schools={counts['schools']} "
              f"people={counts['people']} relations={counts['relations']} (fill {fill:.1f} s)")
        for label, n, secs in figures:
            print(f"  {label:18s} enqueued {n:>8,d} in {secs:7.2f} s  ({n / secs if secs else 0:,.0f}/s)")
        print(f"  outbox rows now    {total:>8,d}")
        engine.dispose()
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=260_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.children, args.pg_url, args.sample)


if __name__ == "__main__":
    main()
