"""Probation corners (bot/services/binding_probation.py): mainland mode, a blocked first account at night.

The stories as people live them are end to end in ``tests/handlers/telegram/test_bindings.py`` and
``tests/handlers/wechat/test_bindings_probation.py``.
"""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

from bot.config import Settings
from bot.domain.enums import Priority
from bot.handlers.telegram import mainland
from bot.messages.prompt import Prompt
from bot.services import binding_messages, identity, invites
from bot.services.delivery import drain_outbox
from bot.services.outbox import enqueue
from tests.support.fakes import FakeSender
from tests.support.school import ACCOUNTS, add_account, small_school


def _redeem(uow_factory, now, channel: str, account: str) -> invites.BindOutcome:
    with uow_factory() as uow:
        code = invites.create_invite(uow, query="张爷爷", now=now, ttl=timedelta(hours=72)).code
        outcome = invites.bind(uow, channel=channel, account_id=account, code=code, now=now)
        uow.commit()
    return outcome


class PointerSender(FakeSender):
    """Telegram in mainland mode: only a pointer to the WeChat account is sent."""

    async def send(self, account_id, prompt, locale, timezone) -> None:
        await super().send(account_id, mainland.pointer(prompt, reply=False), locale, timezone)


def test_in_mainland_mode_an_alert_never_goes_to_a_wechat_account_on_probation(uow_factory, clock) -> None:
    settings = Settings(database_url="sqlite://", telegram_mainland_mode=True, quiet_start=time(0, 0),
                        quiet_end=time(0, 0))
    school = small_school(uow_factory, clock.now() - timedelta(days=1))
    assert _redeem(uow_factory, clock.now(), "wechat", "oAttacker").probation
    clock.advance(timedelta(hours=1))
    with uow_factory() as uow:  # grandpa writes from his Telegram; then an alert about his grandchild
        identity.actor_for(uow, channel="telegram", account_id=ACCOUNTS["grandpa"], now=clock.now())
        enqueue(uow.session, key="test:alert", person_id=school.grandpa, prompt=Prompt("INCIDENT ALERT"),
                priority=Priority.URGENT, now=clock.now())
        uow.commit()
    telegram, wechat = PointerSender(), FakeSender(channel="wechat")
    asyncio.run(drain_outbox(uow_factory, {"telegram": telegram, "wechat": wechat}, now=clock.now(),
                             settings=settings))
    assert wechat.sent == []  # WeChat would come first in mainland mode: not a WeChat account on probation
    assert len(telegram.to(ACCOUNTS["grandpa"])) == 2  # the question "was it you?" and the alert, as pointers


def test_a_blocked_first_account_at_night_makes_the_school_question_urgent(uow_factory, clock) -> None:
    settings = Settings(database_url="sqlite://")  # quiet hours 21:00-07:00
    school = small_school(uow_factory, clock.now() - timedelta(days=1))
    clock.advance(timedelta(hours=13, minutes=30))  # 22:30 school time
    _redeem(uow_factory, clock.now(), "telegram", "9999")
    sender = FakeSender(blocked={ACCOUNTS["grandpa"]})
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=settings))
    assert sender.sent == []  # the school's question waits for the morning while his phone can be asked
    clock.advance(timedelta(seconds=5))  # the sender's next round
    asyncio.run(drain_outbox(uow_factory, {"telegram": sender}, now=clock.now(), settings=settings))
    # The question to his phone failed (he blocked the bot): his class teacher and the principal are asked now.
    asked = {s.account_id: s.prompt.message_id for s in sender.sent}
    assert asked[ACCOUNTS["li"]] == binding_messages.PROBATION_UNTOLD
    assert asked[ACCOUNTS["admin"]] == binding_messages.PROBATION_UNTOLD
    assert "9999" not in asked
    assert school.grandpa


def test_in_mainland_mode_a_telegram_only_guardian_cannot_be_asked_so_the_school_is_asked_at_once(
        uow_factory, clock) -> None:
    """His Telegram would get only "read it in the school's WeChat account", where the new account waits."""
    settings = Settings(database_url="sqlite://", telegram_mainland_mode=True)  # quiet hours 21:00-07:00
    school = small_school(uow_factory, clock.now() - timedelta(days=1))
    with uow_factory() as uow:  # the staff read the bot in WeCom (Telegram carries only pointers)
        for who in ("li", "admin"):
            add_account(uow.session, getattr(school, who), f"wecom-{who}", channel="wecom")
        uow.commit()
    clock.advance(timedelta(hours=13, minutes=30))  # 22:30 school time
    with uow_factory() as uow:
        code = invites.create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        assert invites.bind(uow, channel="wechat", account_id="oNewPhone", code=code, now=clock.now(),
                            mainland=True).probation
        uow.commit()
    telegram, wecom = PointerSender(), FakeSender(channel="wecom")
    asyncio.run(drain_outbox(uow_factory, {"telegram": telegram, "wecom": wecom}, now=clock.now(),
                             settings=settings))
    # Not held until the morning: his class teacher and the principal are asked to phone him now.
    asked = {s.account_id: s.prompt.message_id for s in wecom.sent}
    assert asked == {"wecom-li": binding_messages.PROBATION_UNTOLD, "wecom-admin": binding_messages.PROBATION_UNTOLD}
