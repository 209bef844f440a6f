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
    python -m benchmarks.reminders --sizes 26000 --fill-cache --runs 3   # fill once, three runs on copies
    python -m benchmarks.reminders --sizes 26000 --fill-cache --profile --stall-dump

``--fill-cache`` keeps each size's filled database (``benchmarks.fills``) and
runs on a copy; ``--fill-only`` builds the cache and stops; ``--profile``
prints the tick's database work by cumulative time; ``--stall-dump`` prints
where the event loop was whenever it was held 40 ms or more.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import resource
import statistics
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.fills import database
from bot.config import load_settings
from bot.domain.clock import ManualClock
from bot.flows.runner import FlowRunner, Inbound
from bot.scheduler import jobs
from bot.services import checkins, digests
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Checkin, OutboxMessage
from bot.store.uow import UnitOfWorkFactory

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
# Friday 2026-12-04 18:05 Asia/Shanghai, in UTC: check-in moment, and a school day after 07:30 (digests).
TICK_AT = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)
PLANNERS = {"plan_checkins": checkins, "plan_digests": digests}
SECONDS: dict[str, float] = {}  # planner → seconds spent in it since last cleared


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


class StallDump:
    """Samples the event loop thread's stack whenever the loop has not run for :data:`STALL_MS` (``--stall-dump``)."""

    STALL_MS = 40

    def __init__(self) -> None:
        self.beat = time.perf_counter()
        self.stacks: Counter[tuple[str, ...]] = Counter()
        self.loop_thread = threading.get_ident()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.gc_pauses: list[tuple[float, int]] = []  # (seconds, generation) of every collection
        self._gc_began = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.gc_pauses.append((time.perf_counter() - self._gc_began, info["generation"]))

    def _watch(self) -> None:
        while not self.done.wait(0.01):
            if (time.perf_counter() - self.beat) * 1000 < self.STALL_MS:
                continue
            frame = sys._current_frames().get(self.loop_thread)
            if frame is not None:
                stack = traceback.extract_stack(frame)[-12:]
                self.stacks[tuple(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack)] += 1

    def print(self) -> None:
        gc.callbacks.remove(self._gc)
        longest = sorted(self.gc_pauses, reverse=True)[:3]
        print(f"  garbage collections during the tick: {len(self.gc_pauses)}, "
              f"{sum(p for p, _g in self.gc_pauses) * 1000:.0f} ms in all; longest "
              + ", ".join(f"{p * 1000:.0f} ms (gen {g})" for p, g in longest))
        print(f"  stall samples (loop held ≥ {self.STALL_MS} ms, every 10 ms): {sum(self.stacks.values())}")
        for stack, n in self.stacks.most_common(5):
            print(f"    {n:4d} × " + "\n           ".join(stack[::-1][:8]))


async def _tick_with_probes(uow: UnitOfWorkFactory, clock: ManualClock, settings: Any, flows: FlowRunner,
                            dump: StallDump | None = None) -> tuple[jobs.TickReport, float, list[float], float]:
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
            if dump is not None:
                dump.beat = t
            await asyncio.sleep(0.005)
            stall = max(stall, time.perf_counter() - t - 0.005)

    if dump is not None:
        dump.loop_thread = threading.get_ident()
        dump.thread.start()
    probes = [asyncio.create_task(replies()), asyncio.create_task(timer())]
    await asyncio.sleep(0.3)  # the probes are running before the tick starts
    t = time.perf_counter()
    report = await jobs.tick(uow, clock, settings, {}, drain=False, escalate=False)
    seconds = time.perf_counter() - t
    done.set()
    await asyncio.gather(*probes)
    if dump is not None:
        dump.done.set()
        dump.thread.join()
    return report, seconds, latencies, stall


SQL: Counter[str] = Counter()  # statement (its first 160 characters) → seconds, with --profile


def _time_statements(engine: Any) -> None:
    """Sum the database time per statement (``--profile``): which query a planner waits on."""
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, _cursor: Any, _statement: str, _params: Any, _context: Any, _many: bool) -> None:
        conn.info.setdefault("bench_t", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        SQL[" ".join(statement.split())[:160]] += time.perf_counter() - conn.info["bench_t"].pop()


def _profiled_steps(profile: cProfile.Profile) -> None:
    """Run the tick's database steps (a worker thread) under ``profile`` (``--profile``)."""
    original = getattr(jobs._database_steps, "bench_original", jobs._database_steps)

    def wrapper(*args: Any, **kw: Any) -> None:
        profile.enable()
        try:
            original(*args, **kw)
        finally:
            profile.disable()

    wrapper.bench_original = original  # type: ignore[attr-defined]
    jobs._database_steps = wrapper  # type: ignore[assignment]


def run(backend: str, children: int, pg_url: str, sample: Path, skip: set[str], *, cache: bool = False,
        profile: bool = False, stall_dump: bool = False) -> None:
    filled = database(backend, children, sample, pg_url, cache=cache)
    try:
        url, counts, fill = filled.url, filled.counts, filled.fill_seconds
        engine = make_engine(url)
        uow = UnitOfWorkFactory(make_session_factory(engine))
        settings = load_settings(database_url=url)
        clock = ManualClock(TICK_AT)
        flows = FlowRunner(uow, clock, settings)
        _timed_planners(skip)
        _timed_steps()
        prof = cProfile.Profile() if profile else None
        if prof is not None:
            _profiled_steps(prof)
            _time_statements(engine)
        jobs.settle_startup_objects()  # as `guanai run` does before its scheduler starts
        dump = StallDump() if stall_dump else None
        SECONDS.clear()
        STEPS.clear()
        peak_before = _peak_mib()
        report, tick_s, latencies, stall = asyncio.run(_tick_with_probes(uow, clock, settings, flows, dump))
        peak_after = _peak_mib()
        if prof is not None:
            jobs._database_steps = jobs._database_steps.bench_original  # type: ignore[attr-defined]
        clock.advance(timedelta(minutes=1))
        seconds, steps = dict(SECONDS), dict(STEPS)
        SECONDS.clear()
        again, again_s, _lat, _st = asyncio.run(_tick_with_probes(uow, clock, settings, flows))
        again_seconds = dict(SECONDS)
        with uow() as u:
            outbox = u.session.scalar(select(func.count()).select_from(OutboxMessage))
            planned = u.session.scalar(select(func.count()).select_from(Checkin))
        print(f"backend={backend} children={counts['children']:,} schools={counts['schools']:,} "
              f"people={counts['people']:,} relations={counts['relations']:,} "
              f"({'copy of the cached fill' if cache else 'fill'} {fill:.1f} s)")
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
        if dump is not None:
            dump.print()
        if prof is not None:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(35)
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
            print("  slowest statements (database time, summed):")
            for statement, secs in SQL.most_common(12):
                print(f"    {secs:7.2f} s  {statement}")
            print(out.getvalue())
        engine.dispose()
    finally:
        filled.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="3000,26000,260000", help="children, comma-separated")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--skip", default="", help="planners to leave out, e.g. plan_digests")
    parser.add_argument("--fill-cache", action="store_true",
                        help="fill each size once into a cached database and run on a copy (benchmarks.fills)")
    parser.add_argument("--fill-only", action="store_true", help="build the cached fills and stop")
    parser.add_argument("--profile", action="store_true", help="print the tick's database work profiled (cProfile)")
    parser.add_argument("--stall-dump", action="store_true",
                        help="print where the event loop was when it stalled (sampled stacks)")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (each on a fresh copy)")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        for size in (int(s) for s in args.sizes.split(",")):
            if args.fill_only:
                filled = database(backend, size, args.sample, args.pg_url, cache=True)
                filled.cleanup()
                print(f"backend={backend} children={size:,}: cached fill ready ({filled.fill_seconds:.1f} s)")
                continue
            for _ in range(args.runs):
                run(backend, size, args.pg_url, args.sample, skip, cache=args.fill_cache or args.runs > 1,
                    profile=args.profile, stall_dump=args.stall_dump)


if __name__ == "__main__":
    main()
