"""The outbox drain: priority, quiet hours, retries, unreachable accounts and fallbacks."""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.enums import Channel, IncidentKind, Priority, Role, Severity, TaskKind
from bot.i18n import render
from bot.messages.prompt import Prompt, text
from bot.services import checkins, delivery_fallbacks
from bot.services.delivery import drain_outbox, retry_delay
from bot.services.outbox import enqueue
from bot.services.ports import MessageRejectedError
from bot.store.models import (
    ChatAccount,
    Checkin,
    Incident,
    IncidentStep,
    OutboxMessage,
    Person,
    PersonRole,
    Task,
)
from tests.support.fakes import FakeSender, transient
from tests.support.school import add_account, tiny_school

SETTINGS = Settings(database_url="sqlite://")


def _enqueue(uow_factory, person_id: int, key: str, priority: Priority, now: datetime, **kw) -> int:
    with uow_factory() as uow:
        row = enqueue(uow.session, key=key, person_id=person_id, priority=priority, now=now,
                      prompt=Prompt("Hello {who}", {"who": text(key)}), **kw)
        uow.commit()
        return row.id


def _row(uow_factory, row_id: int) -> OutboxMessage:
    with uow_factory() as uow:
        row = uow.session.get(OutboxMessage, row_id)
        uow.session.expunge(row)  # keep the loaded values after the unit of work rolls back
        return row


def _drain(uow_factory, sender, now, **kw):
    senders = sender if isinstance(sender, dict) else {sender.channel: sender}
    return asyncio.run(drain_outbox(uow_factory, senders, now=now, settings=SETTINGS, **kw))


def test_urgent_goes_before_older_bulk(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    _enqueue(uow_factory, ids.guardian, "bulk-1", Priority.BULK, now - timedelta(minutes=5))
    _enqueue(uow_factory, ids.guardian, "urgent-1", Priority.URGENT, now)
    sender = FakeSender()
    _drain(uow_factory, sender, now, limit=1)
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["urgent-1"]
    _drain(uow_factory, sender, now, limit=1)
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["urgent-1", "bulk-1"]


def test_bulk_waits_out_quiet_hours_but_urgent_does_not(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    clock.set(datetime(2026, 11, 30, 13, 30, tzinfo=UTC))  # 21:30 in Shanghai
    now = clock.now()
    bulk = _enqueue(uow_factory, ids.guardian, "bulk", Priority.BULK, now)
    _enqueue(uow_factory, ids.guardian, "urgent", Priority.URGENT, now)
    sender = FakeSender()
    stats = _drain(uow_factory, sender, now)
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["urgent"]
    assert stats.deferred == 1
    seven = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 07:00 Shanghai
    assert _row(uow_factory, bulk).not_before == seven
    _drain(uow_factory, sender, seven - timedelta(minutes=1))
    assert len(sender.sent) == 1
    _drain(uow_factory, sender, seven)
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["urgent", "bulk"]


def test_retry_after_is_honoured(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    row_id = _enqueue(uow_factory, ids.guardian, "m", Priority.URGENT, now)
    sender = FakeSender(fail={f"tg-{ids.guardian}": [transient(retry_after=30)]})
    stats = _drain(uow_factory, sender, now)
    assert stats.retried == 1 and sender.sent == []
    row = _row(uow_factory, row_id)
    assert row.attempts == 1 and row.not_before == now + timedelta(seconds=30) and row.sent_at is None
    _drain(uow_factory, sender, now + timedelta(seconds=29))
    assert sender.sent == []
    _drain(uow_factory, sender, now + timedelta(seconds=30))
    assert len(sender.sent) == 1
    assert _row(uow_factory, row_id).sent_at == now + timedelta(seconds=30)


def test_network_errors_back_off_exponentially(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    row_id = _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    sender = FakeSender(fail={f"tg-{ids.guardian}": [transient(), transient()]})
    _drain(uow_factory, sender, now)
    assert _row(uow_factory, row_id).not_before == now + timedelta(seconds=5)
    second = now + timedelta(seconds=5)
    _drain(uow_factory, sender, second)
    assert _row(uow_factory, row_id).not_before == second + timedelta(seconds=10)
    _drain(uow_factory, sender, second + timedelta(seconds=10))
    assert len(sender.sent) == 1
    assert retry_delay(30) == timedelta(minutes=15)  # capped


def test_blocked_account_is_marked_unreachable_and_the_next_one_used(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    with uow_factory() as uow:  # a second, more recently seen account: tried first
        add_account(uow.session, ids.guardian, "tg-new", last_seen_at=now - timedelta(days=1))
        uow.commit()
    _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    sender = FakeSender(blocked={"tg-new"})
    stats = _drain(uow_factory, sender, now)
    assert [s.account_id for s in sender.sent] == [f"tg-{ids.guardian}"]
    assert stats.sent == 1 and stats.unreachable_accounts == 1
    with uow_factory() as uow:
        blocked = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == "tg-new"))
        assert blocked.unreachable_at == now and "blocked" in blocked.unreachable_reason
    # The unreachable account is not tried again.
    _enqueue(uow_factory, ids.guardian, "m2", Priority.BULK, now)
    sender.blocked.clear()
    _drain(uow_factory, sender, now)
    assert [s.account_id for s in sender.sent] == [f"tg-{ids.guardian}"] * 2


def test_preferred_channel_first_and_locale_from_person_or_school(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    with uow_factory() as uow:
        add_account(uow.session, ids.helper, "wx-helper", channel=Channel.WECHAT.value, bound_at=now)
        uow.session.get(Person, ids.helper).preferred_channel = Channel.TELEGRAM.value
        uow.commit()
    _enqueue(uow_factory, ids.helper, "to-helper", Priority.BULK, now)
    _enqueue(uow_factory, ids.guardian, "to-guardian", Priority.BULK, now)
    tg, wx = FakeSender(), FakeSender(channel=Channel.WECHAT.value)
    _drain(uow_factory, {"telegram": tg, "wechat": wx}, now)
    assert wx.sent == []
    by_account = {s.account_id: (s.locale, s.timezone) for s in tg.sent}
    assert by_account == {f"tg-{ids.helper}": ("en", "Asia/Shanghai"),
                          f"tg-{ids.guardian}": ("zh_Hans", "Asia/Shanghai")}


def test_no_account_left_gives_the_class_teacher_a_phone_task(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    row_id = _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    sender = FakeSender(blocked={f"tg-{ids.guardian}"})
    stats = _drain(uow_factory, sender, now)
    assert stats.failed == 1 and sender.sent == []
    row = _row(uow_factory, row_id)
    assert row.failed_at == now and row.sent_at is None
    with uow_factory() as uow:
        tasks = uow.session.scalars(select(Task)).all()
        assert [(t.kind, t.assignee_id, t.about_person_id, t.child_id) for t in tasks] == [
            (TaskKind.PHONE_CONTACT.value, ids.teacher, ids.guardian, ids.child)]
    _drain(uow_factory, sender, now)  # the teacher's message goes out
    [to_teacher] = sender.to(f"tg-{ids.teacher}")
    shown = render(to_teacher.prompt, to_teacher.locale).text
    assert "张奶奶" in shown and "138 0000 0003" in shown and "张小明" in shown
    # The failed row is not retried, and another failure the same day adds no second task.
    _enqueue(uow_factory, ids.guardian, "m2", Priority.BULK, now)
    _drain(uow_factory, sender, now + timedelta(days=3))
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 1
    # A week on, with the first task still open, the teacher is asked again.
    _enqueue(uow_factory, ids.guardian, "m3", Priority.URGENT, now)
    _drain(uow_factory, sender, now + timedelta(days=8))
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 2


def test_a_parent_who_never_bound_falls_back_at_once(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    row_id = _enqueue(uow_factory, ids.mother, "m", Priority.BULK, now)
    sender = FakeSender()
    _drain(uow_factory, sender, now)
    assert _row(uow_factory, row_id).failed_at == now
    with uow_factory() as uow:
        task = uow.session.scalar(select(Task))
        assert task.assignee_id == ids.teacher and task.about_person_id == ids.mother


def _alert_step(uow_factory, ids, person: int, now: datetime, *, due_by: datetime) -> int:
    """An emergency (injury) reported about the child now, its first alert step to ``person``: the step's id."""
    with uow_factory() as uow:
        incident = Incident(child_id=ids.child, reporter_id=ids.teacher, kind=IncidentKind.INJURY.value,
                            severity=Severity.EMERGENCY.value, description="x", reported_at=now, policy={})
        uow.session.add(incident)
        uow.session.flush()
        step = IncidentStep(incident_id=incident.id, step_no=1, person_id=person, send_by=now, due_by=due_by)
        uow.session.add(step)
        uow.commit()
        return step.id


def _fallback_calls(monkeypatch) -> list[tuple[int, datetime]]:
    """The incident fallback's calls (step id, time), recorded instead of run."""
    calls: list[tuple[int, datetime]] = []
    monkeypatch.setattr(delivery_fallbacks, "on_recipient_unreachable",
                        lambda uow, *, incident_step_id, now: calls.append((incident_step_id, now)),
                        raising=False)
    return calls


def test_incident_row_calls_the_incident_fallback(uow_factory, clock, monkeypatch) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    step_id = _alert_step(uow_factory, ids, ids.guardian, now, due_by=now + timedelta(minutes=30))
    calls = _fallback_calls(monkeypatch)
    row_id = _enqueue(uow_factory, ids.guardian, "inc", Priority.URGENT, now, incident_step_id=step_id)
    _drain(uow_factory, FakeSender(blocked={f"tg-{ids.guardian}"}), now)
    assert calls == [(step_id, now)]
    assert _row(uow_factory, row_id).failed_at == now
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0


def test_a_failing_fallback_still_marks_the_row_failed(uow_factory, clock, monkeypatch) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()

    def boom(uow, *, incident_step_id, now):
        raise NotImplementedError

    monkeypatch.setattr(delivery_fallbacks, "on_recipient_unreachable", boom, raising=False)
    step_id = _alert_step(uow_factory, ids, ids.mother, now, due_by=now)
    row_id = _enqueue(uow_factory, ids.mother, "inc", Priority.URGENT, now, incident_step_id=step_id)
    _drain(uow_factory, FakeSender(), now)
    row = _row(uow_factory, row_id)
    assert row.failed_at == now and "fallback failed" in row.last_error


def test_a_refused_message_fails_alone_and_the_account_stays_reachable(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    row_id = _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    sender = FakeSender(fail={f"tg-{ids.guardian}": [MessageRejectedError("telegram: Button_data_invalid")]})
    stats = _drain(uow_factory, sender, now)
    assert (stats.failed, stats.unreachable_accounts, stats.retried) == (1, 0, 0) and sender.sent == []
    row = _row(uow_factory, row_id)
    assert row.failed_at == now and "Button_data_invalid" in row.last_error
    with uow_factory() as uow:
        account = uow.session.scalar(select(ChatAccount).where(ChatAccount.person_id == ids.guardian))
        assert account.unreachable_at is None and account.unreachable_reason is None
        # No phone task for the class teacher: the guardian is reachable, only this message was refused.
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0
    # The refused row is not tried again; the next message to the same account arrives.
    _enqueue(uow_factory, ids.guardian, "m2", Priority.BULK, now)
    _drain(uow_factory, sender, now + timedelta(minutes=1))
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["m2"]


def test_a_refused_incident_alert_calls_the_incident_fallback(uow_factory, clock, monkeypatch) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    step_id = _alert_step(uow_factory, ids, ids.guardian, now, due_by=now + timedelta(minutes=30))
    calls = _fallback_calls(monkeypatch)
    row_id = _enqueue(uow_factory, ids.guardian, "inc", Priority.URGENT, now, incident_step_id=step_id)
    sender = FakeSender(fail={f"tg-{ids.guardian}": [MessageRejectedError("telegram: Button_data_invalid")]})
    _drain(uow_factory, sender, now)
    assert calls == [(step_id, now)]  # the alert did not arrive: the chain moves on as if unreachable
    row = _row(uow_factory, row_id)
    assert row.failed_at == now and "Button_data_invalid" in row.last_error
    with uow_factory() as uow:
        account = uow.session.scalar(select(ChatAccount).where(ChatAccount.person_id == ids.guardian))
        assert account.unreachable_at is None


def _add_admin(uow_factory, name: str = "周校长", role: Role = Role.ADMIN, *, school: int) -> int:
    with uow_factory() as uow:
        admin = Person(school_id=school, name=name, natural_key=f"t:{name}")
        admin.roles.append(PersonRole(role=role.value))
        uow.session.add(admin)
        uow.session.flush()
        add_account(uow.session, admin.id, f"tg-{admin.id}")
        uow.commit()
        return admin.id


def test_needs_help_for_an_unbound_helper_teacher_reaches_the_admins_and_class_teacher(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    admin = _add_admin(uow_factory, school=ids.school)
    leader = _add_admin(uow_factory, "孙书记", Role.SCHOOL_LEADER, school=ids.school)
    with uow_factory() as uow:  # the helper teacher never bound a chat
        uow.session.delete(uow.session.scalar(select(ChatAccount).where(ChatAccount.person_id == ids.helper)))
        checkin = Checkin(child_id=ids.child, guardian_id=ids.guardian, period="2026-W01", sent_at=now,
                          reminder_due_at=now + timedelta(hours=48))
        uow.session.add(checkin)
        uow.commit()
        checkin_id = checkin.id
    with uow_factory() as uow:
        checkins.record_checkin_answer(uow, guardian_id=ids.guardian, checkin_id=checkin_id,
                                       answer="needs_help", now=now)
        uow.commit()
    sender = FakeSender()
    stats = _drain(uow_factory, sender, now)
    assert stats.failed == 1 and stats.forwarded == 3 and sender.sent == []
    stats = _drain(uow_factory, sender, now)
    assert stats.sent == 3
    # The class teacher, the admin and the leader each get the message once, urgent, without buttons.
    assert sorted(s.account_id for s in sender.sent) == sorted(f"tg-{p}" for p in (ids.teacher, admin, leader))
    to_teacher = sender.to(f"tg-{ids.teacher}")[0]
    shown = render(to_teacher.prompt, to_teacher.locale).text
    assert shown.startswith("【紧急】转给您：这条消息原本发给李老师（帮扶教师），但对方无法通过聊天联系到。")
    assert "张奶奶" in shown and "张小明" in shown and "138 0000 0003" in shown
    assert render(to_teacher.prompt, "en").text.startswith(
        "URGENT, forwarded to you: this message was meant for 李老师 (helper teacher), who cannot be reached")
    with uow_factory() as uow:
        forwarded = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith("fwd:"))).all()
        assert {r.priority for r in forwarded} == {Priority.URGENT.value}
        assert all(r.payload["choices"] == [] for r in forwarded)
    # Nothing more happens on later drains: forwarded once.
    assert _drain(uow_factory, sender, now + timedelta(hours=1)).sent == 0


def test_a_failed_forward_is_only_marked_failed(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    admin = _add_admin(uow_factory, school=ids.school)
    row_id = _enqueue(uow_factory, ids.helper, "digest", Priority.BULK, now)
    sender = FakeSender(blocked={f"tg-{ids.helper}", f"tg-{admin}"})
    stats = _drain(uow_factory, sender, now)
    assert (stats.failed, stats.forwarded) == (1, 1)  # not about a child: the admin only
    assert _row(uow_factory, row_id).failed_at == now
    stats = _drain(uow_factory, sender, now)
    assert (stats.failed, stats.forwarded, stats.sent) == (1, 0, 0)
    with uow_factory() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.key, r.failed_at is not None) for r in rows] == [
            ("digest", True), (f"fwd:person:{ids.helper}:2026-W49:to:{admin}", True)]
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0
        forwarded = Prompt.from_dict(rows[1].payload)
    assert render(forwarded, "en").text == (
        "Forwarded to you: this message was meant for 李老师 (helper teacher), who cannot be reached by chat. "
        "Please act on it or pass it on:\nHello digest")


def test_an_unbound_teachers_daily_digest_reaches_the_admins_once_a_week(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()  # Monday 2026-11-30, ISO week 2026-W49 in Shanghai
    admin = _add_admin(uow_factory, school=ids.school)
    sender = FakeSender(blocked={f"tg-{ids.helper}"})
    forwarded = []
    for day in range(8):  # a digest every morning for eight days
        at = now + timedelta(days=day)
        _enqueue(uow_factory, ids.helper, f"digest:{day}", Priority.BULK, at)
        forwarded.append(_drain(uow_factory, sender, at).forwarded)
        _drain(uow_factory, sender, at)
    assert forwarded == [1, 0, 0, 0, 0, 0, 0, 1]  # Monday of this week and Monday of the next
    assert [s.prompt.lines[0][1]["who"]["v"] for s in sender.to(f"tg-{admin}")] == ["digest:0", "digest:7"]


def test_guardians_are_phoned_not_forwarded(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    _add_admin(uow_factory, school=ids.school)
    _enqueue(uow_factory, ids.guardian, "m", Priority.URGENT, now)
    stats = _drain(uow_factory, FakeSender(blocked={f"tg-{ids.guardian}"}), now)
    assert (stats.failed, stats.forwarded) == (1, 0)


def test_a_sent_or_cancelled_row_is_never_sent_again(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    cancelled = _enqueue(uow_factory, ids.guardian, "c", Priority.URGENT, now)
    with uow_factory() as uow:
        uow.session.get(OutboxMessage, cancelled).cancelled_at = now
        uow.commit()
    sender = FakeSender()
    _drain(uow_factory, sender, now)
    _drain(uow_factory, sender, now + timedelta(hours=1))
    assert [s.prompt.params["who"]["v"] for s in sender.sent] == ["m"]
    # Enqueueing the same key again is a no-op.
    _enqueue(uow_factory, ids.guardian, "m", Priority.BULK, now)
    _drain(uow_factory, sender, now + timedelta(hours=2))
    assert len(sender.sent) == 1


@pytest.mark.skipif(not os.environ.get("GUANAI_TEST_POSTGRES_URL"), reason="needs PostgreSQL")
def test_two_concurrent_drains_send_each_row_once(uow_factory, database_url, clock) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs a single worker")
    ids = tiny_school(uow_factory)
    now = clock.now()
    for i in range(60):
        _enqueue(uow_factory, ids.guardian, f"m{i}", Priority.URGENT if i % 3 == 0 else Priority.BULK, now)
    lock = threading.Lock()
    sent: list[str] = []

    class SlowSender(FakeSender):
        async def send(self, account_id, prompt, locale, timezone):
            await asyncio.sleep(0.001)  # give the other worker a chance to interleave
            with lock:
                sent.append(prompt.params["who"]["v"])

    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        for _ in range(30):
            asyncio.run(drain_outbox(uow_factory, {"telegram": SlowSender()}, now=now, settings=SETTINGS, limit=4))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sent) == sorted(f"m{i}" for i in range(60))
