"""WeChat: a message that can go only after the person writes waits for them (issue 7 item 4).

Outside the 48-hour customer-service window with no template for the
message, or with the person's customer-service quota used up (45047), a
non-urgent message is neither retried every minute nor failed: it waits for
the person's next message, and the health report counts it meanwhile. The
real WeChatSender against the WeChat API double; the clock is a ManualClock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time, timedelta

import httpx
import pytest
from sqlalchemy import event, select

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import Priority
from bot.handlers.wechat.senders import WeChatSender
from bot.messages.prompt import Prompt
from bot.services import health, identity
from bot.services.delivery import drain_outbox
from bot.services.outbox import enqueue
from bot.store.models import OutboxMessage
from tests.support.school import small_school
from tests.support.wechat_api_double import WeChatApiDouble
from tests.support.wechat_fixtures import CS, OPENID, add_wechat, drop_telegram, wechat_settings

NEWS = Prompt("Thank you. Nothing more is needed.")


@pytest.fixture
def settings(wxapi: WeChatApiDouble) -> Settings:
    return wechat_settings(wxapi, quiet_start=time(0, 0), quiet_end=time(0, 0))


@pytest.fixture
async def senders(settings: Settings, uow_factory, clock: ManualClock) -> AsyncIterator[dict]:
    async with httpx.AsyncClient() as http:
        yield {"wechat": WeChatSender(settings, uow_factory, clock, http=http)}


def _news(uow_factory, person_id: int, key: str, clock: ManualClock, priority: Priority = Priority.BULK) -> None:
    with uow_factory() as uow:
        enqueue(uow.session, key=key, person_id=person_id, priority=priority, now=clock.now(), prompt=NEWS)
        uow.commit()


def _row(uow_factory, key: str) -> OutboxMessage:
    with uow_factory() as uow:
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        uow.session.expunge(row)
        return row


def _grandpa_writes(uow_factory, clock: ManualClock) -> None:
    """张爷爷 writes to the account (the inbound side's identity step): the window opens again."""
    with uow_factory() as uow:
        identity.actor_for(uow, channel="wechat", account_id=OPENID, now=clock.now())
        uow.commit()


async def test_a_bulk_message_outside_the_window_waits_for_grandpa_and_goes_when_he_writes(
    wxapi: WeChatApiDouble, senders, settings: Settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(days=3))  # wrote three days ago
    _news(uow_factory, ids.grandpa, "news-1", clock)

    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert (stats.sent, stats.failed, stats.retried, stats.waiting) == (0, 0, 0, 1)
    row = _row(uow_factory, "news-1")
    assert row.failed_at is None and row.waiting_since == clock.now()
    report = health.check(uow_factory, now=clock.now(), settings=settings)
    assert report.waiting_for_person == 1 and report.to_dict()["waiting_for_person"] == 1
    assert report.ok  # not a fault of the system: it goes when he writes

    clock.advance(timedelta(hours=6))  # not tried again meanwhile
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert (stats.sent, stats.waiting) == (0, 0) and wxapi.calls(CS) == []

    _grandpa_writes(uow_factory, clock)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert stats.sent == 1
    assert [b["text"]["content"] for b in wxapi.delivered(CS)] == ["谢谢，不需要再做什么了。"]
    assert health.check(uow_factory, now=clock.now(), settings=settings).waiting_for_person == 0


async def test_45047_the_quota_used_up_waits_for_grandpa_instead_of_a_retry_every_minute(
    wxapi: WeChatApiDouble, senders, settings: Settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(hours=5))
    wxapi.fail(CS, OPENID, 45047)  # five customer-service messages since he last wrote
    _news(uow_factory, ids.grandpa, "news-1", clock)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert stats.waiting == 1 and len(wxapi.calls(CS)) == 1

    clock.advance(timedelta(minutes=2))  # the old 60 s retry would have called again by now
    await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert len(wxapi.calls(CS)) == 1

    clock.advance(timedelta(hours=1))
    _grandpa_writes(uow_factory, clock)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert stats.sent == 1 and _row(uow_factory, "news-1").sent_at == clock.now()


async def test_an_alert_does_not_wait_for_grandpa_to_write(
    wxapi: WeChatApiDouble, senders, settings: Settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(days=3))
    _news(uow_factory, ids.grandpa, "urgent-1", clock, Priority.URGENT)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert (stats.waiting, stats.failed) == (0, 1)  # refused here: the fallback runs, as before
    assert _row(uow_factory, "urgent-1").waiting_since is None


def _outbox_updates_when_grandpa_writes(uow_factory, clock: ManualClock) -> list[str]:
    """The UPDATEs of the outbox that 张爷爷's message costs (statements counted on the engine)."""
    with uow_factory() as uow:
        engine = uow.session.get_bind()
    statements: list[str] = []

    def seen(conn, cursor, statement: str, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        _grandpa_writes(uow_factory, clock)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return [s for s in statements if s.lstrip().upper().startswith("UPDATE OUTBOX")]


async def test_grandpa_writing_with_nothing_waiting_writes_nothing_to_the_outbox(
    wxapi: WeChatApiDouble, senders, settings: Settings, uow_factory, clock: ManualClock
) -> None:
    ids = small_school(uow_factory, clock.now() - timedelta(days=30))
    drop_telegram(uow_factory, ids.grandpa)
    add_wechat(uow_factory, ids.grandpa, seen=clock.now() - timedelta(hours=1))  # inside the window
    _news(uow_factory, ids.grandpa, "news-1", clock)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert (stats.sent, stats.waiting) == (1, 0)

    assert _outbox_updates_when_grandpa_writes(uow_factory, clock) == []  # nothing waits: no UPDATE

    clock.advance(timedelta(days=3))  # out of the window: the next message waits for him
    _news(uow_factory, ids.grandpa, "news-2", clock)
    stats = await drain_outbox(uow_factory, senders, now=clock.now(), settings=settings)
    assert stats.waiting == 1
    assert len(_outbox_updates_when_grandpa_writes(uow_factory, clock)) == 1  # it waits: released by one UPDATE
    assert _row(uow_factory, "news-2").waiting_since is None
