"""City-scale planning in short transactions: the schools in batches, each batch committed on its own.

Issue 7, item 5: a 260,000-child Friday tick held one write transaction for
minutes, and on SQLite every chat reply that writes waited behind it. The
planners (``plan_checkins``, ``plan_digests``) take ``school_ids``; the tick
runs them once per batch of :data:`SCHOOLS_PER_TRANSACTION` schools, so a
reply waits at most for one batch. Each batch writes its plan markers with its
rows, so a batch that fails is planned again by the next tick and the others
stay done.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from sqlalchemy import select

from bot.services.ports import UnitOfWork, UowFactory
from bot.store.models import School

log = logging.getLogger(__name__)

SCHOOLS_PER_TRANSACTION = 100  # about 12,000 children of the sample school: a write of a few tenths of a second
# SQLite has one writer, and a writer waiting on the busy timeout retries only every 100 ms
# at most: without a gap this long between batches, the next batch would take the lock
# again first, every time, and a chat reply would wait out the whole plan (or its timeout).
SQLITE_GAP_SECONDS = 0.12


def school_batches(uow_factory: UowFactory, size: int = SCHOOLS_PER_TRANSACTION) -> list[list[int]]:
    """Every school's id, in batches of ``size`` (in id order)."""
    with uow_factory() as uow:
        ids = list(uow.session.scalars(select(School.id).order_by(School.id)))
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def plan_in_batches(uow_factory: UowFactory, planner: Callable[[UnitOfWork, Sequence[int]], int],
                    size: int = SCHOOLS_PER_TRANSACTION) -> tuple[int, int]:
    """Run ``planner(uow, school_ids)`` for each batch of schools, each in its own committed transaction.

    A batch that raises is rolled back and logged; the others still run.

    Returns:
        (what the planner returned, summed; how many batches failed).
    """
    total = failed = 0
    sqlite = False
    for n, ids in enumerate(school_batches(uow_factory, size)):
        if n and sqlite:
            time.sleep(SQLITE_GAP_SECONDS)  # a waiting writer (a chat reply) goes first
        try:
            with uow_factory() as uow:
                sqlite = uow.dialect == "sqlite"
                total += int(planner(uow, ids) or 0)
                uow.commit()
        except Exception:
            failed += 1
            log.exception("planning schools %s to %s failed", ids[0], ids[-1])
    return total, failed
