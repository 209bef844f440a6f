"""Two workers on one PostgreSQL database against the strict Bot API double (issue 7 item 8).

Worker A runs as ``guanai run`` with polling (the one Telegram poller), its
outbox sender and escalator; worker B runs only an outbox sender (any number
may). Rows committed by A wake B through ``LISTEN/NOTIFY``; the overall rate
and each chat's turn are shared through the database's pacing slots; claims
keep one row in flight per recipient, in order. No message arrives twice,
none out of order, and none is refused.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time

import pytest

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import SystemClock
from bot.domain.enums import Priority, Role
from bot.messages.prompt import Prompt, text
from bot.services.outbox import Outgoing, enqueue_many
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_bot
from tests.support.fakes import FakeFlows
from tests.support.school import SchoolBuilder

# 25/s overall rather than the deployed 29: the strict double runs in this test's process and stamps
# arrivals in its own threads, which share the interpreter with both workers, so under load its clock
# bunches calls by tens of milliseconds; 29/s leaves one call of slack in a second against its 30, 25/s
# five. Two workers that did not share the overall rate would still send 50/s and meet many 429s.
GAPS = {"telegram_chat_gap_seconds": 1.0, "telegram_group_gap_seconds": 3.0, "recipient_gap_seconds": 1.0,
        "telegram_messages_per_second": 25.0, "quiet_start": time(0, 0), "quiet_end": time(0, 0)}


async def _until(condition, within: float) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 — the double's state changes in its own threads
            await asyncio.sleep(0.02)


async def test_two_workers_send_each_message_once_and_keep_under_the_limits(
    botapi: BotApiDouble, database_url: str
) -> None:
    clock = SystemClock()  # the pace is real time
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL (SQLite has one writer)")
    botapi.strict = True
    botapi.latency = 0.05
    async with running_bot(botapi, database_url, clock, workers=True, **GAPS) as a:
        settings = load_settings(database_url=database_url, telegram_token=botapi.token,
                                 telegram_api_url=botapi.api_url, **GAPS)
        b = bootstrap.build(settings, clock=clock)  # another process: its own engine, pacer and sender
        app_b = bootstrap.make_telegram_application(b, FakeFlows(), webhook=True)
        assert app_b is not None
        async with app_b:
            sender_b = bootstrap.make_outbox_sender(b, {"telegram": bootstrap.make_telegram_sender(app_b, b.settings)})
            task_b = asyncio.create_task(sender_b.run())
            try:
                await asyncio.sleep(0.3)  # both listening
                with a.uow() as uow:
                    builder = SchoolBuilder(uow.session)
                    people = [builder.person(f"监护人{i}", Role.GUARDIAN) for i in range(40)]
                    for i, person in enumerate(people):
                        builder.account(person, str(8_700_000_000_000 + i))
                    # Two messages each (siblings' check-ins): 80 messages committed at once.
                    enqueue_many(uow.session, [
                        Outgoing(key=f"weekly:{p}:{n}", person_id=p, priority=Priority.BULK,
                                 prompt=Prompt("Weekly {n}", {"n": text(str(n))}))
                        for p in people for n in (1, 2)
                    ], now=clock.now())
                    uow.commit()
                await _until(lambda: len(botapi.sent) >= 80, within=40.0)
                await asyncio.sleep(0.5)  # nothing more comes
            finally:
                sender_b.stop()
                await asyncio.wait_for(task_b, 20)
                b.engine.dispose()
        assert a.sender is not None
    copies = Counter((m.chat_id, m.text) for m in botapi.sent)
    assert len(copies) == 80 and set(copies.values()) == {1}  # each message once
    assert botapi.flood_refusals == 0
    assert sender_b.stats.sent > 0 and a.sender.stats.sent > 0  # both workers sent
    for chat in {m.chat_id for m in botapi.sent}:  # each chat's two messages in order
        assert [m.text for m in botapi.sent if m.chat_id == chat] == ["Weekly 1", "Weekly 2"]
