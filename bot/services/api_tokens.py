"""Access tokens of the WeChat and WeCom APIs, shared by every worker through the database.

The platform calls themselves are the channel's (``bot.handlers.wechat.api``
passes a ``fetch`` coroutine); keeping the tokens is this service's.

Both platforms hand out an ``access_token`` valid for ``expires_in`` seconds
(7200 today) and limit how often one may be fetched (WeChat: 2000 a day per
account; fetching a new one also invalidates the previous one after 5
minutes). So a token is fetched by one worker and kept in the ``api_tokens``
table (:class:`bot.store.models.ApiToken`), where every other worker and
process reads it:

* read the row; use its token while ``expires_at - margin`` lies ahead;
* otherwise (or when the caller reports the token refused with 40001/42001)
  refresh under a lock: on PostgreSQL ``SELECT … FOR UPDATE`` of the token row
  (created first with ``INSERT … ON CONFLICT DO NOTHING``), so a second worker
  waits and then finds the fresh token instead of fetching its own; inside one
  process an asyncio lock per token name does the same for coroutines (a
  coroutine blocked on a row lock would block the whole event loop). SQLite
  runs one process (see bot.services.delivery): there the asyncio lock alone
  serialises refreshes, and no transaction is held across the fetch.

Tokens are secrets: they are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.clock import Clock
from bot.services.ports import UnitOfWork, UowFactory
from bot.store.models import ApiToken
from bot.store.threads import run_sync

log = logging.getLogger(__name__)

# Refresh this long before the platform's expiry, so a token never dies in flight.
# WeChat keeps an old token valid for 5 minutes after a new one is issued.
MARGIN = timedelta(minutes=5)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Fetch = Callable[[], Awaitable[tuple[str, float]]]
"""Fetches a new token from the platform: returns ``(access_token, expires_in seconds)``."""

_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = weakref.WeakKeyDictionary()


def _lock(name: str) -> asyncio.Lock:
    """One asyncio lock per token name and event loop (locks belong to a loop)."""
    per_loop = _locks.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(name, asyncio.Lock())


class TokenStore:
    """Access tokens by name, kept in ``api_tokens`` and refreshed by one worker at a time.

    Args:
        uow_factory: units of work on the shared database.
        clock: UTC clock.
        margin: refresh this long before the stored expiry (default 5 minutes).
    """

    def __init__(self, uow_factory: UowFactory, clock: Clock, *, margin: timedelta = MARGIN) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.margin = margin

    def _usable(self, row: ApiToken | None, stale: str | None) -> bool:
        return (row is not None and bool(row.token) and row.token != stale
                and row.expires_at - self.margin > self.clock.now())

    async def get(self, name: str, fetch: Fetch, *, stale: str | None = None) -> str:
        """The current token called ``name``; fetched with ``fetch`` only when none is usable.

        Args:
            name: ``wechat:<appid>`` or ``wecom:<corpid>:<agentid>``.
            fetch: asks the platform for a new token.
            stale: a token the platform just refused (40001/42001): a stored token
                equal to it counts as expired, a different one (another worker
                refreshed meanwhile) is used as is.

        Raises:
            Exception: whatever ``fetch`` raises (``bot.handlers.wechat.api.TokenError`` when the
                platform refuses, ``httpx.HTTPError`` on a network failure); the stored row is left
                as it was.
        """
        with self.uow_factory() as uow:
            row = uow.session.scalar(select(ApiToken).where(ApiToken.name == name))
            if row is not None and self._usable(row, stale):
                return row.token
        async with _lock(name):
            return await self._refresh(name, fetch, stale)

    async def _refresh(self, name: str, fetch: Fetch, stale: str | None) -> str:
        with self.uow_factory() as uow:
            if uow.dialect != "postgresql":
                # SQLite takes the database's write lock at BEGIN (bot.store.db), so a transaction held
                # across the fetch would stall every other coroutine's unit of work on this loop. One
                # process uses SQLite, and the asyncio lock already makes its coroutines take turns.
                row = uow.session.scalar(select(ApiToken).where(ApiToken.name == name))
                if row is not None and self._usable(row, stale):
                    return row.token
            else:
                # Waiting for another worker's lock happens in a thread: the event loop (and with it
                # the WeChat callbacks' five-second answers) keeps running meanwhile.
                row = await run_sync(self._locked_row, uow, name)
                if self._usable(row, stale):  # another worker refreshed while we waited for the lock
                    uow.commit()
                    return row.token
                token, expires_in = await fetch()  # the row lock is held: other workers wait for us
                self._store(row, token, expires_in)
                uow.commit()
                return token
        token, expires_in = await fetch()
        with self.uow_factory() as uow:
            self._store(self._locked_row(uow, name), token, expires_in)
            uow.commit()
        return token

    def _locked_row(self, uow: UnitOfWork, name: str) -> ApiToken:
        """The token row, created empty when missing, locked (``FOR UPDATE``) on PostgreSQL."""
        s = uow.session
        insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
        # Make sure the row exists, so there is something to lock.
        s.execute(insert(ApiToken).values(name=name, token="", expires_at=_EPOCH, refreshed_at=_EPOCH)
                  .on_conflict_do_nothing(index_elements=["name"]))
        query = select(ApiToken).where(ApiToken.name == name).execution_options(populate_existing=True)
        if uow.dialect == "postgresql":
            query = query.with_for_update()
        return s.scalars(query).one()

    def _store(self, row: ApiToken, token: str, expires_in: float) -> None:
        now = self.clock.now()
        row.token = token
        row.expires_at = now + timedelta(seconds=expires_in)
        row.refreshed_at = now
        log.info("access token %s refreshed, valid %.0f s", row.name, expires_in)
