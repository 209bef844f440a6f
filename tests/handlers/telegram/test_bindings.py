"""Binding lifecycle (issue 10, item 10): no account ever silently takes over a person's messages.

End to end on Telegram (the real python-telegram-bot against the Bot API
double, the real flow engine, the scheduler tick and the outbox drain), plus
the ``guanai bindings`` / ``guanai unbind`` commands. Written as the people
would act: a grandfather binds a second phone, looks at ``/me`` and removes an
account; the principal removes a binding from the chat or the terminal; a
teacher waits for the school to confirm her new account; a phone nobody uses
any more is unlinked after the configured time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import bot.bootstrap
from bot.cli import main
from bot.domain.clock import ManualClock
from bot.domain.enums import Priority, RelationKind, Role
from bot.messages.prompt import Prompt
from bot.services.invites import create_invite
from bot.services.outbox import enqueue
from bot.store.models import ChatAccount, ChildRelation, Person, PersonRole
from tests.support.botapi_double import BotApiDouble, SentMessage
from tests.support.e2e import E2EBot, button, labels, running_bot, running_school, to_chat
from tests.support.school import TG, ChainSchool, add_account, chain_school

MONDAY_9 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # the clock fixture's start: Monday 09:00 school time
NEW_PHONE = 8_200_000_000_099  # the grandfather's second Telegram account


def invite(bot: E2EBot, query: str) -> str:
    with bot.uow() as uow:
        code = create_invite(uow, query=query, now=bot.container.clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    return code


def accounts_of(bot: E2EBot, person_id: int) -> list[tuple[str, str]]:
    with bot.uow() as uow:
        rows = uow.session.scalars(
            select(ChatAccount).where(ChatAccount.person_id == person_id).order_by(ChatAccount.id)).all()
        return [(a.channel, a.account_id) for a in rows]


async def link_new_phone(bot: E2EBot, botapi: BotApiDouble, clock: ManualClock
                         ) -> tuple[SentMessage, list[SentMessage]]:
    """Five minutes on, 张爷爷's invite is redeemed on ``NEW_PHONE``: the greeting, and what the next tick sent."""
    code = invite(bot, "张爷爷")
    clock.advance(timedelta(minutes=5))
    [greeting] = await bot.say(NEW_PHONE, f"/start {code}", 1)
    await bot.tick()
    return greeting, botapi.take_sent()


def _grandpa_reads_english(session: Session, school: ChainSchool) -> None:
    session.get(Person, school.grandpa).locale = "en"


def texts(messages) -> list[str]:
    return [m.text for m in messages]


# --- a second account is never silent ---------------------------------------------------------------


async def test_a_guardians_second_account_waits_until_he_says_it_was_him_on_the_first(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:  # the teachers' Monday digests
        school = bot.school
        greeting, sent = await link_new_phone(bot, botapi, clock)
        # The new account is greeted, named the account that confirms it, and told it gets nothing until then.
        assert greeting.text == (
            "欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。您原来绑定的账号：Telegram（绑定于2026年11月30日 "
            "09:00）。为保护孩子，在您于原账号上回复“是我”或学校电话核实并确认之前，本聊天收不到任何消息，也看不到"
            "孩子的信息。")
        # The first account is asked, with the channel and the time.
        [asked] = to_chat(sent, TG["grandpa"])
        assert asked.text == ("您的身份于2026年11月30日 09:05绑定了一个新的Telegram账号。在您确认之前，它收不到任何"
                              "消息，也看不到孩子的任何信息；通知仍发到这里。是您本人新绑定的吗？为避免误操作，请用文字"
                              "回答，不能用数字：请输入“是我”或“不是我”。")
        assert labels(asked) == ["是我", "不是我"]  # the buttons: a deliberate tap on this very message
        # The class teacher and the principal may confirm after phoning him: his name and phone are named.
        for staff in (TG["li"], TG["admin"]):
            [question] = to_chat(sent, staff)
            assert question.text.startswith("张爷爷（委托监护人）于2026年11月30日 09:05绑定了一个新的Telegram账号。"
                                            "确认之前该账号收不到任何消息；已在其原账号上询问张爷爷本人。如未回复，"
                                            "请致电张爷爷（")
            # Typed words or this very message's button, never a number (fix9ac): the question says so.
            assert question.text.endswith("为避免误操作，请用文字回答，不能用数字：请输入“确认绑定”或“拒绝”。")
            assert labels(question) == ["确认绑定", "拒绝"]
        assert to_chat(sent, NEW_PHONE) == []
        assert accounts_of(bot, school.grandpa) == [("telegram", str(TG["grandpa"])), ("telegram", str(NEW_PHONE))]

        # On probation the new phone sees nothing about anyone, and cannot unlink the first.
        [waiting] = await bot.say(NEW_PHONE, "/me", 1)
        assert waiting.text == ("本聊天正在等待确认：请在您原来绑定的账号上回复“是我”，或由学校电话核实后确认。"
                                "在此之前，"
                                "本聊天收不到任何消息，也看不到孩子的信息。")
        [waiting] = await bot.say(NEW_PHONE, "/card 张三", 1)
        assert waiting.text.startswith("本聊天正在等待确认")
        # A message to him goes to the first phone only.
        with bot.uow() as uow:
            enqueue(uow.session, key="test:alert", person_id=school.grandpa, prompt=Prompt("ALERT"),
                    priority=Priority.URGENT, now=clock.now())
            uow.commit()
        await bot.tick()
        sent = botapi.take_sent()
        assert texts(to_chat(sent, TG["grandpa"])) == ["ALERT"]
        assert to_chat(sent, NEW_PHONE) == []

        # 李老师's /due lists it too, with his phone, until someone decides.
        due = await bot.say(TG["li"], "/due", 1)
        [item] = [m for m in due if m.text.startswith("张爷爷（委托监护人）于2026年11月30日 09:05绑定了")]
        assert "请致电张爷爷（" in item.text and labels(item) == ["确认绑定", "拒绝"]

        # His /me on the first phone shows the new one waiting for him.
        mine = await bot.say(TG["grandpa"], "/me", 3)
        assert "· Telegram：绑定于2026年11月30日 09:05，等待您回复“是我”或学校确认" in mine[0].text.splitlines()
        assert "是您本人新绑定的吗？" in mine[-1].text and labels(mine[-1]) == ["是我", "不是我"]  # asked again
        # A typed "1" (meant for anything) confirms nothing: the button, or the words.
        refused, again = await bot.say(TG["grandpa"], "1", 2)
        assert refused.text == "为避免误操作，这个问题不能用数字回答。请输入“是我”或“不是我”。"
        assert "是您本人新绑定的吗？" in again.text and labels(again) == ["是我", "不是我"]

        [thanks] = await bot.press(TG["grandpa"], button(asked, "是我"), 1)
        assert thanks.text == "谢谢。新的Telegram账号已确认，现在可以使用了。"
        await bot.tick()
        assert texts(to_chat(botapi.take_sent(), NEW_PHONE)) == ["本聊天已确认。发送 /help 查看可以做什么。"]
        [details] = await bot.say(NEW_PHONE, "/me", 1)
        assert details.text.splitlines()[:2] == ["您的信息：", "姓名：张爷爷"]
        # The principal's question is answered already.
        [late] = await bot.press(TG["admin"], button(question, "确认绑定"), 1)
        assert late.text == "这个账号已经确认、拒绝或解除过了。"


async def test_it_was_not_me_removes_the_new_account_and_tells_the_school(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock, change=_grandpa_reads_english) as bot:
        school = bot.school
        greeting, sent = await link_new_phone(bot, botapi, clock)
        assert greeting.text == (
            "Welcome, 张爷爷! This chat is now linked to you as entrusted guardian. Your other linked account: "
            "Telegram (linked Nov 30, 2026 09:00). To protect the children, this chat gets no messages and nothing "
            "about them until you answer \"It was me\" on that account, or the school confirms it after phoning you.")
        [asked] = to_chat(sent, TG["grandpa"])
        assert asked.text.endswith("alerts keep coming here. Did you link it yourself? To avoid mistakes, answer in "
                                   "words, not with a number: type “It was me” or “It was not me”.")
        assert labels(asked) == ["It was me", "It was not me"]

        [removed] = await bot.press(TG["grandpa"], button(asked, "It was not me"), 1)
        assert removed.text == ("The Telegram account was removed and the school has been told. Alerts keep coming "
                                "to this account.")
        assert accounts_of(bot, school.grandpa) == [("telegram", str(TG["grandpa"]))]
        await bot.tick()
        sent = botapi.take_sent()
        assert texts(to_chat(sent, NEW_PHONE)) == [
            "The person this chat was linked to says it was not them, so it is unlinked. If you have questions, "
            "please contact the school."]
        for staff in (TG["li"], TG["admin"]):
            [told] = to_chat(sent, staff)
            assert told.text.startswith("张爷爷（委托监护人）表示2026年11月30日 09:05绑定到其身份的Telegram账号不是本人"
                                        "操作，该账号已解除绑定。请致电张爷爷（")
        [nobody] = await bot.say(NEW_PHONE, "/me", 1)
        assert "bind" in nobody.text or "绑定" in nobody.text


async def test_a_guardians_first_binding_is_not_announced_to_the_admins(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock, unbound=("grandpa",)) as bot:
        code = invite(bot, "张爷爷")
        greeting, _help = await bot.say(TG["grandpa"], f"/start {code}", 2)
        assert greeting.text == "欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。"
        await bot.tick()
        assert to_chat(botapi.take_sent(), TG["admin"]) == []


# --- /me: see and remove one's own accounts ----------------------------------------------------------


async def test_me_lists_the_linked_accounts_and_removes_one_after_a_confirmation(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        with bot.uow() as uow:  # a WeChat account bound a week ago, last used on Sunday evening
            uow.session.add(ChatAccount(person_id=school.grandpa, channel="wechat", account_id="oGrandpaOld",
                                        bound_at=MONDAY_9 - timedelta(days=7),
                                        last_seen_at=MONDAY_9 - timedelta(hours=13)))
            uow.commit()
        grandpa = TG["grandpa"]

        [details] = await bot.say(grandpa, "/me", 1)
        assert details.text.splitlines() == [
            "您的信息：",
            "姓名：张爷爷",
            "身份：委托监护人",
            "语言：中文",
            "您负责的孩子：1 名",
            "已绑定的账号：",
            "· Telegram（本聊天）：绑定于2026年11月30日 09:00，最近使用2026年11月30日 09:00",
            "· 微信：绑定于2026年11月23日 09:00，最近使用2026年11月29日 20:00",
        ]
        assert labels(details) == ["解除绑定"]

        [which] = await bot.press(grandpa, button(details, "解除绑定"), 1)
        assert which.text == "要解除哪个账号的绑定？"
        assert labels(which) == ["Telegram（本聊天）", "微信（绑定于2026年11月23日）", "取消"]

        [confirm] = await bot.press(grandpa, button(which, "微信（绑定于2026年11月23日）"), 1)
        assert confirm.text == "确定解除2026年11月23日 09:00绑定的微信账号吗？解除后该账号将不再收到您的任何消息。"
        assert labels(confirm) == ["解除", "保留"]
        [done] = await bot.press(grandpa, button(confirm, "解除"), 1)
        assert done.text == "已解除：微信账号（绑定于2026年11月23日 09:00）。"
        assert accounts_of(bot, school.grandpa) == [("telegram", str(grandpa))]
        await bot.tick()  # unlinking another of his accounts is told to the school: it may not have been him
        sent = botapi.take_sent()
        for staff in (TG["li"], TG["admin"]):
            assert [m.text.split("（1")[0] for m in to_chat(sent, staff)] == [
                "张爷爷（委托监护人）于2026年11月30日 09:00从其另一个账号解除了微信账号（绑定于2026年11月23日 09:00）。"
                "如可能不是本人操作，请致电张爷爷"]

        # A bare number never removes anything: the old question's button is stale now.
        [stale] = await bot.press(grandpa, button(confirm, "解除"), 1)
        assert "失效" in stale.text or "之前的问题" in stale.text
        assert accounts_of(bot, school.grandpa) == [("telegram", str(grandpa))]


async def test_removing_this_chat_itself_says_how_to_bind_again(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        father = TG["father"]
        [details] = await bot.say(father, "/me", 1)
        [which] = await bot.press(father, button(details, "解除绑定"), 1)
        [confirm] = await bot.press(father, button(which, "Telegram（本聊天）"), 1)
        assert confirm.text == ("确定解除2026年11月30日 09:00绑定的Telegram账号（本聊天）吗？"
                                "解除后该账号将不再收到您的任何消息。")
        [done] = await bot.press(father, button(confirm, "解除"), 1)
        assert done.text == "本聊天已不再绑定您的身份。如需重新绑定，请向学校索取新的邀请码。"
        assert accounts_of(bot, school.father) == []
        [after] = await bot.say(father, "/me", 1)
        assert "请先绑定账号" in after.text


# --- an admin removes a binding -----------------------------------------------------------------------


async def test_the_principal_unbinds_a_guardians_account_in_chat_and_the_guardian_is_told(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        school = bot.school
        admin, grandpa = TG["admin"], TG["grandpa"]

        # A class teacher may not unbind anyone.
        [refused] = await bot.say(TG["li"], "/unbind 张爷爷", 1)
        assert refused.text == "只有学校管理员可以解除他人的绑定。"

        [which] = await bot.say(admin, "解绑 张爷爷", 1)
        assert which.text == "张爷爷（委托监护人）绑定的账号：要解除哪一个？"
        assert labels(which) == ["Telegram（绑定于2026年11月30日）", "全部账号", "取消"]
        [confirm] = await bot.press(admin, button(which, "Telegram（绑定于2026年11月30日）"), 1)
        assert confirm.text == "确定解除张爷爷在2026年11月30日 09:00绑定的Telegram账号吗？"
        [done] = await bot.press(admin, button(confirm, "解除"), 1)
        assert done.text == "已解除张爷爷的Telegram账号（绑定于2026年11月30日 09:00）。"
        assert accounts_of(bot, school.grandpa) == []

        await bot.tick()  # the removed account is told why it hears nothing more
        assert texts(to_chat(botapi.take_sent(), grandpa)) == [
            "学校管理员周校长解除了本聊天与您身份的绑定。如需重新绑定，请向学校索取新的邀请码。"
        ]
        [after] = await bot.say(grandpa, "/me", 1)
        assert "请先绑定账号" in after.text


async def test_unbind_names_only_people_of_the_admins_own_school(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        [answer] = await bot.say(TG["admin"], "/unbind 没有这个人", 1)
        assert answer.text == "本校没有叫“没有这个人”的人。"


async def test_the_principal_picks_one_of_two_namesakes_and_unlinks_one_account_then_all(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        with bot.uow() as uow:  # another 张爷爷 (李四's grandfather), and a WeChat phone of the first one
            person = Person(school_id=school.school_id, name="张爷爷", phone="13900000077", natural_key="t:namesake",
                            roles=[PersonRole(role=Role.GUARDIAN.value)])
            uow.session.add(person)
            uow.session.flush()
            namesake = person.id
            uow.session.add(ChildRelation(child_id=school.li_si, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                          person_id=namesake))
            add_account(uow.session, namesake, "8200000000077", bound_at=clock.now())
            add_account(uow.session, school.grandpa, "oGrandpaWx", channel="wechat",
                        bound_at=MONDAY_9 - timedelta(days=3))
            uow.commit()
        await bot.tick()
        botapi.take_sent()
        admin = TG["admin"]

        [who] = await bot.say(admin, "解绑 张爷爷", 1)
        assert who.text == "有几个人叫张爷爷，是哪一位？"
        assert labels(who) == ["张爷爷（委托监护人），电话 139****0001", "张爷爷（委托监护人），电话 139****0077"]
        [which] = await bot.press(admin, button(who, "张爷爷（委托监护人），电话 139****0001"), 1)
        assert labels(which) == ["微信（绑定于2026年11月27日）", "Telegram（绑定于2026年11月30日）", "全部账号", "取消"]
        [confirm] = await bot.press(admin, button(which, "微信（绑定于2026年11月27日）"), 1)
        [done] = await bot.press(admin, button(confirm, "解除"), 1)
        assert done.text == "已解除张爷爷的微信账号（绑定于2026年11月27日 09:00）。"
        assert accounts_of(bot, school.grandpa) == [("telegram", str(TG["grandpa"]))]
        await bot.tick()  # the account he still has is told which one the school removed
        assert texts(to_chat(botapi.take_sent(), TG["grandpa"])) == [
            "学校管理员周校长解除了您的微信账号（绑定于2026年11月27日 09:00）。"
        ]

        [who] = await bot.say(admin, "/unbind 张爷爷", 1)
        [which] = await bot.press(admin, button(who, "张爷爷（委托监护人），电话 139****0077"), 1)
        [confirm] = await bot.press(admin, button(which, "全部账号"), 1)
        assert confirm.text == "确定解除张爷爷的全部1个账号吗？在重新绑定之前，对方将收不到任何消息。"
        [done] = await bot.press(admin, button(confirm, "解除"), 1)
        assert done.text == "已解除张爷爷的全部账号（1个）。"
        assert accounts_of(bot, namesake) == []
        assert accounts_of(bot, school.grandpa) == [("telegram", str(TG["grandpa"]))]  # the other 张爷爷 keeps his


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, clock: ManualClock):
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setattr(bot.bootstrap, "SystemClock", lambda: clock)
    return database_url


async def test_guanai_bindings_lists_and_guanai_unbind_removes(
    botapi: BotApiDouble, cli_env: str, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running_bot(botapi, cli_env, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        with bot.uow() as uow:
            account_id = uow.session.scalar(select(ChatAccount.id).where(ChatAccount.person_id == school.grandpa))
        assert main(["bindings", "张爷爷"]) == 0
        out = capsys.readouterr().out
        assert f"[{account_id}] Telegram，绑定于2026年11月30日 09:00，最近使用：从未" in out
        assert main(["unbind", "张爷爷", str(account_id)]) == 0
        assert "已解除 1 个账号" in capsys.readouterr().out
        assert accounts_of(bot, school.grandpa) == []
        assert main(["unbind", "张爷爷", "all"]) == 1  # nothing left to remove
        await bot.tick()
        assert texts(to_chat(botapi.take_sent(), TG["grandpa"])) == [
            "学校解除了本聊天与您身份的绑定。如需重新绑定，请向学校索取新的邀请码。"
        ]


# --- staff bindings confirmed by an admin -------------------------------------------------------------


async def test_a_teachers_new_account_waits_for_the_principal_to_confirm_it(
    botapi: BotApiDouble, database_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUANAI_CONFIRM_STAFF_BINDINGS", "true")
    async with running_school(botapi, database_url, clock, unbound=("li",)) as bot:
        li, admin = TG["li"], TG["admin"]
        code = invite(bot, "李老师")

        [waiting] = await bot.say(li, f"/start {code}", 1)
        assert waiting.text == ("欢迎您，李老师！本聊天已绑定到您的身份：班主任。"
                                "学校管理员确认后才能使用，确认后我会通知您。")
        [not_yet] = await bot.say(li, "/talk 张三", 1)
        assert not_yet.text == "您的账号正在等待学校确认，确认后即可使用。"

        await bot.tick()
        [question] = [m for m in to_chat(botapi.take_sent(), admin) if "需要您确认" in m.text]
        assert question.text == "李老师（班主任）于2026年11月30日 09:00绑定了一个Telegram账号，需要您确认。是本人吗？"
        assert labels(question) == ["确认", "拒绝"]
        [ok] = await bot.press(admin, button(question, "确认"), 1)
        assert ok.text == "已确认李老师的Telegram账号。"

        await bot.tick()
        assert texts(to_chat(botapi.take_sent(), li)) == ["学校已确认本聊天。发送 /help 查看可以做的事。"]
        [mood] = await bot.say(li, "/talk 张三", 1)
        assert mood.text == "与张三谈心。孩子的情绪怎么样？"


async def test_a_refused_staff_account_is_unlinked_and_never_gets_data(
    botapi: BotApiDouble, database_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUANAI_CONFIRM_STAFF_BINDINGS", "true")
    async with running_school(botapi, database_url, clock) as bot:
        school = bot.school
        stranger = 8_100_000_000_777  # someone who got hold of 陈老师's invite
        code = invite(bot, "陈老师")
        await bot.say(stranger, f"/start {code}", 1)
        await bot.tick()
        sent = botapi.take_sent()
        # 陈老师's own account is told at once that someone linked an account to her.
        assert any("绑定了一个新的Telegram账号" in m.text for m in to_chat(sent, TG["chen"]))
        [question] = to_chat(sent, TG["admin"])
        [refused] = await bot.press(TG["admin"], button(question, "拒绝"), 1)
        assert refused.text == "已拒绝：陈老师的这个Telegram账号已解除绑定。"
        assert accounts_of(bot, school.chen) == [("telegram", str(TG["chen"]))]
        await bot.tick()
        assert texts(to_chat(botapi.take_sent(), stranger)) == [
            "学校没有确认本聊天的绑定，已解除。如有疑问，请联系学校。"
        ]


async def test_a_schools_first_admin_is_confirmed_on_the_command_line(
    botapi: BotApiDouble, cli_env: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUANAI_CONFIRM_STAFF_BINDINGS", "true")
    async with running_school(botapi, cli_env, clock, unbound=("admin",)) as bot:
        school = bot.school
        admin = TG["admin"]
        [waiting] = await bot.say(admin, f"/start {invite(bot, '周校长')}", 1)
        assert "学校管理员确认后才能使用" in waiting.text
        [not_yet] = await bot.say(admin, "/unbind 张爷爷", 1)
        assert not_yet.text == "您的账号正在等待学校确认，确认后即可使用。"
        await bot.tick()
        assert to_chat(botapi.take_sent(), admin) == []  # nobody else can confirm her: the terminal does

        with bot.uow() as uow:
            account_id = uow.session.scalar(select(ChatAccount.id).where(ChatAccount.person_id == school.admin))
        assert main(["bindings", "周校长"]) == 0
        assert f"[{account_id}] Telegram，绑定于2026年11月30日 09:00，等待确认" in capsys.readouterr().out
        assert main(["bindings", "周校长", "--confirm", str(account_id + 1)]) == 1
        assert main(["bindings", "周校长", "--confirm", str(account_id)]) == 0
        out = capsys.readouterr().out
        assert f"已确认：周校长的账号 [{account_id}]。" in out and "等待确认" not in out

        await bot.tick()
        assert texts(to_chat(botapi.take_sent(), admin)) == ["学校已确认本聊天。发送 /help 查看可以做的事。"]
        [which] = await bot.say(admin, "/unbind 张爷爷", 1)
        assert which.text == "张爷爷（委托监护人）绑定的账号：要解除哪一个？"


# --- unused bindings expire ----------------------------------------------------------------------------


async def test_an_account_unused_for_the_configured_time_is_warned_then_unlinked(
    botapi: BotApiDouble, database_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUANAI_BINDING_EXPIRY_DAYS", "180")
    monkeypatch.setenv("GUANAI_BINDING_EXPIRY_WARNING_DAYS", "14")
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        clock.advance(timedelta(days=100))
        for key in ("li", "chen", "father", "mother", "admin", "bureau", "town"):
            await bot.say(TG[key], "/help", 1)  # everyone but the grandfather keeps using the bot

        clock.set(MONDAY_9 + timedelta(days=166, hours=1))  # 14 days before the grandfather's 180
        await bot.tick()
        warning = [m.text for m in to_chat(botapi.take_sent(), TG["grandpa"]) if "未使用" in m.text]
        assert warning == [
            "本聊天自2026年11月30日 09:00以来未使用，将于2027年5月29日 09:00解除绑定。如需保留，请发送“我的”或 /me。"
        ]
        await bot.tick()  # warned once, not every tick
        assert [m for m in to_chat(botapi.take_sent(), TG["grandpa"]) if "未使用" in m.text] == []

        clock.set(MONDAY_9 + timedelta(days=180, hours=1))
        await bot.tick()
        sent = botapi.take_sent()
        assert "本聊天已超过180天未使用，已解除与张爷爷的绑定。如需重新绑定，请向学校索取新的邀请码。" in texts(
            to_chat(sent, TG["grandpa"]))
        assert accounts_of(bot, school.grandpa) == []
        # He has no account left: the principal is told someone must phone him.
        assert "张爷爷（委托监护人）已没有任何绑定账号（超过180天未使用）。请电话联系：139 0000 0001。" in texts(
            to_chat(sent, TG["admin"]))
        assert accounts_of(bot, school.father) == [("telegram", str(TG["father"]))]


async def test_help_offers_unbind_to_admins_only(botapi: BotApiDouble, database_url: str, clock: ManualClock) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        [admin_help] = await bot.say(TG["admin"], "/help", 1)
        [guardian_help] = await bot.say(TG["grandpa"], "帮助", 1)
    assert "/unbind 姓名（解绑 姓名）— 解除某人的聊天账号绑定" in admin_help.text.splitlines()
    assert "解绑" not in guardian_help.text and "/cancel" in guardian_help.text and "/me" in guardian_help.text
