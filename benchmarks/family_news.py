"""Benchmark: draft a month's news to the parents working away for many schools (issue 8, item 5).

Fills a fresh database with copies of the sample school (``benchmarks.scale``)
until it holds ``--children`` left-behind children, plans November's weekly
check-ins (so each child has something recorded), then times
``draft_monthly_news`` on Tuesday 1 December 2026, 09:00 school time (one
draft per child with a parent on record, one notice per class teacher), and a
second tick the same morning (which must find everything planned). Prints the
figures; asserts nothing about speed.

Usage::

    python -m benchmarks.family_news --children 26000 --backend sqlite
    python -m benchmarks.family_news --backend postgresql --pg-url postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from benchmarks.reminders import SAMPLE, _database
from benchmarks.scale import populate
from bot.config import load_settings
from bot.services.checkins import plan_checkins
from bot.services.family_news import draft_monthly_news
from bot.store.db import make_engine, make_session_factory
from bot.store.models import FamilyNews, OutboxMessage
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

CHECKINS_AT = datetime(2026, 11, 27, 10, 5, tzinfo=UTC)  # Friday 27 November, 18:05 in Shanghai
DRAFT_AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday 1 December, 09:00


def run(backend: str, children: int, pg_url: str, sample: Path) -> None:
    url, cleanup = _database(backend, pg_url)
    try:
        prepare_database(url)
        engine = make_engine(url)
        counts = populate(engine, children, sample)
        if backend == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        uow = UnitOfWorkFactory(make_session_factory(engine))
        settings = load_settings(database_url=url)
        with uow() as u:
            plan_checkins(u, now=CHECKINS_AT, settings=settings)
            u.commit()
        timings = []
        for label in ("first tick", "second tick"):
            t = time.perf_counter()
            with uow() as u:
                made = draft_monthly_news(u, now=DRAFT_AT, settings=settings)
                u.commit()
            timings.append((label, made, time.perf_counter() - t))
        with uow() as u:
            drafts = u.session.scalar(select(func.count(FamilyNews.id)))
            notices = u.session.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.key.like("news:ready:%")))
        print(f"backend={backend} children={counts['children']} schools={counts['schools']}")
        for label, made, secs in timings:
            print(f"  {label:12s} drafted {made:>8,d} in {secs:7.2f} s  ({made / secs if secs else 0:,.0f}/s)")
        print(f"  drafts {drafts:,d}, teachers' notices {notices:,d}")
        engine.dispose()
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=26_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.children, args.pg_url, args.sample)


if __name__ == "__main__":
    main()
