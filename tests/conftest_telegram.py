"""Fixtures for the Telegram channel tests: the Bot API double and a fake flow engine.

Registered from ``tests/conftest.py`` (``pytest_plugins``). The fake engine
lives only here; once ``bot.flows.engine.FlowEngine`` exists, end-to-end
tests build the real one instead (``FlowEngine(uow_factory, clock, settings)``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from bot.flows.engine import Inbound, Reply
from bot.flows.prompt import Choice, Prompt, text
from tests.botapi_double import BotApiDouble


class FakeEngine:
    """A stand-in for FlowEngine: records every inbound and answers with ``respond``.

    By default it echoes: "You said: {said}" with the user's text as a
    user-text parameter and two buttons, so tests see escaping and keyboards.
    """

    def __init__(self, respond: Callable[[Inbound], Reply] | None = None) -> None:
        self.inbounds: list[Inbound] = []
        self.respond = respond or self.echo
        self._cond = threading.Condition()

    @staticmethod
    def echo(inbound: Inbound) -> Reply:
        said = inbound.text if inbound.text is not None else f"[{inbound.payload}]"
        return Reply(
            prompts=[
                Prompt(
                    "You said: {said}",
                    {"said": text(said)},
                    choices=(Choice("Yes", "f:1:yes"), Choice("No", "f:1:no")),
                )
            ],
            locale="en",
        )

    def handle(self, inbound: Inbound) -> Reply:
        with self._cond:
            self.inbounds.append(inbound)
            self._cond.notify_all()
        return self.respond(inbound)

    def wait_inbounds(self, n: int, timeout: float = 10.0) -> list[Inbound]:
        """The first ``n`` inbounds, waiting for them to arrive (AssertionError on time-out)."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.inbounds) >= n, timeout=timeout):
                raise AssertionError(f"expected {n} inbounds, got {self.inbounds!r}")
            return self.inbounds[:n]

    async def next_inbounds(self, n: int, timeout: float = 10.0) -> list[Inbound]:
        """:meth:`wait_inbounds` for async tests (waits in a worker thread, the loop keeps running)."""
        return await asyncio.to_thread(self.wait_inbounds, n, timeout)


@pytest.fixture
def botapi() -> Iterator[BotApiDouble]:
    """A running Bot API double on 127.0.0.1."""
    double = BotApiDouble().start()
    try:
        yield double
    finally:
        double.close()


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
async def polling_bot(botapi: BotApiDouble, fake_engine: FakeEngine) -> AsyncIterator[object]:
    """The real PTB Application in polling mode against the double, handling updates with the fake engine."""
    from bot.handlers.telegram import build_application, telegram_running

    application = build_application(botapi.token, fake_engine, api_url=botapi.api_url)
    async with telegram_running(application) as app:
        yield app
