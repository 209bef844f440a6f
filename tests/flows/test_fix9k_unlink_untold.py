"""An account WeChat no longer lets the school write to is not told it was unlinked, and nothing waits for ever (fix9k).

张爷爷's only chat is an old WeChat phone that last wrote five days ago: outside WeChat's 48-hour
customer-service window, and the school has no notice template (``GUANAI_WECHAT_TEMPLATE_ACCOUNT``). When the
principal 周校长 unlinks it, "学校管理员周校长解除了本聊天…" used to wait in the outbox for a message from a
chat that is no longer anyone's. Now nothing is queued for it and 周校长 is told, in her reply, that the phone
could not be told and to phone 张爷爷. The same when the binding expires unused, and for the warning the week
before: nothing is parked (a template carries them when one is set up).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.services import binding_expiry
from bot.store.models import ChatAccount, OutboxMessage
from tests.support.chat import Chat
from tests.support.school import TG, chain_school
from tests.support.wechat_fixtures import add_wechat

OLD = "oGrandpaOldPhone"
NOT_TOLD = ("张爷爷的微信账号未能收到通知：微信只允许学校在对方最后一次发消息后的48小时内给它发消息，"
            "而学校没有设置通知模板。请致电张爷爷：139 0000 0001。")


def _school(uow_factory, clock):
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    add_wechat(uow_factory, school.grandpa, openid=OLD, bound=clock.now() - timedelta(days=60),
               seen=clock.now() - timedelta(days=5))
    return school


def _to_old_phone(uow_factory) -> list[tuple[str, str]]:
    """``(key, message id)`` of the messages queued for the old phone."""
    with uow_factory() as uow:
        return [(r.key, r.payload["message_id"])
                for r in uow.session.scalars(select(OutboxMessage).where(OutboxMessage.to_account == OLD))]


def _unlink(uow_factory, clock, settings: Settings, which: str) -> str:
    principal = Chat(FlowRunner(uow_factory, clock, settings), str(TG["admin"]))
    principal.send("解绑 张爷爷")
    assert principal.text.startswith("张爷爷（委托监护人）绑定的账号：要解除哪一个？")
    principal.tap(which if which != "微信" else next(label for label, _ in principal.choices
                                                      if label.startswith("微信")))
    principal.tap("解除")
    return principal.text


@pytest.mark.parametrize("which", ["微信", "全部账号"])
def test_the_principal_is_told_to_phone_him_and_nothing_waits_for_the_old_phone(uow_factory, clock, which):
    school = _school(uow_factory, clock)
    done = _unlink(uow_factory, clock, Settings(database_url="sqlite://"), which)
    first = ("已解除张爷爷的微信账号（绑定于2026年10月1日 09:00）。" if which == "微信"
             else "已解除张爷爷的全部账号（1个）。")
    assert done.splitlines() == [first, NOT_TOLD]
    assert _to_old_phone(uow_factory) == []
    with uow_factory() as uow:
        assert uow.session.scalars(select(ChatAccount).where(ChatAccount.person_id == school.grandpa)).all() == []


def test_with_a_template_the_old_phone_is_told_and_the_principal_reads_no_phone_line(uow_factory, clock):
    _school(uow_factory, clock)
    settings = Settings(database_url="sqlite://", wechat_template_account="TPL-ACCOUNT")
    done = _unlink(uow_factory, clock, settings, "微信")
    assert done.splitlines() == ["已解除张爷爷的微信账号（绑定于2026年10月1日 09:00）。"]
    [(_key, notice)] = _to_old_phone(uow_factory)
    assert notice.startswith("School admin {admin} unlinked this chat")


def test_an_expired_binding_outside_the_window_parks_nothing_and_the_admins_are_asked_to_phone(uow_factory, clock):
    school = _school(uow_factory, clock)
    clock.advance(timedelta(days=30))
    settings = Settings(database_url="sqlite://", binding_expiry_days=30, binding_expiry_warning_days=7)
    with uow_factory() as uow:
        binding_expiry.expire_bindings(uow, now=clock.now(), settings=settings)
        uow.commit()
    with uow_factory() as uow:
        assert uow.session.scalars(select(ChatAccount).where(ChatAccount.person_id == school.grandpa)).all() == []
        to_admin = [r.payload["message_id"] for r in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.person_id == school.admin))]
    assert [key for key, _m in _to_old_phone(uow_factory) if key.endswith(":removed")] == []
    assert any(m.startswith("{name} ({roles}) no longer has any linked account") for m in to_admin)


def test_with_another_account_left_he_is_told_there_and_the_principal_need_not_phone(uow_factory, clock):
    school = _school(uow_factory, clock)
    with uow_factory() as uow:  # a second WeChat phone he uses now
        uow.session.add(ChatAccount(person_id=school.grandpa, channel="wechat", account_id="oGrandpaPhone",
                                    bound_at=clock.now() - timedelta(days=3), last_seen_at=clock.now()))
        uow.commit()
    done = _unlink(uow_factory, clock, Settings(database_url="sqlite://"), "微信（绑定于2026年10月1日）")
    assert done.splitlines() == ["已解除张爷爷的微信账号（绑定于2026年10月1日 09:00）。"]
    assert _to_old_phone(uow_factory) == []
    with uow_factory() as uow:
        told = [r.payload["message_id"] for r in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.person_id == school.grandpa))]
    assert told == ["School admin {admin} unlinked your {channel} account (linked {bound})."]


@pytest.mark.parametrize("template", ["", "TPL-ACCOUNT"])
def test_the_expiry_warning_is_not_parked_for_a_wechat_chat_it_cannot_reach(uow_factory, clock, template):
    _school(uow_factory, clock)
    clock.advance(timedelta(days=20))  # 25 days unused: the week-before warning is due
    settings = Settings(database_url="sqlite://", binding_expiry_days=30, binding_expiry_warning_days=7,
                        wechat_template_account=template)
    with uow_factory() as uow:
        binding_expiry.expire_bindings(uow, now=clock.now(), settings=settings)
        uow.commit()
    warned = [m for key, m in _to_old_phone(uow_factory) if ":warn:" in key]
    # Without a template nothing waits for ever; with one, the template carries it.
    assert len(warned) == (1 if template else 0)
    assert all(m.startswith("This chat has not been used since") for m in warned)
