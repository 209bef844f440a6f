"""An official's banded rates in the dashboard's chart: drawn to the band's bound, marked, never empty (fixchart).

清溪小学 gets 3 more children (11, one card without an address). The town official reads its 10 of 11 cards as
``*/11 (≥63%)``: the bar runs to 63 %, lighter and dashed, labelled ``≥63%``. Its 4 monthly talks of 8 owed read
``*/8`` (a band over fewer than 10 says next to nothing): no bar, the label ``*``.
"""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from bot.store.models import Child
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture
from tests.web.test_dashboard_small9g import _cells, _chart


def _bars(page: str, name: str) -> list[tuple[str, str]]:
    """``name``'s two bars: each one's width and its attributes after the width."""
    return re.findall(r'<rect x="170" y="[^"]+" width="([^"]+)"([^>]*)>', _chart(page, name))


def _labels(page: str, name: str) -> list[str]:
    """The labels written beside ``name``'s bars."""
    svg = unescape(page.split('<svg id="chart"', 1)[1].split("</svg>", 1)[0])
    after = svg.split(f">{name}</text>", 1)[1].split('<text x="0"', 1)[0]
    return re.findall(r"<text [^>]*>([^<]*)</text>", after)


async def test_a_band_is_drawn_to_its_bound_and_a_star_not_at_all(site) -> None:  # noqa: F811
    container, world = site
    with container.uow() as uow:
        model = uow.session.scalars(select(Child).where(Child.name == "大一")).one()
        columns = [c.key for c in Child.__table__.columns if c.key not in ("id", "name", "student_no")]
        for i in range(4, 7):
            uow.session.add(Child(name=f"大{i}", student_no=f"Q2{i}", **{c: getattr(model, c) for c in columns}))
        uow.commit()
    async with _client(container) as client:
        page = (await _sign_in(client, link_for(container, world.town))).text
        # 清溪小学's 4 of 8 monthly talks read "*" (no longer "*/8"): beside the town's and 河口小学's figures its
        # total would give the 4 back (fix9j, the audit across units and periods).
        assert _cells(page, "清溪小学")[1:3] == ["*/11 (≥63%)", "*"]
        [monthly, filed] = _bars(page, "清溪小学")
        assert float(filed[0]) == 63 * 4.4 and 'class="band"' in filed[1], filed
        assert float(monthly[0]) == 0 and 'class="band"' not in monthly[1], monthly
        assert _labels(page, "清溪小学") == ["*", "≥63%"]
