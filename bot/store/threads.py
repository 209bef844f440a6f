"""Blocking database work off the event loop that never outlives the task that asked for it.

``asyncio.to_thread`` lets a cancelled caller go on at once while its thread
still runs: a send abandoned at its deadline, or a worker stopped at shutdown,
leaves a thread holding a pooled connection, the engine is disposed under it,
and the connection is closed by the garbage collector later (psycopg's
"connection … was deleted while still open"). :func:`run_sync` waits for the
thread before passing the cancellation on, so a task that has ended has no
database work left behind, and ``engine.dispose()`` after the workers have
stopped closes every connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def run_sync(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn(*args, **kwargs)`` in a worker thread; a cancellation waits for the thread, then propagates.

    The thread's work is short (one transaction), so the wait is short; its
    result or error is dropped when the caller was cancelled.
    """
    future = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        while not future.done():  # a second cancellation must not leave the thread behind either
            try:
                await asyncio.wait([future])
            except asyncio.CancelledError:
                continue
        if not future.cancelled():
            future.exception()  # retrieved: a failure of the abandoned work is not "never retrieved"
        raise
