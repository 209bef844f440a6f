"""Closing an incident while the outbox drain is sending its messages.

A close cancels only rows nobody is sending (no live claim); the drain never
records a cancelled row as sent, nor marks a sent row cancelled: every row
ends with at most one of ``sent_at``, ``failed_at``, ``cancelled_at``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.messages.prompt import Prompt
from bot.services.delivery import drain_outbox
from bot.services.incident_close import CANCELLED, CloseResult, close_incident
from bot.services.incidents import report_incident
from bot.services.ports import TransientSendError
from bot.store.models import OutboxMessage
from tests.support.fakes import FakeSender
from tests.support.school import tiny_school

SETTINGS = Settings(database_url="sqlite://")


@dataclass
class ClosingSender(FakeSender):
    """Runs ``during`` (e.g. a close by the teacher) while a message to account ``on`` is on the wire."""

    on: str = ""
    during: Callable[[], None] | None = None
    then: Exception | None = None
    calls: list[str] = field(default_factory=list)

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        self.calls.append(account_id)
        if self.during is not None and account_id == self.on:
            during, self.during = self.during, None
            during()
            if self.then is not None:
                raise self.then
        await super().send(account_id, prompt, locale, timezone)


def _report(uow_factory, ids, now) -> int:
    with uow_factory() as uow:
        iid = report_incident(uow, reporter_id=ids.teacher, child_id=ids.child, kind="injury",
                              severity="emergency", description="摔伤", now=now)
        uow.commit()
    return iid


def _close(uow_factory, ids, iid, now) -> None:
    with uow_factory() as uow:
        closed = close_incident(uow, person_id=ids.teacher, incident_id=iid, now=now, outcome="safe_at_school")
        assert closed is CloseResult.CLOSED
        uow.commit()


def _alert(uow_factory, iid, person_id) -> OutboxMessage:
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(
            OutboxMessage.key == f"incident:{iid}:step:1:person:{person_id}:send"))
        uow.session.expunge(row)
        return row


def _drain(uow_factory, sender, now) -> None:
    asyncio.run(drain_outbox(uow_factory, {sender.channel: sender}, now=now, settings=SETTINGS))


def test_a_close_during_the_send_leaves_the_alert_sent_not_cancelled(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    iid = _report(uow_factory, ids, now)
    sender = ClosingSender(on=f"tg-{ids.guardian}", during=lambda: _close(uow_factory, ids, iid, now))
    _drain(uow_factory, sender, now)
    row = _alert(uow_factory, iid, ids.guardian)
    assert f"tg-{ids.guardian}" in [s.account_id for s in sender.sent]
    assert row.sent_at == now and row.failed_at is None and row.cancelled_at is None


def test_an_alert_that_failed_during_the_close_is_not_retried(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    iid = _report(uow_factory, ids, now)
    sender = ClosingSender(on=f"tg-{ids.guardian}", during=lambda: _close(uow_factory, ids, iid, now),
                           then=TransientSendError("network"))
    _drain(uow_factory, sender, now)
    later = now + timedelta(minutes=20)
    _drain(uow_factory, sender, later)
    to_guardian = [s.prompt for s in sender.sent if s.account_id == f"tg-{ids.guardian}"]
    assert not [p for p in to_guardian if any(c.payload == f"ack:{iid}" for c in p.choices)]  # no alert
    row = _alert(uow_factory, iid, ids.guardian)
    assert row.sent_at is None and row.failed_at is None
    assert row.cancelled_at == later and row.last_error == CANCELLED


def test_a_send_finishing_after_its_lease_ran_out_does_not_overwrite_the_cancel(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    iid = _report(uow_factory, ids, now)
    late = now + timedelta(minutes=5)  # the worker stalled past its 2-minute lease; the close cancels the row

    def stall_then_close() -> None:
        _close(uow_factory, ids, iid, late)

    sender = ClosingSender(on=f"tg-{ids.guardian}", during=stall_then_close)
    _drain(uow_factory, sender, now)
    row = _alert(uow_factory, iid, ids.guardian)
    assert row.cancelled_at == late and row.last_error == CANCELLED
    assert row.sent_at is None and row.failed_at is None


def test_close_cancels_unclaimed_rows_only(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)  # no father, no officials: the teacher is told step 2 and 3 have nobody
    now = clock.now()
    iid = _report(uow_factory, ids, now)
    with uow_factory() as uow:  # a drain has just claimed the alert (its lease runs 2 minutes)
        alert = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key.like("%:send")))
        alert.claimed_until = now + timedelta(minutes=2)
        uow.commit()
    _close(uow_factory, ids, iid, now + timedelta(minutes=1))
    row = _alert(uow_factory, iid, ids.guardian)
    assert row.cancelled_at is None and row.failed_at is None  # being sent: left to the drain
    with uow_factory() as uow:
        notice = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key.like("%:no_recipients:%")))
        assert notice.cancelled_at == now + timedelta(minutes=1) and notice.last_error == CANCELLED
        assert notice.failed_at is None and notice.sent_at is None
