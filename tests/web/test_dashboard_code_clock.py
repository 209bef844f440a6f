"""The demo's dashboard: authenticator codes follow the phone's real time, not the demo's moved clock.

A new-user trial ran ``guanai demo --web --at "2026-12-02 10:00"``, signed in as 王校长 and typed the code
from a real authenticator app: it was refused (``验证码不正确``), while a code computed for the demo's time
was accepted. The demo's container reads codes on a second clock (``bootstrap.Container.code_clock``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from bot import bootstrap
from bot.config import load_settings
from bot.domain.clock import ManualClock
from tests.support.figures_world import County, county
from tests.web.test_dashboard import BASE, _client, _csrf, _sign_in, enrol_code, link_for

PHONE_TIME = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
"""The real time on the principal's phone; the demo was started ``--at`` four days earlier."""


@pytest.fixture
async def demo_site(database_url: str, clock: ManualClock) -> AsyncIterator[tuple[bootstrap.Container, County]]:
    container = bootstrap.build(load_settings(database_url=database_url, web_base_url=BASE), clock=clock,
                                code_clock=ManualClock(PHONE_TIME))
    world = county(container.uow)
    yield container, world
    container.engine.dispose()


async def test_a_real_authenticator_code_signs_in_to_the_demo_at_another_time(demo_site, clock: ManualClock) -> None:
    container, world = demo_site
    assert PHONE_TIME - clock.now() > timedelta(days=3)
    async with _client(container) as client:
        page = await _sign_in(client, link_for(container, world.leader))
        page = await client.post("/web/totp", data={"csrf": _csrf(page.text), "code": enrol_code(container)})
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
        assert secret
        demo_time = await client.post("/web/totp", data={"csrf": _csrf(page.text),
                                                         "code": pyotp.TOTP(secret.group(1)).at(clock.now())})
        assert "验证码不正确" in demo_time.text  # the demo's moved clock is not what the app reads
        phone = await client.post("/web/totp", data={"csrf": _csrf(demo_time.text),
                                                     "code": pyotp.TOTP(secret.group(1)).at(PHONE_TIME)},
                                  follow_redirects=True)
        assert "清溪小学（学校）统计数据" in phone.text
