"""Send slots and chats' turns shared by every worker through PostgreSQL (``bot.services.pacing.SharedSlots``).

One row per platform holds the start of its next free overall slot.
Reserving is one atomic upsert — ``next_at = greatest(next_at, now) +
interval`` — on the database server's clock, so every worker's calls together
keep the platform's overall rate, whichever worker makes them.

One row per chat (``<platform>:<chat>``) holds when its next call may start.
Taking the chat is one atomic upsert that succeeds only when that time has
passed and sets it to the end of the hold; the value it set is the token.
Giving it back sets the time of the next call (the gap after the answer, or a
flood pause) — only if the row still holds that token, so a worker whose hold
ran out cannot shorten another's. Rows of chats idle for an hour are removed
now and then, so the table stays the size of the recently busy chats.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime

from sqlalchemy import Engine, text

from bot.store.threads import run_sync

_RESERVE = text(
    "INSERT INTO pacing_slots (key, next_at) VALUES (:key, clock_timestamp() + make_interval(secs => :interval)) "
    "ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_slots.next_at, clock_timestamp()) "
    "+ make_interval(secs => :interval) "
    "RETURNING extract(epoch from (pacing_slots.next_at - clock_timestamp())) - :interval"
)
# Taken: the new row or the updated one is returned (its next_at is the token). Not taken: the
# statement's snapshot still shows the row, and how long until it may be free.
_ACQUIRE = text(
    "WITH taken AS ("
    " INSERT INTO pacing_slots (key, next_at) VALUES (:key, clock_timestamp() + make_interval(secs => :hold))"
    " ON CONFLICT (key) DO UPDATE SET next_at = EXCLUDED.next_at WHERE pacing_slots.next_at <= clock_timestamp()"
    " RETURNING next_at) "
    "SELECT (SELECT next_at FROM taken) AS token,"
    " (SELECT extract(epoch from (next_at - clock_timestamp())) FROM pacing_slots WHERE key = :key) AS wait"
)
_RELEASE = text(
    "UPDATE pacing_slots SET next_at = clock_timestamp() + make_interval(secs => :ready_in) "
    "WHERE key = :key AND next_at = :token"
)
_PURGE = text(
    "DELETE FROM pacing_slots WHERE left(key, :n) = :prefix AND next_at < clock_timestamp() - interval '1 hour'"
)

KEY_LENGTH = 32
"""``pacing_slots.key``'s length: a longer chat key is replaced by a digest."""

PURGE_EVERY_SECONDS = 600.0


class DatabaseSlots:
    """Overall slots and chats' turns of one platform (``key``: ``telegram``, ``wechat`` …) shared through PostgreSQL.

    Args:
        engine: a PostgreSQL engine.
        key: the platform.
    """

    def __init__(self, engine: Engine, key: str) -> None:
        self.engine = engine
        self.key = key
        self._last_purge = time.monotonic()

    def chat_key(self, chat: str) -> str:
        """The row of one chat: ``<platform>:<chat>``, or ``<platform>:#<digest>`` when that is too long."""
        key = f"{self.key}:{chat}"
        if len(key) <= KEY_LENGTH:
            return key
        return f"{self.key}:#{hashlib.blake2b(chat.encode(), digest_size=10).hexdigest()}"

    async def reserve(self, interval: float) -> float:
        """Reserve the next slot; returns how many seconds to wait for it (0 when it is now)."""
        return await run_sync(self._reserve, interval)

    async def acquire(self, chat: str, hold: float) -> tuple[object | None, float]:
        """Take ``chat`` for one call if its next call may start now (see the module doc)."""
        return await run_sync(self._acquire, self.chat_key(chat), hold)

    async def release(self, chat: str, token: object, ready_in: float) -> None:
        """Give ``chat`` back: its next call may start ``ready_in`` seconds from now."""
        await run_sync(self._release, self.chat_key(chat), token, ready_in)

    def _reserve(self, interval: float) -> float:
        with self.engine.begin() as conn:
            wait = conn.execute(_RESERVE, {"key": self.key, "interval": interval}).scalar_one()
        return max(0.0, float(wait))

    def _acquire(self, key: str, hold: float) -> tuple[datetime | None, float]:
        with self.engine.begin() as conn:
            token, wait = conn.execute(_ACQUIRE, {"key": key, "hold": hold}).one()
        return token, max(0.0, float(wait or 0.0))

    def _release(self, key: str, token: object, ready_in: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(_RELEASE, {"key": key, "token": token, "ready_in": max(0.0, ready_in)})
            if time.monotonic() - self._last_purge >= PURGE_EVERY_SECONDS:
                self._last_purge = time.monotonic()
                prefix = f"{self.key}:"
                conn.execute(_PURGE, {"n": len(prefix), "prefix": prefix})
