"""The bot's HTTP client counts a paced call when its body goes to the socket (issue 7 item 3).

Telegram stamps a message once its request has arrived; on a busy loop the
request's headers and its body go out a loop turn or more apart, so the call
is counted at the body, the last write before the platform's stamp.
"""

from __future__ import annotations

from bot.handlers.telegram.limiter import _tracer
from bot.services.pacing import Pacer


class CountingPacer(Pacer):
    def __init__(self) -> None:
        super().__init__()
        self.counted_at: list[str] = []
        self.event = ""

    async def request_written(self) -> None:
        self.counted_at.append(self.event)


async def test_a_call_is_counted_when_its_body_is_written_not_when_its_headers_start() -> None:
    pacer = CountingPacer()
    passed_on: list[str] = []

    async def other(event: str, info: dict[str, object]) -> None:
        passed_on.append(event)

    trace = _tracer(pacer, other)
    events = ["connection.connect_tcp.started", "http11.send_request_headers.started",
              "http11.send_request_headers.complete", "http11.send_request_body.started",
              "http11.send_request_body.complete", "http11.receive_response_headers.started"]
    for event in events:
        pacer.event = event
        await trace(event, {})
    assert pacer.counted_at == ["http11.send_request_body.started"]
    assert passed_on == events  # a trace of the caller's own still sees every event
