"""Group chats answered without holding anyone's update slot (issue 10, item 11).

Telegram lets a bot send 20 messages a minute into one group; PTB's rate
limiter waits for that quota inside ``send_message``. Before this module a
group reply was sent from the update handler, so 200 group commands held all
of the Application's update slots (and the sender's per-person lock) while
they waited, and a guardian's private ``/help`` went unanswered for minutes.

Now a group update is decided on the event loop (the flows answer groups
without a lock or the database), and its reply, if any, is sent by a
background task the update does not wait for. Replies are also thinned out
before they are queued, so an attacker's flood costs a bounded amount:

* at most :data:`PER_GROUP_PER_MINUTE` replies a minute into one group,
* at most :data:`ALL_GROUPS_PER_MINUTE` a minute into all groups together
  (the rest of Telegram's 30 messages/s stays for private chats),
* at most :data:`MAX_PENDING` group replies waiting to go out at once.

Anything beyond is ignored (logged at DEBUG with the chat id): groups never
carry child data, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

PER_GROUP_PER_MINUTE = 6
ALL_GROUPS_PER_MINUTE = 30
MAX_PENDING = 8
_WINDOW = 60.0
_MAX_TRACKED = 4096
"""Groups remembered at once; beyond it, groups with no reply in the last minute are forgotten."""


class GroupReplies:
    """Admits and sends group replies in the background, within the limits above.

    Args:
        per_group: replies a minute into one group.
        overall: replies a minute into all groups.
        max_pending: replies queued or being sent at once.
        monotonic: the clock for the one-minute windows (seconds).
    """

    def __init__(self, *, per_group: int = PER_GROUP_PER_MINUTE, overall: int = ALL_GROUPS_PER_MINUTE,
                 max_pending: int = MAX_PENDING, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.per_group = per_group
        self.overall = overall
        self.max_pending = max_pending
        self._monotonic = monotonic
        self._groups: dict[int | str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._pending: set[asyncio.Task[None]] = set()

    @staticmethod
    def _prune(window: deque[float], now: float) -> None:
        while window and now - window[0] >= _WINDOW:
            window.popleft()

    def admit(self, chat_id: int | str) -> bool:
        """Whether a reply into ``chat_id`` may go now (and count it); False: ignore the update."""
        if len(self._pending) >= self.max_pending:
            return False
        now = self._monotonic()
        self._prune(self._all, now)
        if len(self._all) >= self.overall:
            return False
        if chat_id not in self._groups and len(self._groups) >= _MAX_TRACKED:
            for key in [k for k, w in self._groups.items() if not w or now - w[-1] >= _WINDOW]:
                del self._groups[key]
        window = self._groups.setdefault(chat_id, deque())
        self._prune(window, now)
        if len(window) >= self.per_group:
            return False
        window.append(now)
        self._all.append(now)
        return True

    def send(self, chat_id: int | str, send: Callable[[], Awaitable[None]]) -> None:
        """Run ``send()`` in the background (the caller does not wait); failures are logged with the chat id."""

        async def run() -> None:
            try:
                await send()
            except Exception:  # noqa: BLE001 — a group reply is best effort
                log.info("reply to group %s not sent", chat_id, exc_info=True)

        task = asyncio.get_running_loop().create_task(run())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def wait_idle(self) -> None:
        """Wait for every queued group reply (tests, shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
