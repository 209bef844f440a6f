"""Fixtures for the Telegram channel tests: the Bot API double and a polling bot on the fake flows.

Registered from ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows


@pytest.fixture
def botapi() -> Iterator[BotApiDouble]:
    """A running Bot API double on 127.0.0.1."""
    double = BotApiDouble().start()
    try:
        yield double
    finally:
        double.close()


@pytest.fixture
def fake_flows() -> FakeFlows:
    return FakeFlows()


@pytest.fixture
async def polling_bot(botapi: BotApiDouble, fake_flows: FakeFlows) -> AsyncIterator[object]:
    """The real PTB Application in polling mode against the double, handling updates with the fake flows."""
    from bot.handlers.telegram import build_application, telegram_running

    application = build_application(botapi.token, fake_flows, api_url=botapi.api_url)
    async with telegram_running(application) as app:
        yield app
