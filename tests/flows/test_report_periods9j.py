"""An official cannot get a month's ``<5`` back from the term and the other months (issue 9, a breaker's probe).

The town official 刘镇长 asks ``/report`` for each month, the term and the school year, then exports the same
figures as xlsx. Before fix9j each period was suppressed on its own: 学期 8 incidents, 2026-10 6 and 2026-09 0
gave November's ``<5`` back as 2 (and the cash of November's two children given aid the same way). The reader
here is someone with every figure shown and the sums: the term is its months, the year its terms, the town its
schools; a ``<5`` must keep at least two values it could be.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import ranges
from bot.store.models import AidRecord, Child, Incident
from tests.support.chat import Chat
from tests.support.figures_world import county

PERIODS = ("2026-09", "2026-10", "2026-11", "学期", "学年")
MONTHS = PERIODS[:3]  # the clock stands at 2026-11-30: December has not begun


@pytest.fixture
def world(uow_factory):
    world = county(uow_factory)
    with uow_factory() as uow:
        for day in range(6):  # October: 6 incidents; November holds the county world's 1, and one more
            at = datetime(2026, 10, 5 + day, 2, tzinfo=UTC)
            uow.session.add(Incident(child_id=world.xiaoer, reporter_id=world.wang, kind="injury", severity="minor",
                                     description="摔倒", reported_at=at, policy={}, status="closed",
                                     closed_at=at + timedelta(hours=1)))
        at = datetime(2026, 11, 12, 2, tzinfo=UTC)
        uow.session.add(Incident(child_id=world.xiaoer, reporter_id=world.wang, kind="injury", severity="minor",
                                 description="摔倒", reported_at=at, policy={}, status="closed",
                                 closed_at=at + timedelta(hours=1)))
        children = uow.session.scalars(select(Child.id).where(Child.school_id == world.qingxi, Child.active)
                                       .order_by(Child.id)).all()
        for n, child in enumerate(children):  # cash: 6 children in October, the other 2 in November
            uow.session.add(AidRecord(child_id=child, school_id=world.qingxi, kind="cash",
                                      given_on=date(2026, 10, 8) if n < 6 else date(2026, 11, 20),
                                      amount=Decimal("300") if n < 6 else Decimal("250.50"), source="县教育局",
                                      recorded_at=datetime(2026, 11, 21, 2, tzinfo=UTC)))
        uow.commit()
    return world


def _line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if label in line)


def _values_left(shown: dict[str, str], hidden_range: range) -> set[int]:
    """November's values a reader cannot rule out: term = September + October + November = the school year."""
    choices = [[int(shown[p])] if shown[p].isdigit() else list(range(1, 5)) if shown[p] == "<5" else list(hidden_range)
               for p in PERIODS]
    return {nov for sep, octo, nov, term, year in itertools.product(*choices) if sep + octo + nov == term == year}


def test_a_town_official_cannot_subtract_the_months_from_the_term(flows, world):
    chat = Chat(flows, f"tg-{world.town}")
    incidents, cash = {}, {}
    for period in PERIODS:
        chat.send(f"/report {period}")
        incidents[period] = re.search(r"报告的突发事件：(\S+)", _line(chat.text, "报告的突发事件")).group(1)
        cash[period] = _line(chat.text, "本期资助记录")
    assert incidents["2026-11"] == "<5"
    assert incidents["学期"] == incidents["学年"] == "8"  # the term's figure is still there for her
    assert len(_values_left(incidents, range(0, 20))) >= 2, incidents
    assert "现金合计" not in cash["2026-11"]  # 2 children given cash: no total
    assert "8名儿童，现金合计2301元" in cash["学期"]  # the term's aid is still there for her
    # September's 0, October's total and the term's would give November's 501 yuan back: one of them is hidden.
    assert not all("现金合计" in cash[p] for p in ("2026-09", "2026-10", "学期")), cash


# Who exports, and the sums her rows make: the total row is named after her scope.
SCOPES = {
    "town": ("清溪镇", {"清溪镇": ["河口小学", "清溪小学"]}),
    "bureau": ("合计（3所学校）", {"合计（3所学校）": ["河口小学", "清溪小学", "石门小学"],
                              "清溪镇": ["河口小学", "清溪小学"], "石门镇": ["石门小学"]}),
}


@pytest.mark.parametrize("who", SCOPES)
def test_the_xlsx_export_gives_no_month_back_either(flows, world, who):
    """The town's and the county's 统计 for each period, read together: no <5 (nor November's cash) pinned."""
    chat = Chat(flows, f"tg-{getattr(world, who)}")
    rows: dict[str, dict[str, dict]] = {}
    for period in PERIODS:
        chat.send(f"/export 统计 {period}")
        [prompt] = [p for p in chat.reply.prompts if p.attachment is not None]
        sheet = list(openpyxl.load_workbook(io.BytesIO(prompt.attachment.data)).worksheets[0].iter_rows(
            values_only=True))
        header = sheet[0]
        rows[period] = {r[0]: dict(zip(header, r, strict=True)) for r in sheet[1:] if r[0] and r[1]}
    total, sums = SCOPES[who]
    units = sorted({*sums, *(u for parts in sums.values() for u in parts)})
    assert rows["2026-11"]["清溪小学"]["突发事件"] == "<5"
    assert rows["学期"][total]["突发事件"] == 8  # the term's figure is still there for her
    for column in ("突发事件", "本期现金资助合计（元）"):
        scale = 100 if column.startswith("本期现金") else 1  # cash to the fen
        cells = {(u, p): rows[p][u][column] for u in units for p in PERIODS}
        values = {c: round(float(v) * scale) if isinstance(v, int | float) else 0 for c, v in cells.items()}
        small = {c for c, v in cells.items() if v == "<5"}
        hidden = {c for c, v in cells.items() if not isinstance(v, int | float)}
        truth = _truth(column, scale, total)
        values.update({c: truth.get(c, 0) for c in hidden})
        equations = [[((u, "学期"), -1), *(((u, m), 1) for m in MONTHS)] for u in units]
        equations += [[((u, "学年"), -1), ((u, "学期"), 1)] for u in units]
        equations += [[((whole, p), -1), *(((u, p), 1) for u in parts)] for whole, parts in sums.items()
                      for p in PERIODS]
        found = ranges(values, equations, Suppressed(frozenset(small), frozenset(hidden - small)), 5)
        protected = small if column == "突发事件" else {(u, "2026-11") for u in ("清溪小学", "清溪镇", total)}
        for cell in protected:
            low, high = found[cell]
            assert low < high, (column, cell, found, cells)


def _truth(column: str, scale: int, total: str) -> dict[tuple[str, str], int]:
    """The true figures (what the reader is after) of the test's records: only 清溪小学 has any."""
    if column == "突发事件":
        school = {"2026-09": 0, "2026-10": 6, "2026-11": 2, "学期": 8, "学年": 8}
    else:
        school = {"2026-09": 0, "2026-10": 1800 * scale, "2026-11": 501 * scale, "学期": 2301 * scale,
                  "学年": 2301 * scale}
    return {(u, p): v for u in ("清溪小学", "清溪镇", total) for p, v in school.items()}
