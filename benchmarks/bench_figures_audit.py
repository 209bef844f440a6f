"""Benchmark: officials' figures audited over the school year's grid, for a synthetic county (issue 9).

Fills a fresh SQLite database with ``--schools`` copies of the sample school (``benchmarks.scale``), spread
over ``--towns`` towns, binds one account per school so talks are owed, and adds seeded records over the
autumn term: incidents (a few a month, many schools with 1–4), aid given (cash and goods), and monthly talks
for about half the children. Then asks for the report the education bureau sees (every school, per town) as
the dashboard does, and prints:

* the grid's size (tables: units × periods) and the cells the audit hides, primary (``<5``) and the rest;
* the time of the first report (the audit decided) and of a second (the pattern reused), and the process's peak memory.

Asserts nothing about speed. Usage::

    python -m benchmarks.bench_figures_audit --schools 20 --towns 4
    python -m benchmarks.bench_figures_audit --schools 3 --towns 2 --no-reuse   # each report audits anew
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from benchmarks.scale import populate
from bot.domain import suppression_grid
from bot.domain.enums import Role, TalkKind
from bot.domain.figures import month_period
from bot.services import figures, figures_periods_audit
from bot.services.identity import Actor
from bot.store.db import make_engine, make_session_factory
from bot.store.models import AidRecord, ChatAccount, Child, Incident, Person, School, TalkRecord
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MONTHS = ((2026, 9), (2026, 10), (2026, 11))


def _fill(engine: Any, schools: list[int], towns: int, rng: random.Random) -> None:
    """Towns, bound accounts, incidents, aid and talks, seeded."""
    with engine.begin() as conn:
        for n, school_id in enumerate(schools):
            conn.execute(update(School).where(School.id == school_id).values(town=f"镇{n % towns:02d}"))
            person = conn.execute(select(Person.id).where(Person.school_id == school_id).limit(1)).scalar_one()
            conn.execute(insert(ChatAccount).values(person_id=person, channel="console",
                                                    account_id=f"bench-{school_id}",
                                                    bound_at=datetime(2026, 9, 1, tzinfo=UTC)))
            kids = [r[0] for r in conn.execute(select(Child.id).where(Child.school_id == school_id))]
            incidents, aid = [], []
            for year, month in MONTHS:
                for _ in range(rng.choice((0, 0, 1, 2, 3, 6))):
                    at = datetime(year, month, rng.randint(1, 28), 2, tzinfo=UTC)
                    incidents.append({"child_id": rng.choice(kids), "reporter_id": person, "kind": "injury",
                                      "severity": "minor", "description": "摔倒", "reported_at": at, "policy": {},
                                      "status": "closed", "closed_at": at + timedelta(hours=1)})
                for child in rng.sample(kids, rng.choice((0, 1, 3, 7))):
                    cash = rng.random() < 0.6
                    aid.append({"child_id": child, "school_id": school_id, "kind": "cash" if cash else "goods",
                                "given_on": date(year, month, rng.randint(1, 28)),
                                "amount": Decimal(rng.choice((200, 300, 500))) if cash else None,
                                "source": "县教育局", "recorded_at": NOW})
            if incidents:
                conn.execute(insert(Incident), incidents)
            if aid:
                conn.execute(insert(AidRecord), aid)
            conn.execute(insert(TalkRecord), [
                {"child_id": c, "author_id": person, "kind": TalkKind.CLASS_TEACHER_MONTHLY.value,
                 "period": f"{y}-{m:02d}", "talked_at": datetime(y, m, 20, tzinfo=UTC)}
                for c in kids for y, m in MONTHS if rng.random() < 0.5])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--towns", type=int, default=4)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-reuse", action="store_true", help="audit anew for every report (no cached pattern)")
    args = parser.parse_args()
    calls: list[tuple[int, int, int]] = []  # per audited figure: published cells, primary, hidden in all
    decide = suppression_grid.grid_hidden

    def counted(values: Any, equations: Any, minimum: int, published: Any, **kw: Any) -> Any:
        found = decide(values, equations, minimum, published, **kw)
        calls.append((len(published), len(found.primary), len(found.primary) + len(found.complementary)))
        return found

    figures_periods_audit.grid_hidden = counted  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'county.db'}"
        prepare_database(url)
        engine = make_engine(url)
        started = time.perf_counter()
        counts = populate(engine, args.schools * 122, SAMPLE)
        with engine.begin() as conn:
            schools = [r[0] for r in conn.execute(select(School.id).order_by(School.id))]
        _fill(engine, schools, args.towns, random.Random(args.seed))
        print(f"populated {counts} in {time.perf_counter() - started:.1f} s")
        uows = UnitOfWorkFactory(make_session_factory(engine))
        actor = Actor(person_id=0, name="", school_id=schools[0], roles=frozenset({Role.EDUCATION_BUREAU.value}),
                      locale="zh_Hans", timezone="Asia/Shanghai")
        for attempt in ("first report (audit decided)", "same report again"):
            if args.no_reuse:
                from bot.services import figures_periods_cache

                figures_periods_cache.clear()
            calls.clear()
            t0 = time.perf_counter()
            with uows() as uow:
                report = figures.report_for(uow, actor, month_period(2026, 11), NOW)
            seconds = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
            assert report is not None
            print(f"{attempt}: {seconds:.2f} s, process peak RSS so far {peak / 2**20:.0f} MiB")
            if calls:
                published = sum(c[0] for c in calls)
                hidden = sum(c[2] for c in calls)
                tables = published // len(calls)
                print(f"  grid: {len(report.units)} schools, {len(report.towns)} towns, {tables} (unit, period) "
                      f"tables per figure, {len(calls)} figures audited")
                print(f"  hidden: {hidden} of {published} cells ({100 * hidden / published:.1f} %), of which "
                      f"{sum(c[1] for c in calls)} primary (<5)")
        engine.dispose()


if __name__ == "__main__":
    main()
