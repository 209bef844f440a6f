"""fix9d: the dashboard's period at the calendar's limits, and an official's arbitrary range (issue 9, items 5, 8)."""

from __future__ import annotations

from html import unescape

from tests.web.test_dashboard import _client, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture


async def test_an_official_gets_whole_periods_and_no_error_at_the_calendars_limits(site) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        await _sign_in(client, link_for(container, world.town))
        for period in ("2026-01-01~9999-12-31", "0001-01-01~0001-01-02"):
            page = await client.get("/web/", params={"period": period})
            assert page.status_code == 200 and "无法识别该时间段" in unescape(page.text)
            got = await client.get("/web/exports/download", params={"kind": "figures", "period": period})
            assert got.status_code == 200
        page = await client.get("/web/", params={"period": "2026-11-01~2026-11-09"})
        assert page.status_code == 200 and "官员只能查看整段时间的统计" in unescape(page.text)
        assert "2026-11-01~2026-11-09" not in unescape(page.text).split("官员只能", 1)[1]
        got = await client.get("/web/exports/download", params={"kind": "figures", "period": "2026-11-01~2026-11-10"})
        assert "官员只能查看整段时间的统计" in unescape(got.text)
        assert not got.headers.get("content-type", "").startswith("application/vnd")
