"""An official reads a school's registration problems as a count, under 5 suppressed (issue 9, testers).

The education office read "石门小学：儿童档案中有2个问题": an exact count under 5, in chat and on the dashboard,
where every other figure an official sees says ``<5``.
"""

from __future__ import annotations

import re

from bot import bootstrap
from tests.support.chat import Chat
from tests.web.test_dashboard import _client, _sign_in, link_for, site  # noqa: F401


def _lines(page: str) -> list[str]:
    return re.findall(r"<li>([^<]+)</li>", page.split('id="problems"')[1].split("</ul>")[0])


async def test_an_official_reads_fewer_than_5_problems_never_the_number(site, clock):  # noqa: F811
    container, world = site
    chat = Chat(bootstrap.make_flows(container), f"tg-{world.bureau}")
    chat.send("/export 统计表")
    [shimen] = [line for line in chat.text.splitlines() if line.startswith("石门小学")]
    assert shimen.startswith("石门小学：儿童档案中有不到5个问题。")  # 2 problems: both parents away, no guardian
    assert "清溪小学：儿童档案中有7个问题" in chat.text  # 5 and over: the count
    async with _client(container) as client:
        await _sign_in(client, link_for(container, world.bureau))
        page = await client.get("/web/exports/download", params={"kind": "registration"})
    assert page.status_code == 409
    lines = _lines(page.text)
    assert any(line.startswith("石门小学：儿童档案中有不到5个问题") for line in lines)
    assert not any(re.search(r"有[1-4]个问题", line) for line in lines)
