"""The outbox sender: woken on commit, urgent lane, deadline on a hung call, short leases, repeats marked.

The sender runs as a task on the test's loop, with the real claims and
delivery on both databases; the platform is a recording sender whose calls can
be made slow or to hang. Time for the rows is the injected manual clock; the
sender's own sleeps are real, so each test waits for what a person would see
(bounded waits, never a fixed sleep that decides the outcome).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from bot.config import Settings
from bot.domain.enums import Priority, Role
from bot.messages.prompt import Prompt, text
from bot.scheduler.outbox_sender import OutboxSender
from bot.services import outbox_claims
from bot.services.delivery_messages import REPEAT_NOTE
from bot.services.outbox import enqueue
from bot.store.models import OutboxMessage
from tests.support.school import SchoolBuilder, tiny_school

SETTINGS = Settings(database_url="sqlite://", send_concurrency=3, urgent_reserved=1, send_deadline_seconds=0.5,
                    claim_lease_seconds=30, recipient_gap_seconds=0)  # a manual clock: no gap to wait out


@dataclass
class SlowSender:
    """Records sends in order; ``delay[account]`` seconds per call, ``hang`` accounts never answer."""

    channel: str = "telegram"
    has_buttons: bool = True
    delay: dict[str, float] = field(default_factory=dict)
    hang: set[str] = field(default_factory=set)
    sent: list[tuple[str, Prompt]] = field(default_factory=list)
    started: list[str] = field(default_factory=list)

    async def send(self, account_id: str, prompt: Prompt, locale: str, timezone: str) -> None:
        self.started.append(account_id)
        if account_id in self.hang:
            await asyncio.Event().wait()  # a reply that never ends (a byte every 2 s, forever)
        await asyncio.sleep(self.delay.get(account_id, 0.0))
        self.sent.append((account_id, prompt))

    def said(self) -> list[str]:
        return [p.params["who"]["v"] for _, p in self.sent]


def _enqueue(uow_factory, person_id: int, key: str, priority: Priority, now, **kw) -> int:
    with uow_factory() as uow:
        row = enqueue(uow.session, key=key, person_id=person_id, priority=priority, now=now,
                      prompt=Prompt("Hello {who}", {"who": text(key)}), **kw)
        uow.commit()
        return row.id


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 — the state is changed by the sender and the database
            await asyncio.sleep(0.01)


@asynccontextmanager
async def running(uow_factory, sender: SlowSender, clock, settings: Settings = SETTINGS) -> AsyncIterator[OutboxSender]:
    worker = OutboxSender(uow_factory, {sender.channel: sender}, clock, settings,
                          subscribe=uow_factory.outbox_committed.subscribe)
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        worker.stop()
        await asyncio.wait_for(task, 10)


async def test_a_committed_alert_goes_out_at_once_without_a_tick(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    platform = SlowSender()
    async with running(uow_factory, platform, clock):
        await asyncio.sleep(0.1)  # the sender has looked, found nothing, and sleeps (a minute at most)
        _enqueue(uow_factory, ids.guardian, "alert", Priority.URGENT, clock.now())
        await _until(lambda: platform.said() == ["alert"], within=2.0)  # the commit woke it


async def test_an_alert_overtakes_a_bulk_backlog(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    platform = SlowSender(delay={f"tg-{ids.helper}": 0.3, f"tg-{ids.volunteer}": 0.3, f"tg-{ids.teacher}": 0.3})
    now = clock.now()
    for n in range(4):  # two slots for bulk: each recipient's rows go one after the other
        for who in (ids.helper, ids.volunteer, ids.teacher):
            _enqueue(uow_factory, who, f"bulk-{who}-{n}", Priority.BULK, now - timedelta(minutes=1))
    async with running(uow_factory, platform, clock):
        await _until(lambda: len(platform.started) >= 2)
        _enqueue(uow_factory, ids.guardian, "alert", Priority.URGENT, now)
        await _until(lambda: "alert" in platform.said(), within=2.0)
        # The reserved slot took it at once: at most the two bulk calls in flight finished first.
        assert platform.said().index("alert") <= 2
        await _until(lambda: len(platform.sent) == 13, within=10.0)


async def test_one_recipient_gets_their_messages_one_at_a_time_in_order(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    platform = SlowSender(delay={f"tg-{ids.guardian}": 0.05})
    now = clock.now()
    for n in range(5):  # siblings' check-ins and notices to one grandmother
        _enqueue(uow_factory, ids.guardian, f"m{n}", Priority.BULK, now - timedelta(seconds=10 - n))
    async with running(uow_factory, platform, clock) as worker:
        await _until(lambda: worker.stats.sent == 5)
        assert platform.said() == ["m0", "m1", "m2", "m3", "m4"]


async def test_a_hung_call_is_abandoned_and_does_not_hold_up_the_others(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    platform = SlowSender(hang={f"tg-{ids.guardian}"})
    now = clock.now()
    stuck = _enqueue(uow_factory, ids.guardian, "stuck", Priority.URGENT, now)
    async with running(uow_factory, platform, clock):
        for who in (ids.teacher, ids.helper, ids.volunteer):
            _enqueue(uow_factory, who, f"alert-{who}", Priority.URGENT, now)
        await _until(lambda: len(platform.sent) == 3, within=3.0)
        # The hung call hit its deadline and was put back for a retry, like a network error.
        await _until(lambda: _row(uow_factory, stuck).attempts == 1, within=3.0)
    row = _row(uow_factory, stuck)
    assert row.sent_at is None and row.claimed_until is None and row.not_before > now
    assert "TransientSendError" in (row.last_error or "")


def _row(uow_factory, row_id: int) -> OutboxMessage:
    with uow_factory() as uow:
        row = uow.session.get(OutboxMessage, row_id)
        uow.session.expunge(row)
        return row


async def test_after_a_crash_unattempted_rows_go_at_once_and_the_one_in_flight_is_marked_as_a_repeat(
    uow_factory, clock
) -> None:
    ids = tiny_school(uow_factory)
    now = clock.now()
    in_flight = _enqueue(uow_factory, ids.guardian, "in-flight", Priority.URGENT, now)
    waiting = _enqueue(uow_factory, ids.teacher, "waiting", Priority.URGENT, now)
    with uow_factory() as uow:  # a worker claimed the first row, started sending it and was killed
        row = uow.session.get(OutboxMessage, in_flight)
        row.claimed_until, row.claims = now + timedelta(seconds=SETTINGS.claim_lease_seconds), 1
        uow.commit()
    platform = SlowSender()
    async with running(uow_factory, platform, clock) as worker:
        await _until(lambda: platform.said() == ["waiting"])  # never held by the dead worker's lease
        await _until(lambda: _row(uow_factory, waiting).sent_at is not None)  # recorded before the lease runs out
        clock.advance(timedelta(seconds=SETTINGS.claim_lease_seconds))
        worker.wake()
        await _until(lambda: len(platform.sent) == 2)
    account, prompt = platform.sent[1]
    assert account == f"tg-{ids.guardian}" and prompt.lines[-1] == (REPEAT_NOTE, {})
    assert platform.sent[0][1].lines == ()
    assert _row(uow_factory, waiting).claims == 1 and _row(uow_factory, in_flight).claims == 2


async def test_a_row_due_later_is_sent_when_due(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    platform = SlowSender()
    now = clock.now()
    _enqueue(uow_factory, ids.guardian, "later", Priority.URGENT, now, not_before=now + timedelta(minutes=30))
    async with running(uow_factory, platform, clock) as worker:
        await asyncio.sleep(0.2)
        assert platform.sent == []  # never early
        clock.advance(timedelta(minutes=30))
        worker.wake()  # a real clock needs no nudge: the sender sleeps until the row's not_before
        await _until(lambda: platform.said() == ["later"])


async def test_a_bulk_send_claims_its_rows_a_few_at_a_time_not_one_claim_per_message(
    uow_factory, clock, monkeypatch
) -> None:
    with uow_factory() as uow:  # a weekly message to 60 guardians, each in a chat of their own
        b = SchoolBuilder(uow.session)
        people = [b.person(f"监护人{i}", Role.GUARDIAN) for i in range(60)]
        for who in people:
            b.account(who, f"tg-{who}")
        uow.commit()
    now = clock.now()
    for who in people:
        _enqueue(uow_factory, who, f"weekly-{who}", Priority.BULK, now - timedelta(minutes=1))
    claims: list[int] = []
    claim = outbox_claims.claim

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 — the real claim, counted
        claims.append(kwargs["limit"])
        return claim(*args, **kwargs)

    monkeypatch.setattr(outbox_claims, "claim", counted)
    # Calls answer after 20–150 ms, so sends end one by one, as over a real network.
    platform = SlowSender(delay={f"tg-{who}": 0.02 + 0.01 * (i * 7 % 14) for i, who in enumerate(people)})
    settings = SETTINGS.model_copy(update={"send_concurrency": 16, "urgent_reserved": 2})
    async with running(uow_factory, platform, clock, settings) as worker:
        await _until(lambda: worker.stats.sent == 60, within=10.0)
    # Each claim is a transaction costing more than a send: a freed slot waits a little for others.
    assert len(claims) <= 30, claims
