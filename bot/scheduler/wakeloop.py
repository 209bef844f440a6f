"""The wake/sleep loop shared by the long-lived workers (the outbox sender, the escalator).

A worker does one step, then sleeps for as long as the step says, or until
it is woken: by this process's commits that wrote outbox rows (the unit of
work's commit signal), by other workers' (PostgreSQL ``LISTEN``, a wake
source) or by :meth:`WakeLoop.wake` from anywhere. A failing step (the
database is away) is logged and tried again after a pause; the loop never
dies of it. Stopping ends the loop after the step in progress, unsubscribes,
and cancels the wake sources *and waits for them*, so a ``LISTEN``
connection is closed before the caller disposes of the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

WakeSource = Callable[[Callable[[], None]], Coroutine[Any, Any, None]]
"""A coroutine function that runs until cancelled and calls its argument whenever rows may be ready
(``bot.store.listen.listen_outbox``: PostgreSQL notifications from other workers)."""

Subscribe = Callable[[Callable[[], None]], Callable[[], None]]
"""Registers a listener for this process's outbox commits; returns the function that removes it."""

ERROR_PAUSE_SECONDS = 2.0
"""Pause after a step failed (the database is away), before trying again."""


class WakeLoop:
    """Runs :meth:`_step` until :meth:`stop`, sleeping in between until woken (see the module doc).

    Args:
        subscribe: registers a listener for this process's outbox commits
            (``UnitOfWorkFactory.outbox_committed.subscribe``).
        wake_sources: further sources of wake-ups, run alongside (PostgreSQL ``LISTEN``).
        idle_seconds: longest sleep without a wake-up (a subclass's steps use it).
    """

    failure = "worker step failed"
    """What the log says when a step raised."""

    def __init__(self, *, subscribe: Subscribe | None = None, wake_sources: tuple[WakeSource, ...] = (),
                 idle_seconds: float) -> None:
        self.subscribe = subscribe
        self.wake_sources = wake_sources
        self.idle_seconds = idle_seconds
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    def wake(self) -> None:
        """Look now. Safe from any thread (commits happen in worker threads)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            if asyncio.get_running_loop() is loop:
                self._event.set()
                return
        except RuntimeError:
            pass  # not in any loop: a worker thread
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._event.set)

    def stop(self) -> None:
        """End :meth:`run` after the step in progress."""
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        """Step and sleep until :meth:`stop`; then :meth:`_finish`."""
        self._loop = asyncio.get_running_loop()
        unsubscribe = self.subscribe(self.wake) if self.subscribe is not None else None
        sources = [asyncio.create_task(source(self.wake)) for source in self.wake_sources]
        try:
            while not self._stopping:
                self._event.clear()
                try:
                    delay = await self._step()
                except Exception:  # the database is away: pause, never die
                    log.exception("%s", self.failure)
                    delay = ERROR_PAUSE_SECONDS
                if delay is None:
                    continue  # more to do at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._event.wait(), timeout=delay)
        finally:
            if unsubscribe is not None:
                unsubscribe()
            for task in sources:
                task.cancel()
            # Wait for them: a cancelled LISTEN task closes its connection only when it runs again.
            await asyncio.gather(*sources, return_exceptions=True)
            await self._finish()

    async def _step(self) -> float | None:
        """One step; returns how long to sleep (None: step again at once)."""
        raise NotImplementedError

    async def _finish(self) -> None:
        """After the loop: wait for what the steps started (nothing by default)."""
