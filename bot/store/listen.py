"""PostgreSQL ``LISTEN``: hear other workers' outbox commits (``bot.store.signals``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.engine import make_url

from bot.store.db import normalise_url
from bot.store.signals import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 5.0


def _conninfo(database_url: str) -> str:
    url = make_url(normalise_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def listen_outbox(database_url: str, wake: Callable[[], None]) -> None:
    """Call ``wake`` on every outbox notification until cancelled; reconnects after a lost connection.

    Args:
        database_url: a PostgreSQL URL (``GUANAI_DATABASE_URL``).
        wake: called for each notification, and once after each (re)connect
            (rows committed while no one listened are ready too).
    """
    import psycopg  # noqa: PLC0415 — PostgreSQL only

    conninfo = _conninfo(database_url)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                wake()
                async for _ in conn.notifies():
                    wake()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 — keep listening; the sender also polls
            log.warning("outbox listener: %s; reconnecting in %.0f s", type(exc).__name__, RECONNECT_SECONDS)
        await asyncio.sleep(RECONNECT_SECONDS)
