"""Test doubles of the house's own parts: a recording sender and stand-ins for the flow runner."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.enums import Channel
from bot.flows.runner import Inbound, Reply
from bot.messages.prompt import Choice, Prompt, text
from bot.services.ports import PermanentSendError, TransientSendError


@dataclass
class Sent:
    """One prompt a :class:`FakeSender` was asked to send."""

    account_id: str
    prompt: Prompt
    locale: str
    timezone: str


@dataclass
class FakeSender:
    """Records sends; ``fail[account_id]`` is a list of exceptions raised on the next sends to that account."""

    channel: str = Channel.TELEGRAM.value
    sent: list[Sent] = field(default_factory=list)
    fail: dict[str, list[Exception]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        if account_id in self.blocked:
            raise PermanentSendError("Forbidden: bot was blocked by the user")
        queue = self.fail.get(account_id)
        if queue:
            raise queue.pop(0)
        self.sent.append(Sent(account_id, prompt, locale, timezone))

    def to(self, account_id: str) -> list[Sent]:
        return [s for s in self.sent if s.account_id == account_id]


def transient(retry_after: float | None = None) -> TransientSendError:
    return TransientSendError("network", retry_after=retry_after)


def echo_reply(inbound: Inbound) -> Reply:
    """"You said: {said}" with the user's text as a user-text parameter and two buttons (escaping, keyboards)."""
    said = inbound.text if inbound.text is not None else f"[{inbound.payload}]"
    return Reply(
        prompts=[Prompt("You said: {said}", {"said": text(said)},
                        choices=(Choice("Yes", "f:1:yes"), Choice("No", "f:1:no")))],
        locale="en",
    )


class FakeFlows:
    """A stand-in for the flow runner: records every inbound and answers with ``respond`` (default: echo)."""

    def __init__(self, respond: Callable[[Inbound], Reply] | None = None) -> None:
        self.inbounds: list[Inbound] = []
        self.respond = respond or echo_reply
        self._cond = threading.Condition()

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

    async def next_inbounds(self, n: int, within: float = 10.0) -> list[Inbound]:
        """:meth:`wait_inbounds` for async tests (waits in a worker thread, the loop keeps running)."""
        return await asyncio.to_thread(self.wait_inbounds, n, within)


class GatedFlows:
    """A stand-in for the flow runner that records inbounds; ``gate`` (set by default) holds it to simulate slowness."""

    def __init__(self) -> None:
        self.inbounds: list[Inbound] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def handle(self, inbound: Inbound) -> Reply:
        self.inbounds.append(inbound)
        self.entered.set()
        assert self.gate.wait(30), "test gate never opened"
        return Reply([Prompt("You said: {said}", {"said": text(inbound.text or "")},
                             choices=(Choice("Yes", "f:1:yes"), Choice("No", "f:1:no")))], locale="en")


class NumberedSender(FakeSender):
    """A channel without buttons (WeChat, console): the drain numbers the choices before sending."""

    has_buttons = False
