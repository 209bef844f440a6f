"""Benchmark: update-handling throughput of one process against the local Bot API double.

The real python-telegram-bot (polling) and the real FlowRunner on a database
holding the sample school; bound teachers send ``/due``, ``/me`` and the first
step of ``/talk <child>`` as fast as the double can hand them out. Prints
updates handled per second (an update counts when its reply reached the
double), once with PTB's AIORateLimiter as deployed (Telegram allows about
30 messages/s overall, so that caps the figure) and once without it (the
bot's own capacity). Asserts nothing about speed.

Usage::

    python -m benchmarks.telegram_throughput --updates 600
    python -m benchmarks.telegram_throughput --database postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

from bot.bootstrap import build, make_flows
from bot.config import load_settings
from bot.domain.enums import Channel
from bot.handlers.telegram import build_application, telegram_running
from bot.services.roster import import_roster
from bot.store.models import ChatAccount, Child, Person, SchoolClass
from bot.store.schema import prepare_database
from tests.support.botapi_double import BotApiDouble

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"


def _setup(url: str, sample: Path):
    prepare_database(url)
    container = build(load_settings(database_url=url))
    with container.uow() as uow:
        import_roster(uow, sample, now=container.clock.now(), default_timezone=container.settings.timezone)
    teachers: list[tuple[int, str]] = []
    with container.uow() as uow:
        s = uow.session
        now = container.clock.now()
        rows = s.execute(
            select(Person.id, Child.name).join(SchoolClass, SchoolClass.class_teacher_id == Person.id)
            .join(Child, Child.class_id == SchoolClass.id).order_by(Person.id, Child.id)
        ).all()
        seen = set()
        for person_id, child in rows:
            if person_id in seen:
                continue
            seen.add(person_id)
            teachers.append((person_id, child))
            s.add(ChatAccount(person_id=person_id, channel=Channel.TELEGRAM.value,
                              account_id=str(7_000_000_000 + person_id), bound_at=now))
        uow.commit()
    return container, teachers


async def _measure(container, teachers, updates: int, rate_limit: bool, first_update_id: int) -> float:
    double = BotApiDouble()
    # update_ids already handled are ignored as redeliveries: every run needs new ones.
    double._update_ids = itertools.count(first_update_id)
    double.start()
    try:
        application = build_application(double.token, make_flows(container), api_url=double.api_url,
                                        rate_limit=rate_limit)
        async with telegram_running(application):
            double.take_sent()
            texts = ["/due", "/me", "谈心 {child}"]
            start = time.perf_counter()
            for i in range(updates):
                person_id, child = teachers[i % len(teachers)]
                double.inject_text(7_000_000_000 + person_id, texts[i % 3].format(child=child))
            await double.next_sent(updates, within=600)
            return updates / (time.perf_counter() - start)
    finally:
        double.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'throughput.db'}"
    if url.startswith("postgresql"):
        import uuid

        from bot.store.db import make_engine

        schema = f"tp_{uuid.uuid4().hex[:8]}"
        with make_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    container, teachers = _setup(url, args.sample)
    backend = container.engine.dialect.name
    container.engine.dispose()
    for run, rate_limit in enumerate((True, False)):
        container = build(load_settings(database_url=url))  # a fresh process's worth of state per run
        first_update = 1000 + run * 10 * args.updates
        per_second = asyncio.run(_measure(container, teachers, args.updates, rate_limit, first_update))
        container.engine.dispose()
        label = "with the pacer     " if rate_limit else "no rate limiter   "
        print(f"backend={backend} {label}: {args.updates} updates from {len(teachers)} teachers, "
              f"{per_second:,.1f} updates/s")


if __name__ == "__main__":
    main()
