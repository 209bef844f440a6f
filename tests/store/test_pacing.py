"""Pacing shared through PostgreSQL: the overall slots and each chat's turn (``bot.store.pacing``).

Two :class:`DatabaseSlots` on two engines are two workers. SQLite has one
worker and no shared table, so these run on PostgreSQL only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text

from bot.services.pacing import Limits, Pacer
from bot.store.db import make_engine
from bot.store.models import PacingSlot
from bot.store.pacing import KEY_LENGTH, DatabaseSlots


@pytest.fixture
def engines(database_url: str) -> Iterator[tuple[Engine, Engine]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("shared pacing needs PostgreSQL (SQLite has one worker)")
    a, b = make_engine(database_url), make_engine(database_url)
    yield a, b
    a.dispose()
    b.dispose()


async def test_a_chat_taken_by_one_worker_waits_on_the_other_until_given_back(engines) -> None:
    a, b = DatabaseSlots(engines[0], "telegram"), DatabaseSlots(engines[1], "telegram")
    token, wait = await a.acquire("2001", hold=30)
    assert token is not None and wait == 0
    refused, wait = await b.acquire("2001", hold=30)
    assert refused is None and 29 < wait <= 30  # held for the call
    other, _ = await b.acquire("2002", hold=30)
    assert other is not None  # other chats are free
    await a.release("2001", token, ready_in=0.3)  # answered: the next call 0.3 s later
    refused, wait = await b.acquire("2001", hold=30)
    assert refused is None and 0 < wait <= 0.3
    await asyncio.sleep(wait + 0.02)
    token, _ = await b.acquire("2001", hold=30)
    assert token is not None


async def test_a_worker_whose_hold_ran_out_cannot_shorten_the_next_ones(engines) -> None:
    a, b = DatabaseSlots(engines[0], "telegram"), DatabaseSlots(engines[1], "telegram")
    stale, _ = await a.acquire("2001", hold=0.05)
    await asyncio.sleep(0.1)  # a's hold ran out (it crashed, or its call hung)
    token, _ = await b.acquire("2001", hold=30)
    assert token is not None
    await a.release("2001", stale, ready_in=0)  # a comes back late: no effect
    refused, wait = await a.acquire("2001", hold=30)
    assert refused is None and wait > 29


async def test_long_chat_ids_fit_the_key_and_stay_apart(engines) -> None:
    slots = DatabaseSlots(engines[0], "wecom")
    long_a, long_b = "zhang-laoshi-" + "a" * 40, "zhang-laoshi-" + "b" * 40  # WeCom UserIDs run to 64 characters
    assert len(slots.chat_key(long_a)) <= KEY_LENGTH and slots.chat_key(long_a) != slots.chat_key(long_b)
    assert (await slots.acquire(long_a, hold=30))[0] is not None
    assert (await slots.acquire(long_b, hold=30))[0] is not None


async def test_two_workers_pacers_keep_one_chats_gap_and_the_overall_rate(engines) -> None:
    limits = Limits(overall_per_second=20.0, per_chat_seconds=0.3, per_group_seconds=0)
    a = Pacer(limits, shared=DatabaseSlots(engines[0], "telegram"))
    b = Pacer(limits, shared=DatabaseSlots(engines[1], "telegram"))
    calls: list[tuple[str, float, float]] = []

    async def call(pacer: Pacer, chat: str) -> None:
        async with pacer.slot(chat):
            start = time.monotonic()
            await asyncio.sleep(0.02)
            calls.append((chat, start, time.monotonic()))

    await asyncio.gather(*(call(pacer, chat) for chat in ["gran", "c1", "c2", "c3"] for pacer in (a, b)))
    gran = sorted((start, answered) for chat, start, answered in calls if chat == "gran")
    assert gran[1][0] >= gran[0][1] + 0.3  # one chat: one call at a time, the gap after the answer
    starts = sorted(start for _, start, _ in calls)
    # Overall spacing, shared by the two workers: the nth call starts no sooner than n intervals after the first
    # (a loaded machine may wake one call late and the next on time, so gaps between neighbours may shrink;
    # the rate over every run of calls may not).
    assert all(start - starts[0] >= n / 20 - 0.01 for n, start in enumerate(starts))


def test_idle_chats_rows_are_removed_now_and_then(engines, monkeypatch) -> None:
    slots = DatabaseSlots(engines[0], "telegram")
    with engines[0].begin() as conn:
        conn.execute(text("INSERT INTO pacing_slots (key, next_at) VALUES ('telegram', now()), "
                          "('telegram:old', now() - interval '2 hours'), ('telegram:recent', now())"))
    token, _ = slots._acquire("telegram:2001", 30)
    monkeypatch.setattr("bot.store.pacing.PURGE_EVERY_SECONDS", 0.0)
    slots._release("telegram:2001", token, 1.0)
    with engines[0].connect() as conn:
        keys = set(conn.scalars(select(PacingSlot.key)).all())
        assert conn.scalar(select(func.count()).select_from(PacingSlot)) == 3
    assert keys == {"telegram", "telegram:recent", "telegram:2001"}  # the overall row stays
