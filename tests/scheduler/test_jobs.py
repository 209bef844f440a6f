"""The scheduler: the APScheduler job's settings and a tick that wakes every service."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from bot.bootstrap import Container, build, make_flows, make_scheduler, tick
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.flows.runner import Inbound
from bot.scheduler import TICK_JOB_ID, jobs
from bot.services import checkins, digests, incident_escalation, planning
from bot.store.models import Checkin, OutboxMessage
from tests.support.fakes import FakeSender
from tests.support.school import tiny_school

FRIDAY_1800 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    c = build(Settings(database_url=database_url, tick_seconds=15), clock=ManualClock(FRIDAY_1800))
    yield c
    c.engine.dispose()


def test_tick_job_never_misses_and_never_overlaps() -> None:
    c = build(Settings(database_url="sqlite://", tick_seconds=15), clock=ManualClock(FRIDAY_1800))
    scheduler = make_scheduler(c, {})
    job = scheduler.get_job(TICK_JOB_ID)
    assert job.misfire_grace_time is None  # not APScheduler's 1 s default
    assert job.coalesce is True and job.max_instances == 1
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval.total_seconds() == 15
    assert job.func is jobs.tick
    c.engine.dispose()


def test_tick_plans_and_sends_the_checkin(container, monkeypatch) -> None:
    monkeypatch.setattr(incident_escalation, "run_escalations", lambda uow, *, now: 0)
    ids = tiny_school(container.uow)
    sender = FakeSender()
    report = asyncio.run(tick(container, {"telegram": sender}))
    assert report.errors == []
    # Friday 18:00: the guardian's check-in, and the three volunteers'/teacher's digests of the day.
    assert report.counts["plan_checkins"] == 1 and report.counts["plan_digests"] == 3
    assert report.drain.sent == 4
    [question] = sender.to(f"tg-{ids.guardian}")
    assert question.prompt.message_id == "How is {child} this week?"
    again = asyncio.run(tick(container, {"telegram": sender}))
    assert {"plan_checkins", "remind_checkins", "run_escalations", "plan_digests", "plan_programme",
            "remind_programme", "expire_bindings"} <= set(again.counts)
    assert set(again.counts.values()) == {0}  # nothing planned twice
    assert len(sender.sent) == 4


def test_a_failing_service_is_logged_and_the_others_still_run(container, monkeypatch, caplog) -> None:
    def broken(uow, *, now, settings):
        raise RuntimeError("boom")

    monkeypatch.setattr(incident_escalation, "run_escalations", lambda uow, *, now: 0)
    monkeypatch.setattr(checkins, "remind_checkins", broken)
    ids = tiny_school(container.uow)
    sender = FakeSender()
    report = asyncio.run(tick(container, {"telegram": sender}))
    assert report.errors == ["remind_checkins"]
    assert "scheduler step remind_checkins failed" in caplog.text
    assert len(sender.to(f"tg-{ids.guardian}")) == 1 and report.drain.sent == 4


def test_planning_twice_creates_nothing_new(container) -> None:
    """Friday 18:00, the schools planned in batches of their own transactions; a second run finds everything done."""
    tiny_school(container.uow)
    settings, now = container.settings, FRIDAY_1800

    def plan() -> tuple[int, int]:
        made, failed = planning.plan_in_batches(
            container.uow, lambda uow, ids: checkins.plan_checkins(uow, now=now, settings=settings, school_ids=ids),
            size=1)
        made_digests, failed_digests = planning.plan_in_batches(
            container.uow, lambda uow, ids: digests.plan_digests(uow, now=now, settings=settings, school_ids=ids),
            size=1)
        assert failed == failed_digests == 0
        return made, made_digests

    def rows() -> tuple[int, int]:
        with container.uow() as uow:
            return (uow.session.scalar(select(func.count()).select_from(Checkin)),
                    uow.session.scalar(select(func.count()).select_from(OutboxMessage)))

    assert plan() == (1, 3)  # the guardian's check-in; the teacher's, helper's and volunteer's digests
    assert rows() == (1, 4)
    assert plan() == (0, 0)
    assert rows() == (1, 4)


def test_a_chat_reply_is_answered_while_the_tick_plans(container, monkeypatch) -> None:
    """The tick's planning runs in a worker thread: a teacher asking /due meanwhile gets the answer at once."""
    ids = tiny_school(container.uow)
    answered = threading.Event()
    real = checkins.plan_checkins

    def planning_until_answered(uow, **kwargs):
        # Were the planner on the event loop, this wait would hold the loop and the reply could never come.
        assert answered.wait(10), "no reply while planning"
        return real(uow, **kwargs)

    monkeypatch.setattr(checkins, "plan_checkins", planning_until_answered)
    flows = make_flows(container)

    async def friday_evening():
        ticking = asyncio.create_task(tick(container, {}))
        await asyncio.sleep(0.05)  # the tick is planning now
        reply = await asyncio.to_thread(flows.handle, Inbound(channel="telegram", account_id=f"tg-{ids.teacher}",
                                                              text="/due"))
        answered.set()
        return reply, await ticking

    reply, report = asyncio.run(friday_evening())
    assert "张小明" in str(reply.prompts)  # the teacher sees the child whose monthly talk is due
    assert report.errors == [] and report.counts["plan_checkins"] == 1


def test_start_up_objects_are_settled_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`guanai run` freezes what start-up built before the first tick; serving again freezes nothing more."""
    import gc
    import sys

    frozen: list[int] = []
    monkeypatch.setattr(jobs, "_SETTLED", False)
    monkeypatch.setattr(jobs.gc, "freeze", lambda: frozen.append(1))
    monkeypatch.setattr(jobs.gc, "collect", lambda *a: 0)
    interval = sys.getswitchinterval()
    try:
        jobs.settle_startup_objects()
        jobs.settle_startup_objects()
        assert frozen == [1]
        assert sys.getswitchinterval() == pytest.approx(jobs.SWITCH_INTERVAL)
    finally:
        sys.setswitchinterval(interval)
    assert gc.isenabled()
