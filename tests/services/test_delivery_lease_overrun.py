"""A delivery that outlives its lease: the person gets the alert once, and it is never lost (breakB).

Worker A claims an urgent alert to a grandfather with WeChat and Telegram.
Its WeChat call hangs; meanwhile the clock passes A's lease and worker B
claims the row again (a possible repeat) and sends it. When A's WeChat call
finally fails, A must not go on to Telegram: B has the row.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority
from bot.messages.prompt import Prompt, text
from bot.services import outbox_claims
from bot.services.delivery import DrainStats, deliver
from bot.services.outbox import enqueue
from bot.services.ports import PermanentSendError, TransientSendError
from bot.store.models import OutboxMessage
from tests.support.school import add_account, tiny_school

SETTINGS = Settings(database_url="sqlite://")
LEASE = timedelta(seconds=SETTINGS.claim_lease_seconds)


class Hanging:
    """A platform whose call answers only when ``gate`` is set, then raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.gate = asyncio.Event()
        self.error = error

    async def send(self, account_id, prompt, locale, tz) -> None:
        await self.gate.wait()
        raise self.error


class Recorder:
    def __init__(self, who: str, sent: list) -> None:
        self.who, self.sent = who, sent

    async def send(self, account_id, prompt, locale, tz) -> None:
        self.sent.append((self.who, account_id))


def _alert_to_grandpa(uow_factory, clock):
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        add_account(uow.session, ids.guardian, "wx-g", channel="wechat", bound_at=clock.now())
        enqueue(uow.session, key="alert:1", person_id=ids.guardian, prompt=Prompt("Hello {who}", {"who": text("x")}),
                priority=Priority.URGENT, now=clock.now())
        uow.commit()
    return ids


def _row(uow_factory) -> OutboxMessage:
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == "alert:1"))
        uow.session.expunge(row)
        return row


def _claim(uow_factory, clock):
    claimed, _ = outbox_claims.claim(uow_factory, now=clock.now(), settings=SETTINGS, limit=4, lease=LEASE)
    return claimed


async def test_a_worker_whose_call_outlived_its_lease_leaves_the_row_to_the_worker_that_took_it(
    uow_factory, database_url, clock
) -> None:
    ids = _alert_to_grandpa(uow_factory, clock)
    sent: list = []
    wechat_a = Hanging(PermanentSendError("Forbidden: bot was blocked by the user"))
    [a] = _claim(uow_factory, clock)
    stats_a = DrainStats()
    task_a = asyncio.create_task(deliver(uow_factory, a.row_id, {"wechat": wechat_a, "telegram": Recorder("A", sent)},
                                         now=clock.now(), settings=SETTINGS, stats=stats_a, deadline=60,
                                         clock=clock, claims=a.claims))
    await asyncio.sleep(0.2)
    clock.advance(LEASE + timedelta(seconds=1))  # A's WeChat call outlives its lease
    [b] = _claim(uow_factory, clock)
    assert b.row_id == a.row_id and b.repeat
    await deliver(uow_factory, b.row_id, {"wechat": Recorder("B", sent), "telegram": Recorder("B", sent)},
                  now=clock.now(), settings=SETTINGS, stats=DrainStats(), clock=clock, claims=b.claims)
    wechat_a.gate.set()
    await task_a

    assert sent == [("B", "wx-g")]  # once: A did not go on to Telegram
    assert stats_a.given_up == 1 and stats_a.sent == 0 and stats_a.failed == 0
    row = _row(uow_factory)
    assert row.sent_channel == "wechat" and row.failed_at is None and row.attempts == 1
    assert ids.guardian == row.person_id


async def test_a_worker_past_its_lease_that_nobody_took_over_still_sends_it(uow_factory, database_url, clock) -> None:
    _alert_to_grandpa(uow_factory, clock)
    sent: list = []
    wechat = Hanging(PermanentSendError("Forbidden: bot was blocked by the user"))
    [a] = _claim(uow_factory, clock)
    stats = DrainStats()
    task = asyncio.create_task(deliver(uow_factory, a.row_id, {"wechat": wechat, "telegram": Recorder("A", sent)},
                                       now=clock.now(), settings=SETTINGS, stats=stats, deadline=60, clock=clock,
                                       claims=a.claims))
    await asyncio.sleep(0.2)
    clock.advance(LEASE + timedelta(seconds=1))
    wechat.gate.set()
    await task

    assert [who for who, _ in sent] == ["A"] and stats.sent == 1  # not lost: its lease taken up again
    assert _row(uow_factory).sent_channel == "telegram"
    assert _claim(uow_factory, clock) == []


async def test_a_late_network_error_does_not_free_the_row_another_worker_is_sending(
    uow_factory, database_url, clock
) -> None:
    _alert_to_grandpa(uow_factory, clock)
    wechat_a = Hanging(TransientSendError("connection reset"))
    [a] = _claim(uow_factory, clock)
    stats_a = DrainStats()
    task_a = asyncio.create_task(deliver(uow_factory, a.row_id, {"wechat": wechat_a}, now=clock.now(),
                                         settings=SETTINGS, stats=stats_a, deadline=60, clock=clock,
                                         claims=a.claims))
    await asyncio.sleep(0.2)
    clock.advance(LEASE + timedelta(seconds=1))
    [b] = _claim(uow_factory, clock)  # B is sending now
    b_lease = _row(uow_factory).claimed_until
    wechat_a.gate.set()
    await task_a

    row = _row(uow_factory)
    assert stats_a.retried == 0 and stats_a.given_up == 1
    assert row.claimed_until == b_lease and row.attempts == 0  # B keeps its lease: no third worker takes it
    assert _claim(uow_factory, clock) == [] and b.claims == 2
