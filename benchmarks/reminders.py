"""Benchmark: plan a city's weekly check-ins and daily digests in a real tick, while chat replies go on.

Fills a fresh database with copies of the sample school (``benchmarks.scale``)
until it holds N left-behind children (``--sizes``, default 3,000, 26,000 and
260,000: one prefecture-level city at the top), then runs the scheduler's real
tick (``bot.scheduler.jobs.tick``, no drain, no escalator) at Friday 18:05
school time — a school day, so it plans one check-in per child and entrusted
guardian *and* one digest per teacher with talks due — and a second tick a
minute later, which must find nothing new. Meanwhile the event loop keeps
answering chat messages the way the Telegram handler does
(``asyncio.to_thread(flows.handle, …)``, a ``/help`` every 100 ms from an
account) and a 5 ms timer measures how long the loop itself was held.

Prints, per size: the time each planner took (``plan_checkins``,
``plan_digests``), the whole tick, the second tick, the longest and the 99th
percentile chat-reply latency during the first tick, the longest event-loop
stall, and the growth of the process's peak memory. Asserts nothing.

Usage::

    python -m benchmarks.reminders --sizes 3000,26000,260000 --backend sqlite
    python -m benchmarks.reminders --sizes 260000 --backend postgresql --pg-url postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from benchmarks.scale import populate
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.flows.runner import FlowRunner, Inbound
from bot.scheduler import jobs
from bot.services import checkins, digests
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Checkin, OutboxMessage
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
# Friday 2026-12-04 18:05 Asia/Shanghai, in UTC: check-in moment, and a school day after 07:30 (digests).
TICK_AT = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)
PLANNERS = {"plan_checkins": checkins, "plan_digests": digests}
SECONDS: dict[str, float] = {}  # planner → seconds spent in it since last cleared


def _database(backend: str, pg_url: str) -> tuple[str, Callable[[], None]]:
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


def _timed_planners(skip: set[str]) -> None:
    """Wrap the planners the tick calls (by module attribute) to time them; ``skip`` ones do nothing."""
    for name, module in PLANNERS.items():
        original = getattr(module, name)
        original = getattr(original, "bench_original", original)  # wrap once, whatever the runs

        def wrapper(uow: Any, *, _f: Any = original, _n: str = name, **kw: Any) -> int:
            if _n in skip:
                return 0
            t = time.perf_counter()
            try:
                return int(_f(uow, **kw))
            finally:
                SECONDS[_n] = SECONDS.get(_n, 0.0) + time.perf_counter() - t

        wrapper.bench_original = original  # type: ignore[attr-defined]
        setattr(module, name, wrapper)


STEPS: dict[str, float] = {}  # every tick step → seconds (the slowest are printed)


def _timed_steps() -> None:
    """Time each step of the tick (``jobs._run_step`` / ``jobs._run_batched``, looked up at call time)."""
    for attr in ("_run_step", "_run_batched"):
        original = getattr(jobs, attr, None)
        if original is None or hasattr(original, "bench_original"):
            continue

        def wrapper(uow_factory: Any, name: str, *args: Any, _f: Any = original, **kw: Any) -> None:
            t = time.perf_counter()
            try:
                _f(uow_factory, name, *args, **kw)
            finally:
                STEPS[name] = STEPS.get(name, 0.0) + time.perf_counter() - t

        wrapper.bench_original = original  # type: ignore[attr-defined]
        setattr(jobs, attr, wrapper)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _tick_with_probes(uow: UnitOfWorkFactory, clock: ManualClock, settings: Any,
                            flows: FlowRunner) -> tuple[jobs.TickReport, float, list[float], float]:
    """One tick while replies and a loop timer run; (report, seconds, reply latencies, longest loop stall)."""
    done = asyncio.Event()
    latencies: list[float] = []
    stall = 0.0

    async def replies() -> None:
        n = 0
        while not done.is_set():
            n += 1
            t = time.perf_counter()
            await asyncio.to_thread(flows.handle, Inbound(channel="telegram", account_id="bench-probe",
                                                          text="/help", update_key=f"bench-{n}"))
            latencies.append(time.perf_counter() - t)
            await asyncio.sleep(0.1)

    async def timer() -> None:
        nonlocal stall
        while not done.is_set():
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            stall = max(stall, time.perf_counter() - t - 0.005)

    probes = [asyncio.create_task(replies()), asyncio.create_task(timer())]
    await asyncio.sleep(0.3)  # the probes are running before the tick starts
    t = time.perf_counter()
    report = await jobs.tick(uow, clock, settings, {}, drain=False, escalate=False)
    seconds = time.perf_counter() - t
    done.set()
    await asyncio.gather(*probes)
    return report, seconds, latencies, stall


def run(backend: str, children: int, pg_url: str, sample: Path, skip: set[str]) -> None:
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
        clock = ManualClock(TICK_AT)
        flows = FlowRunner(uow, clock, settings)
        _timed_planners(skip)
        _timed_steps()
        SECONDS.clear()
        STEPS.clear()
        peak_before = _peak_mib()
        report, tick_s, latencies, stall = asyncio.run(_tick_with_probes(uow, clock, settings, flows))
        peak_after = _peak_mib()
        clock.advance(timedelta(minutes=1))
        seconds, steps = dict(SECONDS), dict(STEPS)
        SECONDS.clear()
        again, again_s, _lat, _st = asyncio.run(_tick_with_probes(uow, clock, settings, flows))
        again_seconds = dict(SECONDS)
        with uow() as u:
            outbox = u.session.scalar(select(func.count()).select_from(OutboxMessage))
            planned = u.session.scalar(select(func.count()).select_from(Checkin))
        print(f"backend={backend} children={counts['children']:,} schools={counts['schools']:,} "
              f"people={counts['people']:,} relations={counts['relations']:,} (fill {fill:.1f} s)")
        for name in PLANNERS:
            if name in skip:
                print(f"  {name:14s} skipped")
                continue
            print(f"  {name:14s} {report.counts.get(name, 0):>8,d} planned in {seconds.get(name, 0):7.2f} s; "
                  f"again a minute later: {again.counts.get(name, 0):,d} in {again_seconds.get(name, 0):.2f} s")
        lat = sorted(latencies)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
        print(f"  whole tick     {tick_s:7.2f} s (again: {again_s:.2f} s); errors {report.errors or 'none'}")
        slowest = sorted(steps.items(), key=lambda kv: -kv[1])[:5]
        print("  slowest steps  " + ", ".join(f"{name} {secs:.2f} s" for name, secs in slowest))
        print(f"  chat replies during the tick: {len(lat)}, median {statistics.median(lat) * 1000:.0f} ms, "
              f"p99 {p99 * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms; longest event-loop stall "
              f"{stall * 1000:.0f} ms")
        print(f"  peak memory    {peak_before:.0f} MiB before the tick, {peak_after:.0f} MiB after "
              f"(+{peak_after - peak_before:.0f} MiB); check-ins {planned:,d}, outbox rows {outbox:,d}")
        engine.dispose()
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="3000,26000,260000", help="children, comma-separated")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--skip", default="", help="planners to leave out, e.g. plan_digests")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        for size in (int(s) for s in args.sizes.split(",")):
            run(backend, size, args.pg_url, args.sample, skip)


if __name__ == "__main__":
    main()
