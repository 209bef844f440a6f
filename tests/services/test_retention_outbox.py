"""Erasing a child cancels every message about them not sent yet (issue 10, item 4), not only letter deliveries.

Check-in questions and reminders, a grandparent's message relayed to the
class teacher: the outbox rows name the child (``outbox.child_id``), and
``guanai erase`` cancels them; messages about another child still go.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import bot.bootstrap
from bot.bootstrap import Container, build
from bot.cli import main
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.enums import RelationKind
from bot.services import checkins, family_messages
from bot.store.models import ChildRelation, OutboxMessage
from tests.support.school import chain_school

FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # Friday 18:00 school time: the check-in moment


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    c = build(Settings(database_url=database_url), clock=ManualClock(FRIDAY))
    yield c
    c.engine.dispose()


def _pending(c: Container) -> dict[str, int | None]:
    """Unsent outbox rows: key → the child they are about."""
    with c.uow() as uow:
        return dict(uow.session.execute(select(OutboxMessage.key, OutboxMessage.child_id).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
            OutboxMessage.cancelled_at.is_(None))).all())


def test_erasing_a_child_cancels_the_check_ins_reminders_and_relayed_messages_about_them(
    container, database_url, monkeypatch, capsys
) -> None:
    c = container
    school = chain_school(c.uow, c.clock.now())
    with c.uow() as uow:  # 张爷爷 looks after 李四 too: his check-in about 李四 must still go
        uow.session.add(ChildRelation(child_id=school.li_si, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=school.grandpa))
        uow.commit()
    with c.uow() as uow:
        assert checkins.plan_checkins(uow, now=c.clock.now(), settings=c.settings) == 2
        uow.commit()
    c.clock.advance(timedelta(days=2, hours=1))
    with c.uow() as uow:
        assert checkins.remind_checkins(uow, now=c.clock.now(), settings=c.settings) == 2
        assert family_messages.pass_on(uow, from_person_id=school.grandpa, child_id=school.zhang_san,
                                       body="孩子这几天咳嗽，麻烦老师多照看", now=c.clock.now()) is not None
        uow.commit()
    before = _pending(c)
    about_zhang = {k for k, child in before.items() if child == school.zhang_san}
    assert len(about_zhang) == 3, before  # the check-in question, its reminder, the relayed message
    assert {k for k, child in before.items() if child == school.li_si}

    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: c.clock)
    assert main(["erase", "E001", "--yes"]) == 0
    after = _pending(c)
    assert [k for k in after if k in about_zhang] == []
    assert {k for k, child in after.items() if child == school.li_si} == \
        {k for k, child in before.items() if child == school.li_si}


def test_after_erasing_the_teacher_sees_neither_the_familys_message_nor_her_draft_about_the_child(
    container, database_url, monkeypatch
) -> None:
    """The attacker's case: a grandparent's message and a half-written talk note survived ``guanai erase``."""
    from bot.flows.runner import FlowRunner
    from bot.store.models import Conversation, FamilyMessage
    from tests.support.chat import Chat
    from tests.support.school import TG

    c = container
    school = chain_school(c.uow, c.clock.now())
    flows = FlowRunner(c.uow, c.clock, c.settings)
    grandpa, teacher = Chat(flows, str(TG["grandpa"])), Chat(flows, str(TG["li"]))
    grandpa.send("孩子发烧两天了，我腿脚不好")
    assert "老师" in grandpa.text  # told who will read it
    teacher.send("谈心 李四")  # another child's talk in progress stays
    teacher.send("取消")
    teacher.send("谈心 张三")
    for _ in range(4):
        if "备注" in teacher.text or "记录" in teacher.text:
            break
        teacher.send("1")
    teacher.send("这是草稿备注")
    with c.uow() as uow:
        assert uow.session.scalar(select(FamilyMessage.body).where(FamilyMessage.child_id == school.zhang_san))

    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: c.clock)
    assert main(["erase", "E001", "--yes"]) == 0

    with c.uow() as uow:
        assert uow.session.scalars(select(FamilyMessage.body).where(
            FamilyMessage.child_id == school.zhang_san)).all() == [None]
        drafts = [row.data for row in uow.session.scalars(select(Conversation))]
        copies = [row.payload for row in uow.session.scalars(select(OutboxMessage))]
    assert copies and "发烧" not in repr(copies) and "张三" not in repr(copies)  # sent or not: no copy kept
    assert "这是草稿备注" not in repr(drafts) and "张三" not in repr(drafts)
    teacher.send("/due")
    assert "发烧" not in teacher.text and "张三" not in teacher.text and "草稿" not in teacher.text
    # His only grandchild was erased, so he was erased with her (no other child, no staff role): his binding
    # is gone, and his chat is an unknown one asking to bind, not "didn't understand".
    grandpa.send("孙子还是发烧")
    assert grandpa.text == "请先绑定账号：向学校索取邀请码，然后发送 /start 加邀请码（或“绑定 邀请码”）。"
