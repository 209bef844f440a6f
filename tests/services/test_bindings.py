"""The binding lifecycle's rules one by one (bot/services/bindings.py, binding_expiry.py).

The whole story, as people live it, is end to end in
``tests/handlers/telegram/test_bindings.py``; here the corners: a stale or
second "confirm" button, an admin of another school, a waiting account that
gets no messages, the daily expiry running once, and ids no row can have.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.enums import Priority
from bot.messages.prompt import Prompt
from bot.services import binding_expiry, binding_messages, bindings, identity, invites
from bot.services.bindings import Decision, RemovedBy
from bot.services.delivery import drain_outbox
from bot.services.outbox import enqueue
from bot.store.models import ChatAccount, Invite, OutboxMessage
from tests.support.fakes import FakeSender
from tests.support.school import ACCOUNTS, add_account, small_school

SETTINGS = Settings(database_url="sqlite://", confirm_staff_bindings=True, binding_expiry_days=30,
                    binding_expiry_warning_days=7)


def _bind_wang_second_phone(uow_factory, now, *, confirm_staff=True) -> invites.BindOutcome:
    with uow_factory() as uow:
        outcome = invites.bind(uow, channel="telegram", account_id="5555", code="GOODCODE", now=now,
                               confirm_staff=confirm_staff)
        uow.commit()
    return outcome


def _account(uow_factory, account_id: str) -> bindings.Binding:
    with uow_factory() as uow:
        row = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == account_id))
        assert row is not None
        return bindings.as_binding(row)


def _outbox(uow_factory) -> list[tuple[str, int, str | None, str]]:
    with uow_factory() as uow:
        return [(r.key.split(":", 3)[-1], r.person_id, r.to_account, r.payload["message_id"])
                for r in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_a_waiting_staff_account_is_nobody_and_its_old_button_or_a_second_answer_changes_nothing(
        uow_factory, clock) -> None:
    school = small_school(uow_factory, clock.now())
    outcome = _bind_wang_second_phone(uow_factory, clock.now())
    assert outcome.status is invites.BindStatus.BOUND and outcome.pending
    new = _account(uow_factory, "5555")
    with uow_factory() as uow:
        assert identity.actor_for(uow, channel="telegram", account_id="5555", now=clock.now()) is None
        assert bindings.is_pending(uow, channel="telegram", account_id="5555")
        admin = identity.actor_of(uow, school.admin)
        teacher = identity.actor_of(uow, school.li)
        # A class teacher cannot confirm; a button with another bound time is stale.
        assert bindings.decide(uow, binding_id=new.id, epoch=new.epoch, confirm=True, admin=teacher,
                               now=clock.now()).decision is Decision.NOT_ALLOWED
        assert bindings.decide(uow, binding_id=new.id, epoch=new.epoch + 1, confirm=True, admin=admin,
                               now=clock.now()).decision is Decision.GONE
        assert bindings.decide(uow, binding_id=2**31, epoch=new.epoch, confirm=True, admin=admin,
                               now=clock.now()).decision is Decision.GONE
        first = bindings.decide(uow, binding_id=new.id, epoch=new.epoch, confirm=True, admin=admin, now=clock.now())
        second = bindings.decide(uow, binding_id=new.id, epoch=new.epoch, confirm=False, admin=admin,
                                 now=clock.now())
        uow.commit()
    assert (first.decision, second.decision) == (Decision.CONFIRMED, Decision.GONE)
    with uow_factory() as uow:
        assert identity.actor_for(uow, channel="telegram", account_id="5555", now=clock.now()).person_id == school.wang


def test_an_admin_of_another_school_cannot_confirm(uow_factory, clock) -> None:
    small_school(uow_factory, clock.now())
    _bind_wang_second_phone(uow_factory, clock.now())
    new = _account(uow_factory, "5555")
    with uow_factory() as uow:
        stranger = identity.Actor(person_id=999, name="外校", school_id=999, roles=frozenset({"admin"}),
                                  locale="zh_Hans", timezone="Asia/Shanghai")
        result = bindings.decide(uow, binding_id=new.id, epoch=new.epoch, confirm=True, admin=stranger,
                                 now=clock.now())
    assert result.decision is Decision.NOT_ALLOWED


def test_the_waiting_account_gets_no_message_and_the_old_one_is_told(uow_factory, clock) -> None:
    school = small_school(uow_factory, clock.now())
    _bind_wang_second_phone(uow_factory, clock.now())
    # 王老师 already has a confirmed account: the new one is on probation. Her own phone is asked at once
    # (addressed to that account) whether it was her; the admin gets the school's question (phone, then answer).
    told = [(key, person, to, message_id) for key, person, to, message_id in _outbox(uow_factory)]
    assert [(p, to) for _k, p, to, m in told if m == binding_messages.PROBATION_ASK] == [
        (school.wang, ACCOUNTS["wang"])]
    assert [p for _k, p, to, m in told if m == binding_messages.PROBATION_TO_SCHOOL] == [school.admin]
    with uow_factory() as uow:
        enqueue(uow.session, key="test:hello", person_id=school.wang, prompt=Prompt("Hello"),
                priority=Priority.BULK, now=clock.now())
        uow.commit()
    sender = FakeSender()
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=SETTINGS))
    assert sender.to("5555") == []
    assert [s.prompt.message_id for s in sender.to(ACCOUNTS["wang"])] == [binding_messages.PROBATION_ASK, "Hello"]


def test_a_message_addressed_to_a_removed_account_reaches_it_and_never_falls_back(uow_factory, clock) -> None:
    school = small_school(uow_factory, clock.now())
    grandpa = _account(uow_factory, ACCOUNTS["grandpa"])
    with uow_factory() as uow:
        bindings.remove(uow, binding_id=grandpa.id, now=clock.now(), by=RemovedBy.SCHOOL)
        uow.commit()
    sender = FakeSender(blocked={ACCOUNTS["grandpa"]})
    stats = asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=SETTINGS))
    assert stats.failed == 1 and stats.forwarded == 0  # no phone task, nothing forwarded to admins
    with uow_factory() as uow:
        assert uow.session.scalars(select(ChatAccount).where(ChatAccount.person_id == school.grandpa)).all() == []
        # The invite that made the binding no longer points at a row that is gone.
        assert uow.session.scalars(select(Invite.used_by_account_id).where(
            Invite.used_by_account_id == grandpa.id)).all() == []
    sender = FakeSender()
    with uow_factory() as uow:
        bindings.tell_account(uow, grandpa, "test:again", Prompt("Hello"), Priority.BULK, clock.now())
        uow.commit()
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=SETTINGS))
    assert [s.prompt.message_id for s in sender.to(ACCOUNTS["grandpa"])] == ["Hello"]


def test_expiry_runs_once_a_day_warns_once_and_a_message_from_the_account_keeps_it(uow_factory, clock) -> None:
    small_school(uow_factory, clock.now())
    clock.advance(timedelta(days=23, hours=1))  # 7 days before 30
    with uow_factory() as uow:
        warned = binding_expiry.expire_bindings(uow, now=clock.now(), settings=SETTINGS)
        again = binding_expiry.expire_bindings(uow, now=clock.now(), settings=SETTINGS)
        uow.commit()
    assert (warned, again) == (5, 0)  # every account once; the second run the same day does nothing
    with uow_factory() as uow:  # 李老师 writes: his account is used again
        identity.actor_for(uow, channel="telegram", account_id=ACCOUNTS["li"], now=clock.now())
        uow.commit()
    clock.advance(timedelta(days=1))
    with uow_factory() as uow:
        assert binding_expiry.expire_bindings(uow, now=clock.now(), settings=SETTINGS) == 0  # warned already
        uow.commit()
    clock.advance(timedelta(days=6))
    with uow_factory() as uow:
        assert binding_expiry.expire_bindings(uow, now=clock.now(), settings=SETTINGS) == 4
        uow.commit()
    with uow_factory() as uow:
        left = uow.session.scalars(select(ChatAccount.account_id)).all()
    assert left == [ACCOUNTS["li"]]
    warnings = [k for k, _p, _to, m in _outbox(uow_factory) if m.startswith("This chat has not been used")]
    assert len(warnings) == 5


def test_expiry_is_off_with_zero_days(uow_factory, clock) -> None:
    small_school(uow_factory, clock.now())
    clock.advance(timedelta(days=4000))
    off = Settings(database_url="sqlite://", binding_expiry_days=0)
    with uow_factory() as uow:
        assert binding_expiry.expire_bindings(uow, now=clock.now(), settings=off) == 0
        assert len(uow.session.scalars(select(ChatAccount)).all()) == 5


def test_ids_no_row_can_have_find_nothing(uow_factory, clock) -> None:
    small_school(uow_factory, clock.now())
    with uow_factory() as uow:
        assert bindings.binding(uow, 0) is None
        assert bindings.binding(uow, 2**31) is None
        assert bindings.binding(uow, 2**63) is None


def test_an_expired_account_of_someone_still_reachable_tells_the_account_left_and_not_the_admins(
        uow_factory, clock) -> None:
    school = small_school(uow_factory, clock.now())
    with uow_factory() as uow:  # 张爷爷's second phone, bound ten days later and used since
        add_account(uow.session, school.grandpa, "2002", bound_at=clock.now() + timedelta(days=10))
        uow.commit()
    clock.advance(timedelta(days=20))
    with uow_factory() as uow:  # he writes from it; so does the principal from hers
        for account in ("2002", ACCOUNTS["admin"]):
            identity.actor_for(uow, channel="telegram", account_id=account, now=clock.now())
        uow.commit()
    clock.advance(timedelta(days=10, hours=1))  # his first phone (and the teachers' only ones): 30 days unused
    with uow_factory() as uow:
        binding_expiry.expire_bindings(uow, now=clock.now(), settings=SETTINGS)
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.scalars(select(ChatAccount.account_id).where(
            ChatAccount.person_id == school.grandpa)).all() == ["2002"]
    sender = FakeSender()
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=SETTINGS))
    # The phone that expired is told how to bind again; the one he still uses is told which one went.
    assert [s.prompt.message_id for s in sender.to(ACCOUNTS["grandpa"])] == [binding_messages.EXPIRED_TO_ACCOUNT]
    assert [s.prompt.message_id for s in sender.to("2002")] == [binding_messages.EXPIRED_TO_PERSON]
    # He can still be reached: the principal is not asked to phone him — only the teachers left with none.
    told = [s.prompt.params["name"] for s in sender.to(ACCOUNTS["admin"])
            if s.prompt.message_id == binding_messages.EXPIRED_TO_ADMINS]
    assert sorted(t["v"] for t in told) == sorted(["李老师", "王老师", "陈老师"])
