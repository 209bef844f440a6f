"""fix9j: the dashboard's 统计 download for each period gives an official no month's ``<5`` back (issue 9, item 8)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl

from bot.store.models import Incident
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture


async def test_the_town_officials_downloads_do_not_subtract_to_novembers_count(site) -> None:  # noqa: F811
    container, world = site
    with container.uow() as uow:
        days = [datetime(2026, 10, 5 + d, 2, tzinfo=UTC) for d in range(6)] + [datetime(2026, 11, 12, 2, tzinfo=UTC)]
        for at in days:  # October 6; November the county world's 1 and one more
            uow.session.add(Incident(child_id=world.xiaoer, reporter_id=world.wang, kind="injury", severity="minor",
                                     description="摔倒", reported_at=at, policy={}, status="closed",
                                     closed_at=at + timedelta(hours=1)))
        uow.commit()
    shown = {}
    async with _client(container) as client:
        await _sign_in(client, link_for(container, world.town))
        for period in ("2026-09", "2026-10", "2026-11", "学期"):
            got = await client.get("/web/exports/download", params={"kind": "figures", "period": period})
            assert got.headers["content-type"].startswith("application/vnd"), got.text
            rows = list(openpyxl.load_workbook(io.BytesIO(got.content)).worksheets[0].iter_rows(values_only=True))
            column = rows[0].index("突发事件")
            shown[period] = next(r[column] for r in rows if r[0] == "清溪镇")
    assert shown["2026-11"] == "<5" and shown["学期"] == 8
    # 8 − 0 − October would be November's 2: October (or September) is hidden beside it.
    assert not all(isinstance(shown[p], int) for p in ("2026-09", "2026-10")), shown
