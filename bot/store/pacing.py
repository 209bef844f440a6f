"""Overall send slots shared by every worker through PostgreSQL (``bot.services.pacing.SharedSlots``).

One row per platform holds the start of its next free slot. Reserving is one
atomic upsert — ``next_at = greatest(next_at, now) + interval`` — on the
database server's clock, so every worker's calls together keep the
platform's overall rate, whichever worker makes them.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine, text

_RESERVE = text(
    "INSERT INTO pacing_slots (key, next_at) VALUES (:key, clock_timestamp() + make_interval(secs => :interval)) "
    "ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_slots.next_at, clock_timestamp()) "
    "+ make_interval(secs => :interval) "
    "RETURNING extract(epoch from (pacing_slots.next_at - clock_timestamp())) - :interval"
)


class DatabaseSlots:
    """Overall slots of one platform (``key``: ``telegram``, ``wechat`` …) shared through PostgreSQL.

    Args:
        engine: a PostgreSQL engine.
        key: the platform.
    """

    def __init__(self, engine: Engine, key: str) -> None:
        self.engine = engine
        self.key = key

    async def reserve(self, interval: float) -> float:
        """Reserve the next slot; returns how many seconds to wait for it (0 when it is now)."""
        return await asyncio.to_thread(self._reserve, interval)

    def _reserve(self, interval: float) -> float:
        with self.engine.begin() as conn:
            wait = conn.execute(_RESERVE, {"key": self.key, "interval": interval}).scalar_one()
        return max(0.0, float(wait))
