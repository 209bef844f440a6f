"""The strict Bot API double in a process of its own, for the benchmarks.

In the benchmark's own process the double's threads share the interpreter
lock with the bot: under load it stamps arrivals late and bunched, which can
produce 429s Telegram would not give, and its work slows the sender. Here the
same :class:`~tests.support.botapi_double.BotApiDouble` runs in a child
process (``multiprocessing``, spawn), and the benchmark reads what arrived —
the sent messages with their arrival times and the 429 count — over a pipe.
Arrival times are ``time.monotonic()``, one clock for every process on Linux,
so they compare with the benchmark's own stamps.

:class:`RemoteDouble` offers what the benchmark reads of an in-process double:
``token``, ``api_url``, ``sent``, ``flood_refusals`` and ``close()``.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

from tests.support.botapi_double import BotApiDouble, SentMessage

REFRESH_SECONDS = 0.02
"""Longest the benchmark reuses what it last read of the double before asking again."""


def _serve(conn: Connection, strict: bool, latency: float, kernel_stamps: bool) -> None:
    """The child: serve the double and answer ``since`` (an index into ``sent``) with what arrived from there."""
    double = BotApiDouble(strict=strict, latency=latency, kernel_stamps=kernel_stamps).start()
    conn.send((double.token, double.api_url))
    try:
        while True:
            asked = conn.recv()
            if asked is None:
                break
            since, stamps_since = asked
            with double._cond:  # noqa: SLF001 — the double's own lock, held while its list is read
                rows = [(m.method, m.chat_id, m.text, m.message_id, m.at) for m in double.sent[since:]]
                refused = list(double.refused)
                stamps = list(double.stamps[stamps_since:])
            conn.send((refused, rows, stamps))
    except EOFError:
        pass  # the benchmark went away
    finally:
        double.close()


class RemoteDouble:
    """A strict :class:`BotApiDouble` served by a child process; read like the in-process one."""

    def __init__(self, *, strict: bool = True, latency: float = 0.0, kernel_stamps: bool = False) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, strict, latency, kernel_stamps),
                                        name="botapi-double", daemon=True)
        self._process.start()
        child.close()
        self.token, self.api_url = self._conn.recv()
        self._sent: list[SentMessage] = []
        self._refused: list[tuple[float, Any]] = []
        self._stamps: list[tuple[float, Any, bool, float, float]] = []
        self._read_at = 0.0

    def _refresh(self) -> None:
        if time.monotonic() - self._read_at < REFRESH_SECONDS:
            return
        self._conn.send((len(self._sent), len(self._stamps)))
        self._refused, rows, stamps = self._conn.recv()
        self._stamps.extend(stamps)
        self._sent.extend(SentMessage(method=method, chat_id=chat, text=body, parse_mode=None, reply_markup=None,
                                      message_id=message_id, at=at)
                          for method, chat, body, message_id, at in rows)
        self._read_at = time.monotonic()

    @property
    def sent(self) -> list[SentMessage]:
        """Every message that arrived so far (at most :data:`REFRESH_SECONDS` old)."""
        self._refresh()
        return self._sent

    @property
    def flood_refusals(self) -> int:
        """429s the double answered so far."""
        self._refresh()
        return len(self._refused)

    @property
    def refused(self) -> list[tuple[float, Any]]:
        """(arrival stamp, chat) of each 429 the double answered so far."""
        self._refresh()
        return self._refused

    @property
    def stamps(self) -> list[tuple[float, Any, bool, float, float]]:
        """Every message as the double's limits saw it (``BotApiDouble.stamps``)."""
        self._refresh()
        return self._stamps

    def close(self) -> None:
        try:
            self._conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._conn.close()
