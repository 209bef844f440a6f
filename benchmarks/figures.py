"""Benchmark: the figures for superiors (``/report``) for a school, a town and a county of copies of the sample.

Fills a fresh SQLite database with copies of the sample school
(``benchmarks.scale``, all in one town), binds one account per school so
talks are owed, adds a month of talk records for half the children, then
times ``school_figures`` for one school and ``report_for`` as the town
government and the education bureau see it (every school). Prints the
figures; asserts nothing about speed.

Usage::

    python -m benchmarks.figures --children 12200
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.scale import populate
from bot.domain.enums import Role, TalkKind
from bot.domain.figures import month_period
from bot.services import figures
from bot.services.identity import Actor
from bot.store.db import make_engine, make_session_factory
from bot.store.models import ChatAccount, Child, Person, School, TalkRecord
from bot.store.schema import prepare_database
from bot.store.uow import UnitOfWorkFactory

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "roster-sample.xlsx"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=12_200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'figures.db'}"
        prepare_database(url)
        engine = make_engine(url)
        started = time.perf_counter()
        counts = populate(engine, args.children, SAMPLE)
        with engine.begin() as conn:
            schools = [r[0] for r in conn.execute(select(School.id))]
            for school_id in schools:
                person = conn.execute(select(Person.id).where(Person.school_id == school_id).limit(1)).scalar_one()
                conn.execute(insert(ChatAccount).values(person_id=person, channel="console",
                                                        account_id=f"bench-{school_id}",
                                                        bound_at=datetime(2026, 11, 1, tzinfo=UTC)))
            kids = [r[0] for r in conn.execute(select(Child.id))]
            conn.execute(insert(TalkRecord), [
                {"child_id": c, "author_id": 1, "kind": TalkKind.CLASS_TEACHER_MONTHLY.value, "period": "2026-11",
                 "talked_at": NOW} for c in kids[::2]])
        print(f"populated {counts} in {time.perf_counter() - started:.1f} s")
        uows = UnitOfWorkFactory(make_session_factory(engine))
        november = month_period(2026, 11)
        with uows() as uow:
            t0 = time.perf_counter()
            one = figures.school_figures(uow, schools[0], november, NOW)
            t1 = time.perf_counter()
            print(f"one school ({one.total.left_behind} children): {1000 * (t1 - t0):.0f} ms")
            for role in (Role.TOWN_GOVERNMENT, Role.EDUCATION_BUREAU):
                actor = Actor(person_id=0, name="", school_id=schools[0], roles=frozenset({role.value}),
                              locale="zh_Hans", timezone="Asia/Shanghai")
                t0 = time.perf_counter()
                report = figures.report_for(uow, actor, november, NOW)
                t1 = time.perf_counter()
                assert report is not None
                print(f"{role.value}: {len(report.units)} schools, {report.total.left_behind} children, monthly talks "
                      f"{report.total.monthly_talks.done}/{report.total.monthly_talks.total}: {t1 - t0:.2f} s")
        engine.dispose()


if __name__ == "__main__":
    main()
