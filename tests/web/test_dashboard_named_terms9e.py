"""fix9e: an official picks a past term by name on the dashboard, and a name of no term is said, not replaced."""

from __future__ import annotations

from html import unescape

from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401 — the fixture


async def test_an_official_names_last_term_and_is_told_of_a_school_year_that_is_none(site, clock) -> None:  # noqa: F811
    container, world = site
    async with _client(container) as client:
        await _sign_in(client, link_for(container, world.town))
        page = await client.get("/web/", params={"period": "上学期"})
        shown = unescape(page.text)
        assert page.status_code == 200 and "官员只能" not in shown and "无法识别" not in shown
        assert "2026-07-10" in shown  # the default spring term's last day: the term that ended last
        page = await client.get("/web/", params={"period": "2025-2027学年"})
        # fix9h: a town's official is told whose calendar her town's figures follow, never "本校".
        said = "清溪镇统计所依据的校历（清溪小学）中没有“2025-2027学年”所指的学期或学年。"
        assert page.status_code == 200 and said in unescape(page.text) and "本校" not in unescape(page.text)
        got = await client.get("/web/exports/download", params={"kind": "figures", "period": "2025-2027学年"})
        assert said in unescape(got.text)
        assert not got.headers.get("content-type", "").startswith("application/vnd")  # never this month's file
        got = await client.get("/web/exports/download", params={"kind": "figures", "period": "上学期"})
        assert got.headers.get("content-type", "").startswith("application/vnd")
