"""The pacer: one chat at a time with a gap after each answer, overall spacing, flood pauses.

Real waiting with small figures: the pacer never lets a call start early, so
the assertions are lower bounds on the gaps (what the platform counts), not
timings of our speed.
"""

from __future__ import annotations

import asyncio
import time

from bot.services.pacing import Limits, Pacer

LIMITS = Limits(overall_per_second=100.0, per_chat_seconds=0.1, per_group_seconds=0.3)


async def _calls(pacer: Pacer, chats: list[str], *, latency: float = 0.0,
                 group: bool = False) -> list[tuple[str, float, float]]:
    """Make one call per entry of ``chats`` at once; returns (chat, start, answer) per call."""
    done: list[tuple[str, float, float]] = []

    async def call(chat: str) -> None:
        async with pacer.slot(chat, group=group):
            start = time.monotonic()
            await asyncio.sleep(latency)
            done.append((chat, start, time.monotonic()))

    await asyncio.gather(*(call(c) for c in chats))
    return done


async def test_one_chat_gets_its_calls_one_at_a_time_a_gap_after_each_answer() -> None:
    calls = await _calls(Pacer(LIMITS), ["grandma"] * 4, latency=0.05)
    for (_, _, answered), (_, start, _) in zip(calls, calls[1:], strict=False):
        assert start >= answered + 0.1  # never two in flight, never sooner than the gap after the answer


async def test_a_group_waits_longer_between_calls() -> None:
    calls = await _calls(Pacer(LIMITS), ["-100"] * 3, group=True)
    starts = [start for _, start, _ in calls]
    assert all(b - a >= 0.3 for a, b in zip(starts, starts[1:], strict=False))


async def test_calls_to_many_chats_are_spaced_overall() -> None:
    before = time.monotonic()
    calls = await _calls(Pacer(LIMITS), [f"chat{i}" for i in range(150)])
    starts = sorted(start for _, start, _ in calls)
    assert starts[-1] - before >= 149 / 100  # the 150th call had the 150th slot, 10 ms apart
    # …and within any one second no more than the rate, however late a wake-up.
    assert max(sum(1 for s in starts if first <= s < first + 1.0) for first in starts) <= 100


async def test_other_chats_do_not_wait_for_a_busy_chat() -> None:
    pacer = Pacer(LIMITS)
    order: list[str] = []

    async def call(chat: str, latency: float) -> None:
        async with pacer.slot(chat):
            await asyncio.sleep(latency)
            order.append(chat)

    await asyncio.gather(call("slow", 0.2), call("slow", 0.0), call("other", 0.0))
    assert order == ["other", "slow", "slow"]


async def test_flood_control_pauses_that_chat_only() -> None:
    pacer = Pacer(LIMITS)
    pacer.pause("flooded", 0.3)
    before = time.monotonic()
    calls = await _calls(pacer, ["flooded", "fine"])
    started = {chat: start - before for chat, start, _ in calls}
    assert started["flooded"] >= 0.3 and started["fine"] < 0.3


async def test_unlimited_does_not_wait() -> None:
    calls = await _calls(Pacer(Limits(0, 0, 0)), ["a"] * 50)
    assert len(calls) == 50


class SharedTable:
    """What ``pacing_slots`` does for several workers, in memory (the PostgreSQL one: tests/store/test_pacing.py)."""

    def __init__(self) -> None:
        self.next_slot = 0.0
        self.chats: dict[str, float] = {}  # chat → when its next call may start, or the end of a hold
        self.reserved = 0

    async def reserve(self, interval: float) -> float:
        now = time.monotonic()
        start = max(now, self.next_slot)
        self.next_slot = start + interval
        self.reserved += 1
        return start - now

    async def acquire(self, chat: str, hold: float) -> tuple[object | None, float]:
        now = time.monotonic()
        if self.chats.get(chat, 0.0) > now:
            return None, self.chats[chat] - now
        self.chats[chat] = token = now + hold
        return token, 0.0

    async def release(self, chat: str, token: object, ready_in: float) -> None:
        if self.chats.get(chat) == token:
            self.chats[chat] = time.monotonic() + ready_in


async def test_two_workers_keep_one_chats_gap_between_them() -> None:
    table = SharedTable()
    a, b = Pacer(LIMITS, shared=table), Pacer(LIMITS, shared=table)  # two processes, one database
    calls: list[tuple[float, float]] = []

    async def call(pacer: Pacer) -> None:
        async with pacer.slot("grandma"):
            start = time.monotonic()
            await asyncio.sleep(0.03)
            calls.append((start, time.monotonic()))

    await asyncio.gather(call(a), call(b), call(a), call(b))  # a reply on one worker, the outbox on the other
    calls.sort()
    for (_, answered), (start, _) in zip(calls, calls[1:], strict=False):
        assert start >= answered + 0.1  # never two in flight across workers, the gap after each answer


async def test_a_flood_pause_on_one_worker_holds_the_chat_on_the_other() -> None:
    table = SharedTable()
    a, b = Pacer(LIMITS, shared=table), Pacer(LIMITS, shared=table)
    async with a.slot("grandma"):
        a.pause("grandma", 0.4)  # Telegram answered 429, retry after 0.4 s
    before = time.monotonic()
    async with b.slot("grandma"):
        waited = time.monotonic() - before
    assert waited >= 0.35


async def test_a_shared_slot_woken_up_for_too_late_is_exchanged_for_a_new_one() -> None:
    table = SharedTable()
    late = [0.2]  # the first wake-up comes 0.2 s late (a busy loop)

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds + (late.pop() if late else 0.0))

    pacer = Pacer(Limits(overall_per_second=10.0, per_chat_seconds=0, per_group_seconds=0), shared=table,
                  sleep=sleep)
    table.next_slot = time.monotonic() + 0.05
    async with pacer.slot("a"):
        pass
    assert table.reserved == 2  # the late slot was given up: starting then could bunch two workers' calls
