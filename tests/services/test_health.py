"""Health of delivery: heartbeats, the oldest urgent message, silent schools, the no-signal alarm,
``/healthz`` and ``guanai status``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.cli import main
from bot.config import Settings
from bot.domain.enums import Channel, Priority, Role
from bot.messages.prompt import Prompt, text
from bot.services import health, no_signal
from bot.services.outbox import enqueue
from bot.store.db import make_engine
from bot.store.models import Checkin, OutboxMessage, Person, PersonRole
from bot.web.app import create_app
from tests.support.school import add_account, tiny_school

SETTINGS = Settings(database_url="sqlite://", tick_seconds=30)


def _admin(uow_factory, school: int) -> int:
    with uow_factory() as uow:
        person = Person(school_id=school, name="周校长", natural_key="t:admin")
        person.roles = [PersonRole(role=Role.ADMIN.value)]
        uow.session.add(person)
        uow.session.flush()
        add_account(uow.session, person.id, "tg-admin")
        add_account(uow.session, person.id, "wecom-admin", channel=Channel.WECOM.value)
        uow.commit()
        return person.id


def test_fresh_heartbeats_and_no_waiting_alert_are_healthy(uow_factory, clock) -> None:
    now = clock.now()
    for role in health.ROLES:
        health.beat(uow_factory, worker=f"w1:{role}", role=role, now=now, started_at=now, progress_at=now)
    report = health.check(uow_factory, now=now + timedelta(seconds=30), settings=SETTINGS)
    assert report.ok and len(report.parts) == 3
    assert report.to_dict()["status"] == "ok"


def test_a_silent_sender_and_an_alert_waiting_over_a_minute_fail(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    health.beat(uow_factory, worker="w1:sender", role="sender", now=now, started_at=now)
    with uow_factory() as uow:
        enqueue(uow.session, key="alert", person_id=ids.guardian, priority=Priority.URGENT, now=now,
                prompt=Prompt("Alert {x}", {"x": text("x")}))
        uow.commit()
    later = now + timedelta(minutes=3)
    report = health.check(uow_factory, now=later, settings=SETTINGS)
    assert not report.ok
    assert {p.message_id for p in report.problems} == {health.STALE_WORKER, health.URGENT_WAITING}
    body = report.to_dict()
    assert body["status"] == "failing" and body["oldest_urgent_age_s"] == 180.0
    # A worker not heard of for a day is taken as removed, not as stalled.
    assert health.check(uow_factory, now=now + timedelta(days=2), settings=SETTINGS).parts == []


def test_the_admins_hear_of_a_stuck_alert_over_another_channel_once(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    admin = _admin(uow_factory, ids.school)
    now = clock.now()
    with uow_factory() as uow:
        enqueue(uow.session, key="alert", person_id=ids.guardian, priority=Priority.URGENT, now=now,
                prompt=Prompt("Alert {x}", {"x": text("x")}))
        uow.commit()
    for minutes in (1, 2, 3):  # not before a minute has passed; then once
        with uow_factory() as uow:
            told = no_signal.raise_alarms(uow, now=now + timedelta(minutes=minutes), settings=SETTINGS)
            uow.commit()
        assert told == (0 if minutes == 1 else 1 if minutes == 2 else 0)
    with uow_factory() as uow:
        [alarm] = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("alarm:%"))).all()
        assert alarm.person_id == admin and alarm.priority == Priority.URGENT.value
        assert (alarm.to_channel, alarm.to_account) == (Channel.WECOM.value, "wecom-admin")  # not Telegram
        assert alarm.payload["message_id"] == no_signal.URGENT_STUCK
        assert alarm.payload["params"]["name"]["v"] == "张奶奶"


def test_a_school_whose_checkins_got_no_answer_by_sunday_is_told_once_a_week(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    _admin(uow_factory, ids.school)
    friday = clock.now() - timedelta(days=3)
    with uow_factory() as uow:
        uow.session.add(Checkin(child_id=ids.child, guardian_id=ids.guardian, period="2026-W48", sent_at=friday,
                                reminder_due_at=friday + timedelta(hours=48)))
        uow.commit()
    report = health.check(uow_factory, now=clock.now(), settings=SETTINGS)
    assert report.silent_schools == {ids.school: 1} and report.ok  # the school's matter, not a failing service
    for _ in range(2):
        with uow_factory() as uow:
            no_signal.raise_alarms(uow, now=clock.now(), settings=SETTINGS)
            uow.commit()
    with uow_factory() as uow:
        alarms = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("alarm:silent:%"))).all()
        assert [a.payload["message_id"] for a in alarms] == [no_signal.SCHOOL_SILENT]


def test_the_principal_hears_of_a_silent_weeks_checkins_once_not_again_after_sunday_midnight(uow_factory) -> None:
    """Issue 9 re-trial: check-ins sent on Friday 4 December, unanswered; the principal was told on Sunday and again
    on Monday (the alarm was keyed by the week it was raised in). The silent round is one incident."""
    ids = tiny_school(uow_factory)
    admin = _admin(uow_factory, ids.school)
    friday = datetime(2026, 12, 4, 9, 58, tzinfo=UTC)  # 17:58 in Shanghai, week 49
    with uow_factory() as uow:
        uow.session.add(Checkin(child_id=ids.child, guardian_id=ids.guardian, period="2026-W49", sent_at=friday,
                                reminder_due_at=friday + timedelta(hours=48)))
        uow.commit()
    sunday, monday = datetime(2026, 12, 6, 2, 58, tzinfo=UTC), datetime(2026, 12, 6, 16, 58, tzinfo=UTC)
    for at in (sunday, sunday + timedelta(hours=1), monday, monday + timedelta(days=1)):  # ticks over midnight
        with uow_factory() as uow:
            no_signal.raise_alarms(uow, now=at, settings=SETTINGS)
            uow.commit()
    with uow_factory() as uow:
        told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == admin,
                                                               OutboxMessage.key.like("alarm:silent:%"))).all()
        assert [a.payload["message_id"] for a in told] == [no_signal.SCHOOL_SILENT]  # once
        # The next week's check-ins, unanswered too, are a new round: told again.
        uow.session.add(Checkin(child_id=ids.child, guardian_id=ids.guardian, period="2026-W50",
                                sent_at=friday + timedelta(days=7), reminder_due_at=friday + timedelta(days=9)))
        uow.commit()
    with uow_factory() as uow:
        no_signal.raise_alarms(uow, now=sunday + timedelta(days=7), settings=SETTINGS)
        uow.commit()
    with uow_factory() as uow:
        told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == admin,
                                                               OutboxMessage.key.like("alarm:silent:%"))).all()
        assert len(told) == 2


async def test_healthz_fails_with_the_problems_when_delivery_is_stale(database_url: str) -> None:
    async def failing() -> tuple[bool, dict]:
        return False, {"status": "failing", "problems": [{"problem": health.URGENT_WAITING, "seconds": 90}]}

    engine = make_engine(database_url)
    try:
        app = create_app(engine, delivery_health=failing)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            response = await client.get("/healthz")
    finally:
        engine.dispose()
    assert response.status_code == 503
    assert response.json()["problems"] == [{"problem": health.URGENT_WAITING, "seconds": 90}]


def test_guanai_status_prints_the_workers_and_fails_when_stale(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from bot.store.db import make_session_factory
    from bot.store.uow import UnitOfWorkFactory

    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "最近一天没有任何工作进程写入心跳" in out and out.strip().endswith("状态：正常")

    engine = make_engine(database_url)
    old = datetime.now(UTC) - timedelta(minutes=10)
    health.beat(UnitOfWorkFactory(make_session_factory(engine)), worker="host:1:sender", role="sender", now=old,
                started_at=old, progress_at=old)
    engine.dispose()
    assert main(["status"]) == 1
    out = capsys.readouterr().out
    assert "host:1:sender（sender）：最近一次心跳在 6" in out
    assert "工作进程 host:1:sender 的 sender 已 6" in out and out.strip().endswith("状态：异常")
