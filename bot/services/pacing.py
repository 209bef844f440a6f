"""One pacer per platform, shared by direct replies and the outbox: wait rather than be refused.

Telegram's limits (Bot API FAQ, "My bot is hitting limits"): about 30
messages a second overall, one a second in one chat, 20 a minute in one
group. The pacer keeps under them instead of absorbing 429s:

* **one chat** — its calls go one at a time, and the next starts
  ``per_chat_seconds`` after the previous one *answered* (the platform counts
  arrivals, which lie between our start and its answer); a person's next
  message waits, it is not refused;
* **a group** — ``per_group_seconds`` between calls (3 s: 20 a minute);
* **overall** — call starts are spaced ``1 / overall_per_second`` apart (29/s:
  a little under the limit), and no more than the platform's limit (30) may
  *arrive* in any second even after a late wake-up or a late write: each call
  keeps its place in the count until ``1 + arrival_margin`` seconds (30 ms:
  from the socket to the platform's stamp) after its request was fully
  written — however late that is — and a call is let go only while fewer
  than the limit hold one (:mod:`bot.services.arrival_count`).
  A call written 1/29 s after another is never held back; one whose body
  went out late (a busy loop between the count and the socket: the main cause
  of 429s on a loaded machine, ``benchmarks.delivery``) holds the call 30
  places after it back by as much. With several workers the overall
  spacing is shared through the database (:class:`SharedSlots`);
* **counted when written** — the platform counts a call when its request
  arrives, and a busy event loop may write a request well after the pacer let
  it go; calls let go evenly would then arrive bunched. A client that tells
  the pacer when each request is written (:meth:`Pacer.count_at_write` and
  :meth:`Pacer.request_written`, the Telegram bot's httpx ``request`` hook)
  has each call counted — and held back if its second is full — at that
  moment instead, and tells when its body went out (:meth:`Pacer.request_sent`);
* **flood control** — a 429 that still comes pauses that chat for its
  ``retry_after`` (:meth:`Pacer.pause`).

With several workers (PostgreSQL) a chat's turn is shared too: before its
call a worker takes the chat in the database for at most
:data:`CHAT_HOLD_SECONDS` and, once the call answered, gives it back with the
time its next call may start (the gap, or a flood pause). Another worker's
call to that chat waits for it, so a reply on one worker and an outbox row on
another keep the chat's one-second gap as one pacer would.

Time is read from an injectable monotonic clock and waited for with an
injectable sleep, so the rules are tested without real waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.services.arrival_count import ArrivalCount, Counted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """A platform's limits as the pacer keeps them.

    Attributes:
        overall_per_second: call starts per second, all chats together (0: no overall limit).
        per_chat_seconds: from one call's answer to the next call to the same chat (0: none).
        per_group_seconds: from one call's answer to the next call to the same group (0: none).
        platform_per_second: what the platform accepts in any second, as it counts arrivals: the most calls
            counted in any second and margin (0: ``overall_per_second``). Counting only up to the pace would
            hold every 30th call back by the margin: 29 in 1.03 s is 28.2 calls a second, not 29.
    """

    overall_per_second: float = 29.0
    per_chat_seconds: float = 1.0
    per_group_seconds: float = 3.0
    platform_per_second: int = 0


TELEGRAM = Limits(platform_per_second=30)
"""Telegram: 30/s overall (paced at 29), 1/s per chat, 20/min per group."""

WECHAT = Limits(overall_per_second=20.0, per_chat_seconds=1.0, per_group_seconds=0)
"""WeChat Official Account: customer-service (``/cgi-bin/message/custom/send``) and template messages.

WeChat documents daily quotas, not a rate: 500,000 customer-service messages
a day (公众号 "接口调用频次限制说明" / API_Call_Limits: 发送客服消息 500000 每日限额),
100,000 template messages a day (the platform's answer on the developer
community; raised with 100k/1M/10M followers), and per person 5
customer-service messages within 48 hours of their last message (the June
2023 rule). Beyond a quota WeChat answers 45009 / 45047, which the outbox
retries later. No per-second figure is published, so the overall pace is ours:
20 calls a second (a 3,000-guardian Friday in under three minutes, far from
the daily quotas), and one person's messages 1 s apart, in order.
"""

WECOM = Limits(overall_per_second=20.0, per_chat_seconds=3.6, per_group_seconds=0)
"""WeCom self-built app messages (``/cgi-bin/message/send``).

WeCom documents (访问频率限制, "发送应用消息频率"): per app at most 30 messages a
minute *and* 1,000 an hour to one member — beyond that they are dropped
silently, with no error — and account limit × 200 person-times a day per app;
message sends do not count towards the basic 10,000 calls a minute. So one
member's messages are paced 3.6 s apart (3,600 s / 1,000: under both figures),
and all members together at our 20 calls a second.
"""

UNLIMITED = Limits(overall_per_second=0, per_chat_seconds=0, per_group_seconds=0)
"""No pacing (benchmarks of the bot's own capacity)."""

CHAT_HOLD_SECONDS = 30.0
"""Longest a worker holds a chat for one call in the shared table (a crashed worker's hold then runs out);
a call is bounded by the send deadline (15 s), so a live worker gives the chat back well before."""

LATE_WAKE_RETRIES = 5
"""How often a worker gives up a shared slot it woke up for too late before it calls anyway."""

CHAT_POLL_SECONDS = 0.25
"""Longest wait before looking again at a chat another worker holds."""

ARRIVAL_MARGIN_SECONDS = 0.03
"""A call is held in the overall count this much beyond a second after its request was fully written: from the
socket to the platform's arrival stamp (the network's jitter, the platform's own scheduling; the strict double's
own process on a loaded machine stamped some 15–32 ms late). Calls 1/29 s apart span 1.034 s: not held back."""


@dataclass
class _Ticket:
    """One call inside :meth:`Pacer.slot`, as its request hook finds it (the task's context)."""

    pacer: Pacer
    chat: str = ""
    due: float | None = None  # the shared slot's time (shared mode), checked again when written
    written: bool = False
    counted: Counted | None = None


_SLOT: contextvars.ContextVar[_Ticket | None] = contextvars.ContextVar("guanai_pacer_slot", default=None)


def current_chat() -> str | None:
    """The chat of the call this task is making inside a pacer's slot, if any (the benchmarks' write stamps)."""
    ticket = _SLOT.get()
    return ticket.chat if ticket is not None else None


class SharedSlots(Protocol):
    """Overall slots and chats' turns shared by every worker of one platform (``bot.store.pacing.DatabaseSlots``)."""

    async def reserve(self, interval: float) -> float:
        """Reserve the next slot ``interval`` seconds after the last one; returns seconds to wait for it."""
        ...

    async def acquire(self, chat: str, hold: float) -> tuple[object | None, float]:
        """Take ``chat`` for one call, for at most ``hold`` seconds, if its next call may start now.

        Returns:
            (a token for :meth:`release`, 0) when taken; (None, seconds until it may be free) when not.
        """
        ...

    async def release(self, chat: str, token: object, ready_in: float) -> None:
        """Give ``chat`` back after its call answered: its next call may start ``ready_in`` seconds from now."""
        ...


class Pacer:
    """Paces calls to one platform (see the module doc). One instance per platform and process.

    Args:
        limits: the platform's limits.
        shared: overall slots shared with the other workers; None: this process alone sends.
        monotonic: the clock (seconds).
        sleep: how to wait.
        arrival_margin: seconds a counted call is held beyond a second after its request was written
            (:data:`ARRIVAL_MARGIN_SECONDS`).
    """

    def __init__(self, limits: Limits = TELEGRAM, *, shared: SharedSlots | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 arrival_margin: float = ARRIVAL_MARGIN_SECONDS) -> None:
        self.limits = limits
        self.shared = shared
        self.arrival_margin = arrival_margin
        self._at_write = False  # calls are counted when their request is written (count_at_write)
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_start = 0.0  # earliest start of the next call, all chats (monotonic)
        most = max(1, limits.platform_per_second or int(limits.overall_per_second))
        self._arrivals = ArrivalCount(most, 1.0 + arrival_margin, monotonic, sleep)  # all chats
        self._chat_ready: dict[str, float] = {}  # chat → earliest start of its next call
        self._chat_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def count_at_write(self) -> None:
        """From now on count each call when its request is written (:meth:`request_written`), not when let go.

        Called by the client that calls :meth:`request_written` for every request it writes; calls
        made in a slot through another client would then not be counted at all.
        """
        self._at_write = True

    async def request_written(self) -> None:
        """This task's call is about to write its request: count it now, or wait until its second has room.

        Called from the HTTP client's request hook, in the task that holds the slot; a request outside
        a slot of this pacer (``getUpdates``), or a second request of the same call, is not counted.
        With several workers a shared slot that this request is now too late for is exchanged for a
        new one first (see :meth:`_shared_slot`).
        """
        ticket = _SLOT.get()
        if not self._at_write or ticket is None or ticket.pacer is not self or ticket.written:
            return
        ticket.written = True
        rate = self.limits.overall_per_second
        if rate <= 0:
            return
        if self.shared is not None and ticket.due is not None:
            await self._on_time(ticket.due, 1.0 / rate)
        ticket.counted = await self._count()

    def request_sent(self) -> None:
        """This task's call has handed its whole request to the socket: it arrives within the margin from now.

        Called from the HTTP client's trace when the body was written; until then the call holds its place
        in the count, however long its body takes.
        """
        ticket = _SLOT.get()
        if ticket is None or ticket.pacer is not self or ticket.counted is None:
            return
        self._arrivals.sent(ticket.counted, self._monotonic())

    def pause(self, chat: str, seconds: float) -> None:
        """Flood control for ``chat``: its next call waits ``seconds`` from now."""
        ready = self._monotonic() + seconds
        self._chat_ready[chat] = max(self._chat_ready.get(chat, 0.0), ready)

    @contextlib.asynccontextmanager
    async def slot(self, chat: str, *, group: bool = False) -> AsyncIterator[None]:
        """Wait for this chat's turn and an overall slot; the call is made inside the block.

        Args:
            chat: the chat (as text); calls without a chat are not paced.
            group: a group or channel (its own, slower spacing).
        """
        gap = self.limits.per_group_seconds if group else self.limits.per_chat_seconds
        ticket = _Ticket(self, chat)
        in_slot = _SLOT.set(ticket)
        try:
            async with self._one_at_a_time(chat):
                await self._wait_until(self._chat_ready.get(chat, 0.0))
                token = await self._take(chat) if gap > 0 else None
                ready_in = 0.0
                try:
                    await self._overall(ticket)
                    try:
                        yield
                    finally:
                        answered = self._monotonic()
                        if ticket.counted is not None:
                            # No body reported (the call failed while writing it): it arrived by now if at all.
                            self._arrivals.sent(ticket.counted, answered)
                        ready = max(self._chat_ready.get(chat, 0.0), answered + gap)  # a flood pause may be longer
                        self._chat_ready[chat] = ready
                        ready_in = ready - answered
                        self._forget_idle(answered)
                finally:
                    if token is not None:
                        await self._give_back(chat, token, ready_in)
        finally:
            _SLOT.reset(in_slot)

    async def _take(self, chat: str) -> object | None:
        """Take the chat in the shared table (None: not shared), waiting while another worker has it."""
        if self.shared is None:
            return None
        while True:
            token, wait = await self.shared.acquire(chat, CHAT_HOLD_SECONDS)
            if token is not None:
                return token
            await self._sleep(min(max(wait, 0.01), CHAT_POLL_SECONDS))

    async def _give_back(self, chat: str, token: object, ready_in: float) -> None:
        if self.shared is None:
            return
        try:
            await self.shared.release(chat, token, ready_in)
        except Exception:  # noqa: BLE001 — the hold runs out by itself; the send already happened
            log.warning("pacer: a chat could not be given back in the shared table", exc_info=True)

    async def _overall(self, ticket: _Ticket) -> None:
        rate = self.limits.overall_per_second
        if rate <= 0:
            return
        interval = 1.0 / rate
        if self.shared is not None:
            if self._at_write:  # on time is checked again when the request is written
                ticket.due = await self._shared_wait(interval)
            else:
                await self._on_time(await self._shared_wait(interval), interval)
            return
        now = self._monotonic()
        start = max(now, self._next_start)
        self._next_start = start + interval  # reserved before waiting: concurrent callers queue up
        await self._sleep_for(start - now)
        if not self._at_write:
            ticket.counted = await self._count()

    async def _count(self) -> Counted:
        """Count one call now, after waiting while the platform's most may have arrived in the last second.

        A late wake-up or a late write must not bunch calls: however they were let go and however late
        their bodies went out, no more than the platform's limit arrive in any second as it counts them.
        A call counted when let go (a client that reports no writes) arrives with the margin, as it went.
        """
        return await self._arrivals.count(sent=not self._at_write)

    async def _shared_wait(self, interval: float) -> float:
        """Reserve a slot shared with the other workers and wait for it; returns when it was due (monotonic)."""
        wait = await self.shared.reserve(interval) if self.shared is not None else 0.0
        due = self._monotonic() + wait
        await self._sleep_for(wait)
        return due

    async def _on_time(self, due: float, interval: float) -> None:
        """Give up a shared slot that the call is too late for (due at ``due``) for a new one.

        Each worker's calls go within half an interval of their slots, so the workers together never
        put more than the rate into one second however late a busy loop wakes them (the local count,
        :meth:`_count`, sees only this worker's calls).
        """
        for _ in range(LATE_WAKE_RETRIES - 1):
            if self._monotonic() - due <= interval / 2:
                return
            due = await self._shared_wait(interval)
        # Still late after a few tries (an overloaded machine): go rather than starve.

    async def _wait_until(self, when: float) -> None:
        await self._sleep_for(when - self._monotonic())

    async def _sleep_for(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    @contextlib.asynccontextmanager
    async def _one_at_a_time(self, chat: str) -> AsyncIterator[None]:
        lock, users = self._chat_locks.get(chat, (asyncio.Lock(), 0))
        self._chat_locks[chat] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat]
            if users == 1:
                del self._chat_locks[chat]
            else:
                self._chat_locks[chat] = (lock, users - 1)

    def _forget_idle(self, now: float) -> None:
        # Chats whose spacing has passed need no entry: keep the table the size of the busy chats.
        if len(self._chat_ready) > 1024:
            for chat in [c for c, ready in self._chat_ready.items() if ready <= now and c not in self._chat_locks]:
                del self._chat_ready[chat]
