"""Officials' registration table against a reader with an integer-programming solver (issue 9, breaker).

The breaker's attack (tests/support/suppression_attack.py) reads the table as an official gets it and asks
HiGHS for each hidden cell's lowest and highest whole value. Sum by sum (``pinned``) a table looked safe while
every sum at once, the bounds and whole numbers gave a ``<5`` back exactly. Now each ``<5`` of value v keeps
the protection interval v − 1 to v + 1 (within 1–4) open, and a real school's table shows what it showed.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from bot.services import registration as reg
from bot.services.roster import import_roster
from bot.store.models import School
from tests.support.figures_world import county
from tests.support.suppression_attack import narrowed, protect_alone, random_rows


def test_the_breakers_table_gave_small_counts_back_and_no_longer_does():
    rng = random.Random(9)
    for _ in range(6):
        rows = random_rows(rng)  # the sixth: five schools and their 合计, many of them <5
    before = narrowed(rows, [row.cells(protect_alone(rows), i) for i, row in enumerate(rows)])
    assert any(low == high for _, _, (low, high) in before)  # a <5 read exactly from the table protect() made
    hidden = reg._suppressed(rows)
    assert narrowed(rows, [row.cells(hidden, i) for i, row in enumerate(rows)]) == []


def test_seeded_random_tables_give_no_small_count_back():
    rng = random.Random(2026)
    for n in range(20):  # benchmarks/suppression_audit.py runs 300 of them (minutes on this machine)
        rows = random_rows(rng, 3)
        hidden = reg._suppressed(rows)
        assert narrowed(rows, [row.cells(hidden, i) for i, row in enumerate(rows)]) == [], n


def test_the_sample_school_shows_its_whole_table_to_an_official(uow_factory, sample_roster: Path):
    with uow_factory() as uow:
        import_roster(uow, sample_roster, now=datetime(2026, 11, 30, 1, tzinfo=UTC), default_timezone="Asia/Shanghai")
    with uow_factory() as uow:
        schools = list(uow.session.scalars(select(School.id)))
        sheet, _problems = reg.registration_table(uow, schools, date(2026, 11, 30), official=True)
    counts = [122, 64, 58, 0, 9, 113, 0, 0, 0, 73, 49, 0, 0, 78, 44, 0, 0, 47, 55, 20, 0, 0, 122, 0, 0, 0, 0, 25]
    assert [row[1:] for row in sheet.rows] == [counts, counts]  # no count under 5: nothing hidden, as before
    assert sheet.preamble == []


def test_a_county_table_shows_at_least_what_it_showed_and_still_gives_nothing_away(uow_factory):
    world = county(uow_factory)
    with uow_factory() as uow:
        sheet, _problems = reg.registration_table(uow, [world.qingxi, world.hekou, world.shimen],
                                                  date(2026, 11, 30), official=True)
        rows = [reg._Row(r[0]) for r in sheet.rows]
    with uow_factory() as uow:
        problems: list[reg.Problem] = []
        schools = []
        for school_id in (world.qingxi, world.hekou, world.shimen):
            row = reg._Row(str(school_id))
            for r in reg._school_rows(uow, school_id, date(2026, 11, 30), problems):
                row.merge(r)
            schools.append(row)
    total = reg._Row("合计")
    for row in schools:
        total.merge(row)
    rows = [*schools, total]
    before = [row.cells(protect_alone(rows), i)[1:] for i, row in enumerate(rows)]
    now = [r[1:] for r in sheet.rows]
    shown_before = {(r, c) for r, row in enumerate(before) for c, v in enumerate(row) if v not in ("<5", "*")}
    shown_now = {(r, c) for r, row in enumerate(now) for c, v in enumerate(row) if v not in ("<5", "*")}
    assert shown_before <= shown_now and shown_now - shown_before  # cells hidden without need are shown (fix9q)
    assert all(now[r][c] == before[r][c] for r, c in shown_before)
    assert narrowed(rows, [["", *r] for r in now]) == []  # the breaker's attack still learns no <5
