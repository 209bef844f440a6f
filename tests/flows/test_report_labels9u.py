"""The ``<5`` labels themselves give nothing away across a town and its schools (fix9u).

清溪镇 has two schools: in November 清溪小学 reported 1 incident (the county world's) and 河口小学 3, so the town
had 4. Shown as ``<5`` all three, the labels alone told the town official that neither school had 4 (each is 1–4
and they add up to at most 4). Now one of them reads ``*`` (any count from 0): the official 刘镇长 exports 统计
for each period, and a reader with every sum (the term is its months, the year its terms, the town its schools)
finds every ``<5`` still any of 1–4 and no ``*`` pinned; her ``/report`` shows the town's figure as the xlsx does.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from bot.domain.suppression import Suppressed
from bot.domain.suppression_audit import ranges
from bot.store.models import Child, Incident
from tests.support.chat import Chat
from tests.support.figures_world import county

PERIODS = ("2026-09", "2026-10", "2026-11", "学期", "学年")
MONTHS = PERIODS[:3]
UNITS = ("清溪小学", "河口小学", "清溪镇")
TRUTH = {"清溪小学": 1, "河口小学": 3, "清溪镇": 4}  # November's, and so the term's and the year's


@pytest.fixture
def world(uow_factory):
    world = county(uow_factory)
    with uow_factory() as uow:
        child = uow.session.scalars(select(Child.id).where(Child.school_id == world.hekou, Child.active)
                                    .order_by(Child.id)).first()
        for day in range(3):
            at = datetime(2026, 11, 3 + day, 2, tzinfo=UTC)
            uow.session.add(Incident(child_id=child, reporter_id=world.wang, kind="injury", severity="minor",
                                     description="摔倒", reported_at=at, policy={}, status="closed",
                                     closed_at=at + timedelta(hours=1)))
        uow.commit()
    return world


def test_a_town_under_5_over_its_schools_under_5_tells_nothing_more(flows, world):
    chat = Chat(flows, f"tg-{world.town}")
    cells: dict[tuple[str, str], object] = {}
    for period in PERIODS:
        chat.send(f"/export 统计 {period}")
        [prompt] = [p for p in chat.reply.prompts if p.attachment is not None]
        sheet = list(openpyxl.load_workbook(io.BytesIO(prompt.attachment.data)).worksheets[0].iter_rows(
            values_only=True))
        rows = {r[0]: dict(zip(sheet[0], r, strict=True)) for r in sheet[1:] if r[0] and r[1]}
        cells.update({(u, period): rows[u]["突发事件"] for u in UNITS})
    november = {u: cells[(u, "2026-11")] for u in UNITS}
    assert "*" in november.values(), november  # main showed <5, <5, <5: neither school is 4
    assert set(november.values()) <= {"<5", "*"}, november
    small = {c for c, v in cells.items() if v == "<5"}
    hidden = {c for c, v in cells.items() if not isinstance(v, int)}
    values = {c: (TRUTH[c[0]] if c[1] != "2026-09" and c[1] != "2026-10" else 0) if c in hidden else v
              for c, v in cells.items()}
    equations = [[((u, "学期"), -1), *(((u, m), 1) for m in MONTHS)] for u in UNITS]
    equations += [[((u, "学年"), -1), ((u, "学期"), 1)] for u in UNITS]
    equations += [[(("清溪镇", p), -1), (("清溪小学", p), 1), (("河口小学", p), 1)] for p in PERIODS]
    for cell, (low, high) in ranges(values, equations, Suppressed(frozenset(small), frozenset(hidden - small)),
                                    5).items():
        assert low < high, (cell, low, high, cells)
        if cell in small:
            assert (low, high) == (1, 4), (cell, low, high, cells)
    chat.send("/report 2026-11")  # the chat says of the town what the xlsx says
    total = re.search(r"报告的突发事件：(\S+)", next(line for line in chat.text.splitlines()
                                                if "报告的突发事件" in line)).group(1)
    assert total == november["清溪镇"], (total, november)
