"""Enqueueing is idempotent by key, also when two transactions race on PostgreSQL."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import func, select, text

from bot.domain.enums import Priority
from bot.messages.prompt import Prompt
from bot.services.outbox import enqueue
from bot.store.models import OutboxMessage, Task
from tests.support.school import tiny_school


def test_same_key_twice_gives_the_same_row(uow_factory, clock) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        first = enqueue(uow.session, key="k", person_id=ids.guardian, prompt=Prompt("a"),
                        priority=Priority.BULK, now=clock.now())
        second = enqueue(uow.session, key="k", person_id=ids.guardian, prompt=Prompt("b"),
                         priority=Priority.URGENT, now=clock.now())
        uow.commit()
        assert first.id == second.id and second.payload["message_id"] == "a"


@pytest.mark.skipif(not os.environ.get("GUANAI_TEST_POSTGRES_URL"), reason="needs PostgreSQL")
def test_concurrent_enqueue_of_one_key_keeps_both_transactions(uow_factory, database_url, clock) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race needs two writers")
    ids = tiny_school(uow_factory)
    now = clock.now()
    result: dict[str, int] = {}

    def second_writer() -> None:
        with uow_factory() as uow:
            uow.session.add(Task(key="other-work", kind="help_request", assignee_id=ids.helper, created_at=now))
            row = enqueue(uow.session, key="race", person_id=ids.guardian, prompt=Prompt("b"),
                          priority=Priority.BULK, now=now)
            result["id"] = row.id
            uow.commit()

    with uow_factory() as first:
        mine = enqueue(first.session, key="race", person_id=ids.guardian, prompt=Prompt("a"),
                       priority=Priority.BULK, now=now)
        thread = threading.Thread(target=second_writer)
        thread.start()
        # Wait until the second writer is blocked on our uncommitted key (a lock wait), then commit.
        with uow_factory() as probe:
            for _ in range(2000):
                waiting = probe.session.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"))
                probe.session.rollback()
                if waiting:
                    break
                time.sleep(0.005)
        first.commit()
        thread.join()
    assert result["id"] == mine.id
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert uow.session.scalar(select(Task.key)) == "other-work"  # the loser's own work survived


def test_a_worker_never_takes_a_persons_next_row_past_one_another_worker_is_claiming(
    uow_factory, database_url, clock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race needs two writers")
    from datetime import timedelta

    from bot.config import Settings
    from bot.services.outbox_claims import claim

    ids = tiny_school(uow_factory)
    now = clock.now()
    with uow_factory() as uow:  # siblings' check-ins to one grandmother, and a note to the helper teacher
        first = enqueue(uow.session, key="weekly:1", person_id=ids.guardian, prompt=Prompt("Weekly 1"),
                        priority=Priority.BULK, now=now - timedelta(seconds=2))
        enqueue(uow.session, key="weekly:2", person_id=ids.guardian, prompt=Prompt("Weekly 2"),
                priority=Priority.BULK, now=now - timedelta(seconds=1))
        other = enqueue(uow.session, key="note", person_id=ids.helper, prompt=Prompt("Note"),
                        priority=Priority.BULK, now=now)
        uow.commit()
        first_id, other_id = first.id, other.id
    settings = Settings(database_url="sqlite://", quiet_start="00:00", quiet_end="00:00")
    with uow_factory() as worker_b:  # the other worker's claim holds "Weekly 1" (FOR UPDATE), not yet committed
        worker_b.session.execute(select(OutboxMessage.id).where(OutboxMessage.id == first_id).with_for_update())
        claimed, _ = claim(uow_factory, now=now, settings=settings, limit=4, lease=timedelta(seconds=30),
                           one_per_person=True)
        worker_b.session.rollback()
    assert [row.row_id for row in claimed] == [other_id]  # not "Weekly 2" before "Weekly 1"
