"""A live attempt keeps its inbound message's claim: its lease is renewed while the message is handled.

WeChat pushes a message again when it got no answer within 5 s. The first
attempt's claim (``bot.services.callbacks.claim``) has a lease
(``CLAIM_LEASE``, 10 s) so that a retry can take over an attempt that died;
without renewal an attempt that was only slower than the lease (on another
worker: this worker never takes over its own) was taken over too, and the
message handled twice — a guardian's reply relayed twice, an answer applied
twice. While it works, an attempt renews its lease every ``CLAIM_RENEW``
(3 s). The time written is the injected clock's, into the claim's row: the
database stays the only clock, the pause between renewals only paces them.

The renewals run in a thread of their own, not in the default executor where
the flows run: slow flows filling that pool are exactly when a renewal must
not wait behind them.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from bot.domain.clock import Clock
from bot.services import callbacks
from bot.services.ports import UowFactory

log = logging.getLogger(__name__)


class ClaimKeeper:
    """Renews the claims of the messages one callback endpoint is handling.

    Args:
        uow_factory: units of work (each renewal commits its own).
        clock: the injected clock; its ``now`` is stored as the renewal time.
        channel: ``wechat`` or ``wecom``.
        every: seconds between renewals (``CLAIM_RENEW``; tests pass less).
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, channel: str, every: float) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.channel = channel
        self.every = every
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{channel}-claims")

    def keep(self, key: str) -> asyncio.Task[None]:
        """Start renewing the claim of ``key``; cancel the task when the attempt has finished or failed."""
        return asyncio.create_task(self._keep(key))

    async def _keep(self, key: str) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                if not await self._renew(key):
                    return  # finished or released meanwhile: nothing left to keep
            except Exception:  # the database erred: the next renewal may get through within the lease
                log.exception("%s message %s: claim could not be renewed", self.channel, key)

    async def _renew(self, key: str) -> bool:
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._renew_now, key)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])  # one short UPDATE: it ends before the attempt does (no stray thread)
            raise

    def _renew_now(self, key: str) -> bool:
        return callbacks.renew(self.uow_factory, channel=self.channel, key=key, now=self.clock.now())
