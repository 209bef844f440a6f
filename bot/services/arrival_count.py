"""A pacer's overall count: no more than the platform's limit may arrive in any second, as it counts them.

The platform stamps a call when its request has arrived, so the count keeps
each call from the moment it is let go until ``span`` (a second and a margin
for the network) after its body was handed to the socket. A call whose body
is still going out is held for as long as it takes, however long: it can
still arrive, and counted as arrived some fixed time after it was let go, a
body that went out later than that escaped the count and let the 31st call
of its second go (``tests/services/test_pacing_arrivals.py``; the strict
double's 429s in ``benchmarks.delivery --trace``).

Time is read from the pacer's injectable clock and waited for with its sleep.
"""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

PENDING_POLL_SECONDS = 0.005
"""How soon the count looks again when a call it waits for is still writing its body."""


@dataclass(eq=False)
class Counted:
    """One call in the count.

    Attributes:
        written: when it was let go (counted).
        window: how many calls the count held when this one was let go (what the pacer believed).
        sent_at: when its whole request was on the socket; None while its body is still going out.
    """

    written: float
    window: int
    sent_at: float | None = None


class ArrivalCount:
    """The calls that arrived, or may still arrive, within the last ``span`` seconds.

    Args:
        most: the platform's limit in any second.
        span: how long a call is held after its body went out (a second and the arrival margin).
        monotonic: the clock.
        sleep: how to wait.
    """

    def __init__(self, most: int, span: float, monotonic: Callable[[], float],
                 sleep: Callable[[float], Awaitable[None]]) -> None:
        self.most = most
        self.span = span
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: collections.deque[float] = collections.deque()  # bodies' times, in the order they went out
        self._going: list[Counted] = []  # let go, body not yet on the socket

    def held(self, now: float) -> int:
        """Calls that may yet arrive within a second of a call let go ``now``."""
        while self._sent and self._sent[0] <= now - self.span:
            self._sent.popleft()
        return len(self._sent) + len(self._going)

    async def count(self, *, sent: bool) -> Counted:
        """Count one call now, after waiting while the platform's most may arrive within the span.

        Args:
            sent: the call arrives as it is let go (a client that reports no writes); otherwise the
                caller reports its body with :meth:`sent`.
        """
        while True:
            now = self._monotonic()
            held = self.held(now)
            if held < self.most:
                break
            if self._going:  # one may settle at any moment: look again shortly
                wait = PENDING_POLL_SECONDS
            else:  # once the (held - most + 1) earliest have passed, fewer than ``most`` are held
                wait = self._sent[held - self.most] + self.span - now
            await self._sleep(max(wait, 1e-4))
        call = Counted(written=now, window=held)
        if sent:
            self.sent(call, now)
        else:
            self._going.append(call)
        return call

    def sent(self, call: Counted, at: float) -> None:
        """``call``'s body went out at ``at`` (or, failing, no later): it is held until ``span`` after."""
        if call.sent_at is not None:
            return
        call.sent_at = at
        if call in self._going:
            self._going.remove(call)
        # Bodies are reported as they go out, so the times stay in order (the clock is monotonic).
        self._sent.append(max(at, self._sent[-1]) if self._sent else at)
