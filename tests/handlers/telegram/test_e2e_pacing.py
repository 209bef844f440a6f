"""Pacing end to end against the strict Bot API double (issue 7 item 3, item 4's deadline).

The double answers 429 as Telegram does beyond 30 messages a second, one a
second per private chat and 20 a minute per group. The whole application
runs as in ``guanai run`` (polling, the outbox sender, one pacer shared by
replies and outbox) with Telegram's real gaps and the system clock (a retry
after ``retry_after`` is real time); no tick is awaited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time

from sqlalchemy import select

from bot.domain.clock import SystemClock
from bot.domain.enums import Priority, Role
from bot.messages.prompt import Prompt, text
from bot.services.outbox import enqueue
from bot.store.models import OutboxMessage
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import running_bot
from tests.support.school import TG, SchoolBuilder, chain_school

# Telegram's real gaps; no quiet hours, so that the bulk messages go whatever the hour of the run.
# 25/s overall rather than the deployed 29 (as in test_two_workers): the strict double stamps arrivals in
# threads of this test's own process, so on a loaded CI machine its clock bunches calls by tens of
# milliseconds (a full run once saw 8 × 429 at 29/s); a sender that did not pace would still meet many.
REAL_GAPS = {"telegram_chat_gap_seconds": 1.0, "telegram_group_gap_seconds": 3.0,
             "telegram_messages_per_second": 25.0, "quiet_start": time(0, 0), "quiet_end": time(0, 0)}


def _notice(uow_factory, person_id: int, key: str, now: datetime, priority: Priority = Priority.BULK) -> None:
    with uow_factory() as uow:
        enqueue(uow.session, key=key, person_id=person_id, priority=priority, now=now,
                prompt=Prompt("Notice {n}", {"n": text(key)}))
        uow.commit()


async def _until(condition: Callable[[], bool], within: float) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 — the double's state changes in its own threads
            await asyncio.sleep(0.02)


async def test_several_messages_to_one_grandfather_wait_their_turn_and_none_is_refused(
    botapi: BotApiDouble, database_url: str
) -> None:
    clock = SystemClock()
    botapi.strict = True
    async with running_bot(botapi, database_url, clock, workers=True, **REAL_GAPS) as bot:
        school = chain_school(bot.uow, clock.now())
        grandpa = TG["grandpa"]
        for n in range(3):  # a notice per grandchild, all at once
            _notice(bot.uow, school.grandpa, f"sibling-{n}", clock.now())
        botapi.inject_text(grandpa, "/help")  # …while he asks for help himself

        def rows() -> list[tuple[datetime | None, int]]:
            with bot.uow() as uow:
                return [tuple(r) for r in uow.session.execute(select(OutboxMessage.sent_at, OutboxMessage.attempts))]

        await _until(lambda: all(sent_at for sent_at, _ in rows()), within=15.0)
        await _until(lambda: any(m.chat_id == grandpa and not (m.text or "").startswith("Notice")
                                 for m in botapi.sent), within=5.0)
        notices = [m.text for m in botapi.sent if m.chat_id == grandpa and (m.text or "").startswith("Notice")]
        assert len(notices) == 3
        assert botapi.flood_refusals == 0
        assert [attempts for _, attempts in rows()] == [1, 1, 1]  # each sent at the first try


async def test_a_bulk_send_to_many_chats_keeps_under_the_limit_and_an_alert_overtakes_it(
    botapi: BotApiDouble, database_url: str
) -> None:
    clock = SystemClock()
    botapi.strict = True
    botapi.latency = 0.1  # each call takes 100 ms, as over a real network
    async with running_bot(botapi, database_url, clock, workers=True, **REAL_GAPS) as bot:
        school = chain_school(bot.uow, clock.now())
        with bot.uow() as uow:
            b = SchoolBuilder(uow.session)
            guardians = [b.person(f"监护人{i}", Role.GUARDIAN) for i in range(90)]
            for i, person in enumerate(guardians):
                b.account(person, str(8_900_000_000_000 + i))
            uow.commit()
        for person in guardians:
            _notice(bot.uow, person, f"weekly-{person}", clock.now())
        await _until(lambda: len(botapi.sent) >= 20, within=10.0)
        _notice(bot.uow, school.father, "alert", clock.now(), Priority.URGENT)
        await _until(lambda: len(botapi.sent) >= 91, within=40.0)
        order = [m.text for m in botapi.sent]
        # It did not wait for the backlog: at most the sends in flight and a busy machine's claims before it.
        assert order.index("Notice alert") < 60
        assert len({m.chat_id for m in botapi.sent}) == 91 == len(botapi.sent)  # none lost, none twice
        # Paced at 29/s, measured at our side; on a busy machine the network's jitter may still put a
        # 31st call into one second at the double: such a row goes again after retry_after, not lost.
        assert botapi.flood_refusals <= 2


async def test_a_trickling_reply_is_abandoned_and_the_other_alerts_go_out(
    botapi: BotApiDouble, database_url: str
) -> None:
    clock = SystemClock()
    async with running_bot(botapi, database_url, clock, workers=True, send_deadline_seconds=1.0,
                           **REAL_GAPS) as bot:
        school = chain_school(bot.uow, clock.now())
        botapi.trickle_chat(TG["grandpa"], 2.0)  # a byte every 2 s: no read ever times out
        _notice(bot.uow, school.grandpa, "stuck", clock.now(), Priority.URGENT)
        await _until(lambda: any(m.chat_id == TG["grandpa"] for m in botapi.sent), within=5.0)
        for who in ("father", "mother", "li"):
            _notice(bot.uow, school.people[who], f"alert-{who}", clock.now(), Priority.URGENT)
        await _until(lambda: {TG["father"], TG["mother"], TG["li"]} <= {m.chat_id for m in botapi.sent}, within=5.0)

        def stuck_row() -> OutboxMessage:
            with bot.uow() as uow:
                row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == "stuck"))
                uow.session.expunge(row)
                return row

        await _until(lambda: stuck_row().attempts == 1, within=5.0)
        row = stuck_row()
        assert row.sent_at is None and "TransientSendError" in (row.last_error or "")  # tried again later
