"""Clocks. Every time-dependent rule takes a clock, so tests inject one instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time."""

    def now(self) -> datetime:
        """Returns: the current time, an aware UTC datetime."""
        ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        """The current time (aware UTC)."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, demo fast-forward).

    Args:
        start: aware datetime; converted to UTC.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The time the clock was set or moved to (aware UTC)."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new time (UTC)."""
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware)."""
        self._now = when.astimezone(UTC)
