"""Cost of the agenda's delivery seam: ``conversations.present`` per prompt with choices (prints figures).

Usage: python scripts/bench_agenda.py [DATABASE_URL] (default: a temporary SQLite file).

The outbox drain calls ``present`` once per prompt with choices, in its own
short transaction, before sending. This sends check-ins and alerts to 200
chats (three questions each, so queues build up) and prints the time per call.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.messages.prompt import Choice, Prompt
from bot.services import conversations
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Base
from bot.store.uow import UnitOfWorkFactory

CHATS = 200


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        uow_factory = UnitOfWorkFactory(make_session_factory(engine))
        now = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
        timings: list[float] = []
        queued = 0
        for round_no, make in enumerate((_checkin, _checkin, _alert)):
            for chat in range(CHATS):
                prompt = make(chat * 10 + round_no + 1)
                start = time.perf_counter()
                with uow_factory() as uow:
                    sent = conversations.present(uow, channel="wechat", account_id=f"bench-{chat}", prompt=prompt,
                                                 now=now + timedelta(seconds=round_no))
                    uow.commit()
                timings.append(time.perf_counter() - start)
                queued += not sent.choices
        engine.dispose()
    timings.sort()
    print(f"present(): {len(timings)} calls on {url.split(':')[0]}, {CHATS} chats, {queued} queued")
    median, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95)]
    print(f"  median {median * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {timings[-1] * 1000:.2f} ms")


def _checkin(checkin_id: int) -> Prompt:
    return Prompt("How is {child} this week?", {"child": "x"}, choices=tuple(
        Choice(label, f"ci:{checkin_id}:{code}") for label, code in (("All good", "g"), ("So-so", "s"),
                                                                     ("Needs help", "h"))), kind="checkin")


def _alert(incident_id: int) -> Prompt:
    return Prompt("Incident", choices=(Choice("Acknowledge", f"ack:{incident_id}"),), kind="incident_alert")


if __name__ == "__main__":
    main()
