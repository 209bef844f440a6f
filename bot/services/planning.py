"""City-scale planning in short transactions: the schools in batches, each batch committed on its own.

Issue 7, item 5: a 260,000-child Friday tick held one write transaction for
minutes, and on SQLite every chat reply that writes waited behind it. The
planners (``plan_checkins``, ``plan_digests``, ``draft_monthly_news``,
``plan_programme``) take ``school_ids``; the tick runs them once per batch of
schools, so a reply waits at most for one batch. The batch size adapts: each
batch is sized from the time the previous one took per school, so that a
transaction lasts about :data:`TARGET_SECONDS` however heavy the planner and
however fast the machine. Each batch writes its plan markers with its rows,
so a batch that fails is planned again by the next tick and the others stay
done.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.services.ports import UnitOfWork, UowFactory
from bot.store import write_lock
from bot.store.models import PlanMarker, School

log = logging.getLogger(__name__)

# The most schools in one batch (about 49,000 children of the sample school): the time target below is what
# bounds a batch; with 100 a city of 2,132 schools took at least 22 batches and their gaps, however fast.
SCHOOLS_PER_TRANSACTION = 400
FIRST_BATCH = 10  # schools in the first batch, before the planner's cost per school is known
LEAST_BATCH = 5  # a planner with a fixed cost per batch must not shrink to one school a batch (a crawl)
TARGET_SECONDS = 0.4  # a transaction this long at most (about): what a chat reply may wait behind it
# PostgreSQL locks rows, not the database: a chat reply never waits behind a planning batch (its new rows
# are invisible, the key-share locks of its foreign keys let replies update people and children). Longer
# batches there spare a city the cost of each (statements planned, a commit flushed): at 0.4 s a
# 260,000-child Friday took about 100 of them.
TARGET_SECONDS_POSTGRES = 2.0
# Check-ins on PostgreSQL: two batches at once (plan_in_batches' workers). Their cost is the server's work per
# row, one process per connection: a second connection halved a 260,000-child Friday on 2 cores.
CHECKIN_WORKERS_POSTGRES = 2
# SQLite has one writer, and a writer waiting on the busy timeout retries only every 100 ms
# at most: without a gap this long between batches, the next batch would take the lock
# again first, every time, and a chat reply would wait out the whole plan (or its timeout).
SQLITE_GAP_SECONDS = 0.12
# The gap is left when a transaction of this process waits for the lock (bot.store.write_lock), and at least this
# often otherwise: a writer of another process (a command run meanwhile) is not seen, and still gets a turn.
SQLITE_GAP_EVERY_SECONDS = 1.0


def school_ids(uow_factory: UowFactory) -> list[int]:
    """Every school's id, in id order."""
    with uow_factory() as uow:
        return list(uow.session.scalars(select(School.id).order_by(School.id)))


def school_batches(uow_factory: UowFactory, size: int = SCHOOLS_PER_TRANSACTION) -> list[list[int]]:
    """Every school's id, in batches of ``size`` (in id order)."""
    ids = school_ids(uow_factory)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def next_size(size: int, seconds: float, *, most: int = SCHOOLS_PER_TRANSACTION,
              target: float = TARGET_SECONDS) -> int:
    """The next batch's size: the schools that fit in ``target`` seconds at the last batch's pace.

    Grows at most fourfold a batch (one cheap batch of schools with nothing to plan
    says little about the next), never below :data:`LEAST_BATCH` nor above ``most``.
    """
    if seconds <= 0:
        return min(most, size * 4)
    fits = int(size * target / seconds)
    return max(min(most, LEAST_BATCH), min(most, size * 4, fits))


def _marked(uow_factory: UowFactory, marker: str) -> bool:
    with uow_factory() as uow:
        return uow.session.scalar(select(PlanMarker.id).where(PlanMarker.key == marker)) is not None


def _mark(uow_factory: UowFactory, marker: str, now: datetime) -> None:
    with uow_factory() as uow:
        insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
        uow.session.execute(insert(cast(Table, PlanMarker.__table__)).on_conflict_do_nothing(index_elements=["key"]),
                            [{"key": marker, "created_at": now}])
        uow.commit()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is planned (issue 7, item 5).

    A batch allocates some 100,000 short-lived objects (rows, talks, payloads);
    each of the collector's full passes over them held the GIL — and so the
    event loop, chat replies included — for 60–80 ms at a time. They are freed
    by reference counting when the batch ends; the collector resumes then.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _no_jit(uow: UnitOfWork) -> None:
    """PostgreSQL, for this batch's transaction only: no JIT.

    A batch's statements are estimated expensive enough for JIT (a few
    thousand rows each), whose compilation cost about 50 ms a statement for
    nothing: each runs once, over rows read by index.
    """
    uow.session.execute(text("SET LOCAL jit = off"))


def plan_in_batches(uow_factory: UowFactory, planner: Callable[[UnitOfWork, Sequence[int]], int],
                    size: int = SCHOOLS_PER_TRANSACTION, *, once: tuple[str, datetime] | None = None,
                    workers: int = 1) -> tuple[int, int]:
    """Run ``planner(uow, school_ids)`` for each batch of schools, each in its own committed transaction.

    A batch that raises is rolled back and logged; the others still run.
    Batches are sized to last about :data:`TARGET_SECONDS` on SQLite, whose one
    writer a chat reply waits for, and :data:`TARGET_SECONDS_POSTGRES` on
    PostgreSQL (:func:`next_size`), ``size`` schools at most.

    Args:
        uow_factory: units of work.
        planner: plans the given schools in the given unit of work (not committing).
        size: the most schools in one batch.
        once: ``(marker key, UTC now)`` for a planner that runs once for all schools (the day's programme):
            nothing is done when the plan marker exists, and it is written once every batch succeeded.
        workers: on PostgreSQL, how many batches run at once, each on its own connection
            (:func:`_in_parallel`); only for a planner whose batches write disjoint rows. SQLite: always one.

    Returns:
        (what the planner returned, summed; how many batches failed).
    """
    if once is not None and _marked(uow_factory, once[0]):
        return 0, 0
    with uow_factory() as uow:
        ids = list(uow.session.scalars(select(School.id).order_by(School.id)))
        postgres = uow.dialect == "postgresql"
    if postgres and workers > 1:
        total, failed = _in_parallel(uow_factory, planner, ids, size, workers)
        if once is not None and not failed:
            _mark(uow_factory, *once)
        return total, failed
    total = failed = 0
    sqlite = False
    batch = min(size, FIRST_BATCH)
    start = 0
    last_gap = time.perf_counter()
    while start < len(ids):
        # (sqlite: set by the batch before.) A waiting writer (a chat reply, the sender) goes first.
        if sqlite and (write_lock.waiting() or time.perf_counter() - last_gap >= SQLITE_GAP_EVERY_SECONDS):
            time.sleep(SQLITE_GAP_SECONDS)
            last_gap = time.perf_counter()
        chunk = ids[start : start + batch]
        start += len(chunk)
        began = time.perf_counter()
        try:
            with uow_factory() as uow, _collector_paused():
                sqlite = uow.dialect == "sqlite"
                if uow.dialect == "postgresql":
                    _no_jit(uow)
                total += int(planner(uow, chunk) or 0)
                uow.commit()
        except Exception:
            failed += 1
            log.exception("planning schools %s to %s failed", chunk[0], chunk[-1])
        batch = next_size(len(chunk), time.perf_counter() - began, most=size,
                          target=TARGET_SECONDS if sqlite else TARGET_SECONDS_POSTGRES)
    if once is not None and not failed:
        _mark(uow_factory, *once)
    return total, failed


def _one_batch(uow_factory: UowFactory, planner: Callable[[UnitOfWork, Sequence[int]], int],
               chunk: list[int]) -> tuple[int, bool, float]:
    """PostgreSQL: plan ``chunk`` in its own committed transaction; (made, whether it failed, seconds taken).

    A batch that raises is rolled back and logged here, in its worker thread, so one batch's error never
    ends the others (:func:`_in_parallel`).
    """
    began = time.perf_counter()
    try:
        with uow_factory() as uow:
            _no_jit(uow)
            made = int(planner(uow, chunk) or 0)
            uow.commit()
        return made, False, time.perf_counter() - began
    except Exception:
        log.exception("planning schools %s to %s failed", chunk[0], chunk[-1])
        return 0, True, time.perf_counter() - began


def _in_parallel(uow_factory: UowFactory, planner: Callable[[UnitOfWork, Sequence[int]], int], ids: list[int],
                 size: int, workers: int) -> tuple[int, int]:
    """PostgreSQL: ``workers`` batches of schools at once, each in its own transaction on its own connection.

    Issue 7, item 5: a city's check-ins are the server's work per row (the foreign-key checks and index
    entries of 260,000 check-ins and their outbox rows), one backend process per connection: one
    connection keeps one core of the server busy, two keep two. The batches write disjoint rows (their
    keys name a child of their own schools; foreign-key checks take key-share locks, which never wait for
    one another), so they neither wait for nor deadlock with each other. This thread hands out the
    batches: whenever one ends, the next is sized from its pace (as in :func:`plan_in_batches`) and
    submitted, so no state is shared between the workers. The collector is paused for the whole run (it
    is global to the process).
    """
    total = failed = 0
    batch = min(size, FIRST_BATCH)
    start = 0
    running: dict[Future[tuple[int, bool, float]], int] = {}  # a batch in flight → how many schools
    with _collector_paused(), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="planning") as pool:
        while start < len(ids) or running:
            while start < len(ids) and len(running) < workers:
                chunk = ids[start : start + batch]
                start += len(chunk)
                running[pool.submit(_one_batch, uow_factory, planner, chunk)] = len(chunk)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                schools = running.pop(future)
                made, broke, seconds = future.result()
                total += made
                failed += broke
                batch = next_size(schools, seconds, most=size, target=TARGET_SECONDS_POSTGRES)
    return total, failed
