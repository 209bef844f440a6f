"""The scheduler: the APScheduler job's settings and a tick that wakes every service."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.bootstrap import Container, build, make_scheduler, tick
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.scheduler import TICK_JOB_ID, jobs
from bot.services import checkins, incident_escalation
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
