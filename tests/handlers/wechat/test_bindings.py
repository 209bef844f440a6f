"""Linked accounts over signed WeChat XML (issue 10, item 10): numbered replies, no buttons.

A grandfather who already uses the school's Official Account on one phone
binds a second phone with ``绑定 CODE``. The new phone is on probation: his first
phone is asked at once "是您本人新绑定的吗？1. 是我 2. 不是我" (a message addressed to
that account only), the principal is asked too; he answers ``1``. From the first
phone he sends ``我的``, picks the new account by its number and unlinks it —
by typing the word, since a bare number never removes an account. Pushes are
signed and encrypted as Tencent sends them and go through the real callback
endpoint and flow runner; the outbox is delivered by the real drain and
rendered as WeChat text.
"""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.services.delivery import drain_outbox
from bot.services.invites import create_invite
from tests.support.school import TG, add_account, chain_school
from tests.support.wechat_double import SignedChat, TextRecorder, account_ids

SETTINGS = Settings(database_url="sqlite://")
OLD, NEW = "oGrandpaOld", "oGrandpaNew"




async def test_a_second_wechat_phone_is_announced_on_the_first_and_removed_there_by_the_word_not_a_number(
        uow_factory, clock):
    school = chain_school(uow_factory, clock.now(), unbound=("grandpa",))
    with uow_factory() as uow:  # his first phone: on the Official Account for a week
        add_account(uow.session, school.grandpa, OLD, channel="wechat", bound_at=clock.now() - timedelta(days=7),
                    last_seen_at=clock.now() - timedelta(days=1))
        code = create_invite(uow, query="张爷爷", now=clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    chat = SignedChat(uow_factory, clock, SETTINGS)
    say = chat.say
    wechat, telegram = TextRecorder(), TextRecorder()

    async def drain() -> None:
        await drain_outbox(uow_factory, {"wechat": wechat, "telegram": telegram}, now=clock.now(), settings=SETTINGS)

    async with chat:
        clock.advance(timedelta(minutes=5))
        greeting = await say(NEW, f"绑定 {code}")
        assert greeting == (
            "欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。您原来绑定的账号：微信（绑定于2026年11月23日 09:00）。"
            "为保护孩子，在您于原账号上回复“是我”或学校电话核实并确认之前，本聊天收不到任何消息，也看不到孩子的信息。")
        await drain()
        # The first phone is asked — addressed to that phone, not to "his best account" (the new one).
        assert wechat.take(OLD) == [
            "您的身份于2026年11月30日 09:05绑定了一个新的微信账号。在您确认之前，它收不到任何消息，也看不到孩子的任何"
            "信息；通知仍发到这里。是您本人新绑定的吗？为避免误操作，请用文字回答，不能用数字：请输入“是我”或“不是我”。"
        ]  # the words to type are in the question: no "（请回复文字：…）" line repeating them
        assert wechat.take(NEW) == []
        [principal] = telegram.take(str(TG["admin"]))
        assert principal.startswith("张爷爷（委托监护人）于2026年11月30日 09:05绑定了一个新的微信账号。确认之前该账号"
                                    "收不到任何消息；已在其原账号上询问张爷爷本人。")
        # A number does not answer it (confirming gives the new phone the children's alerts, fix9ab) ...
        number = await say(OLD, "1")
        assert number.splitlines()[0] == "为避免误操作，这个问题不能用数字回答。请输入“是我”或“不是我”。"
        assert wechat.take(NEW) == [] and account_ids(uow_factory, school.grandpa) == [OLD, NEW]
        # ... the words do: it was him.
        assert await say(OLD, "是我") == "谢谢。新的微信账号已确认，现在可以使用了。"
        await drain()
        assert wechat.take(NEW) == ["本聊天已确认。发送 /help 查看可以做什么。"]

        # From the first phone: 我的 → 解除绑定 (typed as the words shown) → 2 (the new phone).
        details = await say(OLD, "我的")
        assert "· 微信（本聊天）：绑定于2026年11月23日 09:00，最近使用2026年11月30日 09:05" in details.splitlines()
        assert "· 微信：绑定于2026年11月30日 09:05，最近使用2026年11月30日 09:05" in details.splitlines()
        assert details.splitlines()[-2:] == ["1. 解除绑定", "（回复数字即可）"]
        which = await say(OLD, "解除绑定")
        assert which.splitlines()[1] == "1. 微信（本聊天）  2. 微信（绑定于2026年11月30日）  3. 取消"
        confirm = await say(OLD, "2")
        assert confirm.splitlines() == [
            "确定解除2026年11月30日 09:05绑定的微信账号吗？解除后该账号将不再收到您的任何消息。",
            "（请回复文字：“解除” / “保留”）",
        ]
        # A "1" (meant for anything) removes nothing: unlinking is typed as the word.
        number = await say(OLD, "1")
        assert number.splitlines()[0] == "为避免误操作，这个问题不能用数字回答。确认请输入“解除”，或点按钮。"
        assert account_ids(uow_factory, school.grandpa) == [OLD, NEW]
        done = await say(OLD, "解除")
        assert done == "已解除：微信账号（绑定于2026年11月30日 09:05）。"
        assert account_ids(uow_factory, school.grandpa) == [OLD]

        await drain()  # the removed phone is told how to bind again; it hears nothing else
        assert wechat.take(NEW) == [
            "本聊天已不再绑定张爷爷的身份（在其另一个账号上解除）。如需重新绑定，请向学校索取新的邀请码。"]
        assert wechat.take(OLD) == []
        assert (await say(NEW, "我的")).startswith("请先绑定账号")
