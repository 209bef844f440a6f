"""Benchmark: one planner over a whole city, as the tick runs it, on a copy of the cached fill.

Runs ``plan_digests`` or ``plan_checkins`` at Friday 18:05 school time
(``benchmarks.reminders.TICK_AT``) through ``bot.services.planning.plan_in_batches``
— the batches of schools, their transactions and the gaps between them that
the tick uses (on SQLite, when a transaction waits for the lock and at least
once a second) — and nothing else of the tick, so a change to one planner can
be compared run against run on the same data. The fill is
``benchmarks.fills`` (built once per size and schema, then copied). Prints
what was planned, the seconds and the growth of the process's peak memory.

Usage::

    python -m benchmarks.planners --size 26000 --planner digests
    python -m benchmarks.planners --size 260000 --planner checkins --backend postgresql --pg-url postgresql://…
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

from benchmarks.fills import database
from benchmarks.reminders import SAMPLE, TICK_AT
from bot.config import load_settings
from bot.services import checkins, digests, planning
from bot.store.db import make_engine, make_session_factory
from bot.store.uow import UnitOfWorkFactory


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=26_000, help="children")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--planner", choices=["digests", "checkins"], default="digests")
    args = parser.parse_args()
    filled = database(args.backend, args.size, SAMPLE, args.pg_url, cache=True)
    try:
        engine = make_engine(filled.url)
        uow = UnitOfWorkFactory(make_session_factory(engine))
        settings = load_settings(database_url=filled.url)
        planner = digests.plan_digests if args.planner == "digests" else checkins.plan_checkins
        batches: list[int] = []

        def batch(u: Any, ids: Any) -> int:
            batches.append(len(ids))
            return int(planner(u, now=TICK_AT, settings=settings, school_ids=ids))

        gaps = (f"gaps of {planning.SQLITE_GAP_SECONDS} s when a transaction waits, "
                f"at least every {planning.SQLITE_GAP_EVERY_SECONDS} s")
        before = _peak_mib()
        began, cpu = time.perf_counter(), time.process_time()
        workers = planning.CHECKIN_WORKERS_POSTGRES if args.planner == "checkins" else 1  # as the tick runs it
        total, failed = planning.plan_in_batches(uow, batch, workers=workers)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"{args.backend} {args.size:,} children, {args.planner}: {total:,} planned ({failed} batches failed) "
              f"in {seconds:.2f} s ({cpu:.2f} s of CPU; {len(batches)} batches, "
              f"{gaps if args.backend == 'sqlite' else f'no gaps, {workers} at once'}); peak memory "
              f"{before:.0f} → {_peak_mib():.0f} MiB (+{_peak_mib() - before:.0f} MiB)", flush=True)
        engine.dispose()
    finally:
        filled.cleanup()


if __name__ == "__main__":
    main()
