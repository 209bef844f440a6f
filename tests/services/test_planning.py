"""Planning a city in batches of schools: short transactions, a once-a-day plan marked only when all went well."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.services import planning
from bot.store.models import PlanMarker, School

NOW = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)


def _schools(uow_factory, n: int) -> None:
    with uow_factory() as uow:
        uow.session.add_all([School(name=f"第{i}小学") for i in range(n)])
        uow.commit()


def test_batches_are_sized_to_a_short_transaction() -> None:
    assert planning.next_size(10, 0.1) == 40  # cheap: grows, at most fourfold a batch
    assert planning.next_size(40, 0.8) == 20  # too long: halved to fit the target
    assert planning.next_size(5, 30.0) == planning.LEAST_BATCH  # a fixed cost per batch: no crawl
    assert planning.next_size(100, 0.0, most=100) == 100  # never above the most
    # PostgreSQL's longer target (no single writer to hand over): 40 schools in 0.8 s → 100 fit in 2 s.
    assert planning.next_size(40, 0.8, target=planning.TARGET_SECONDS_POSTGRES) == 100


def test_a_once_a_day_plan_is_marked_only_when_every_batch_succeeded(uow_factory) -> None:
    _schools(uow_factory, 25)
    seen: list[int] = []
    broken = {"on": True}

    def planner(uow, ids):
        if broken["on"] and 12 in ids:
            raise RuntimeError("bad data in one school")
        seen.extend(ids)
        return len(ids)

    made, failed = planning.plan_in_batches(uow_factory, planner, once=("programme:2026-12-04", NOW))
    assert failed == 1 and made < 25
    with uow_factory() as uow:
        assert uow.session.scalar(select(PlanMarker).where(PlanMarker.key == "programme:2026-12-04")) is None

    broken["on"] = False
    seen.clear()
    made, failed = planning.plan_in_batches(uow_factory, planner, once=("programme:2026-12-04", NOW))
    assert (made, failed) == (25, 0) and sorted(seen) == sorted(set(seen))  # every school once, the next tick
    made, failed = planning.plan_in_batches(uow_factory, planner, once=("programme:2026-12-04", NOW))
    assert (made, failed) == (0, 0)  # marked: later ticks that day do nothing


def test_a_batch_is_planned_without_the_cyclic_collector_which_is_back_afterwards(uow_factory) -> None:
    """Issue 7, item 5: the collector's passes over a batch held the event loop; it pauses per batch only."""
    import gc

    _schools(uow_factory, 12)
    during: list[bool] = []

    def planner(uow, ids):
        during.append(gc.isenabled())
        if 5 in ids:
            raise RuntimeError("bad data in one school")
        return len(ids)

    assert gc.isenabled()
    planning.plan_in_batches(uow_factory, planner)
    assert during and not any(during)
    assert gc.isenabled()  # also after the batch that raised


def test_on_sqlite_the_gap_between_batches_is_left_when_a_transaction_waits_for_the_lock(uow_factory,
                                                                                       monkeypatch) -> None:
    """Issue 7, item 5: a city's Friday took 20–38 gaps of 0.12 s; one is left only when someone waits for it."""
    import threading

    _schools(uow_factory, 60)
    with uow_factory() as uow:
        if uow.dialect != "sqlite":
            return  # PostgreSQL has no gaps
    slept: list[float] = []
    monkeypatch.setattr(planning.time, "sleep", slept.append)
    sizes: list[int] = []
    reply_done = threading.Event()

    def planner(uow, ids):
        sizes.append(len(ids))
        if len(sizes) == 2:  # a chat reply starts while the second batch holds the lock
            def reply() -> None:
                with uow_factory() as other:
                    other.session.add(School(name="回复时新建"))
                    other.commit()
                reply_done.set()

            threading.Thread(target=reply, daemon=True).start()
            deadline = planning.time.perf_counter() + 2
            while not planning.write_lock.waiting() and planning.time.perf_counter() < deadline:
                pass  # until the reply's BEGIN IMMEDIATE waits on our lock
        return len(ids)

    made, failed = planning.plan_in_batches(uow_factory, planner)
    assert (made, failed) == (60, 0) and len(sizes) >= 3
    assert slept == [planning.SQLITE_GAP_SECONDS]  # after the second batch only: nobody waited otherwise
    assert reply_done.wait(5)


def test_on_postgresql_two_batches_of_check_ins_are_planned_at_once(uow_factory) -> None:
    """Issue 7, item 5: a city's check-ins are the server's work per row; two connections share it on PostgreSQL.

    On SQLite (one writer) the batches still run one at a time; either way every school is planned once
    and the collector is paused during the batches and back afterwards.
    """
    import gc
    import threading

    _schools(uow_factory, 30)
    with uow_factory() as uow:
        postgres = uow.dialect == "postgresql"
    both = threading.Barrier(2, timeout=5)
    lock = threading.Lock()
    seen: list[int] = []
    met: list[bool] = []
    collector: list[bool] = []
    running = {"now": 0, "most": 0}

    def planner(uow, ids):
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
            first_two = len(met) + running["now"] <= 2
        collector.append(gc.isenabled())
        if postgres and first_two:  # the first two batches wait for each other: only at once do both go on
            try:
                both.wait()
                met.append(True)
            except threading.BrokenBarrierError:
                met.append(False)
        uow.session.add(PlanMarker(key=f"test:{ids[0]}", created_at=NOW))  # each batch writes in its transaction
        with lock:
            seen.extend(ids)
            running["now"] -= 1
        return len(ids)

    made, failed = planning.plan_in_batches(uow_factory, planner, workers=planning.CHECKIN_WORKERS_POSTGRES)
    assert (made, failed) == (30, 0)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 30  # every school once
    if postgres:
        assert met == [True, True] and running["most"] == 2
    else:
        assert running["most"] == 1 and not met
    assert collector and not any(collector) and gc.isenabled()
    with uow_factory() as uow:
        assert len(uow.session.scalars(select(PlanMarker).where(PlanMarker.key.like("test:%"))).all()) >= 2


def test_a_batch_that_fails_while_another_runs_loses_no_other_school(uow_factory) -> None:
    """Issue 7, item 5: with two batches at once (PostgreSQL), one batch's error is logged and counted only.

    The other batches, those running beside it and those after it, are still planned and committed.
    """
    _schools(uow_factory, 40)
    with uow_factory() as uow:
        ids = sorted(uow.session.scalars(select(School.id)))
    broken = ids[3]

    def planner(uow, chunk):
        uow.session.add(PlanMarker(key=f"test:{chunk[0]}", created_at=NOW))
        if broken in chunk:
            raise RuntimeError("bad data in one school")
        return len(chunk)

    made, failed = planning.plan_in_batches(uow_factory, planner, workers=planning.CHECKIN_WORKERS_POSTGRES)
    assert failed == 1 and made == 40 - planning.FIRST_BATCH  # the first batch (ids[0:10]) held the bad school
    with uow_factory() as uow:
        keys = set(uow.session.scalars(select(PlanMarker.key).where(PlanMarker.key.like("test:%"))))
    assert f"test:{ids[0]}" not in keys  # rolled back
    assert f"test:{ids[planning.FIRST_BATCH]}" in keys  # the batch beside it was committed


def test_an_outbox_row_is_written_to_five_indexes(uow_factory) -> None:
    """Issue 7, item 5: a city's Friday writes 260,000 outbox rows; ix_outbox_ready (migration 0030) was unused."""
    from sqlalchemy import inspect

    with uow_factory() as uow:
        names = {ix["name"] for ix in inspect(uow.session.connection()).get_indexes("outbox")}
    assert "ix_outbox_ready" not in names
    assert {"ix_outbox_queue", "ix_outbox_person_id", "ix_outbox_child_id"} <= names
