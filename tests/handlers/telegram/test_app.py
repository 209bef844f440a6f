"""The Telegram channel through the real python-telegram-bot against the local Bot API double."""

from __future__ import annotations

import threading

from bot.flows.runner import Inbound, Reply
from bot.messages.prompt import Choice, Prompt, text
from tests.support.botapi_double import BotApiDouble
from tests.support.fakes import FakeFlows, echo_reply

TEACHER = 8_123_456_789_012  # beyond 32 bits: Telegram ids are 64-bit
GUARDIAN = 5_555_000_111


async def test_text_reaches_the_flows_and_the_reply_is_escaped_html_with_buttons(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    update = botapi.inject_text(TEACHER, "/talk <b>张三</b> & co", language_code="zh-hans")

    [inbound] = await fake_flows.next_inbounds(1)
    assert inbound == Inbound(
        channel="telegram",
        account_id=str(TEACHER),
        text="/talk <b>张三</b> & co",
        payload=None,
        is_group=False,
        update_key=str(update["update_id"]),
        language_code="zh-hans",
    )
    [sent] = await botapi.next_sent(1)
    assert sent.chat_id == TEACHER
    assert sent.parse_mode == "HTML"
    assert sent.text == "You said: /talk &lt;b&gt;张三&lt;/b&gt; &amp; co"
    assert sent.buttons() == [[("Yes", "f:1:yes"), ("No", "f:1:no")]]


async def test_a_pressed_button_is_answered_and_its_data_becomes_the_payload(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    botapi.inject_text(GUARDIAN, "你好")
    [first] = await botapi.next_sent(1)
    label, data = first.buttons()[0][1]

    update = botapi.inject_callback(GUARDIAN, data, message_id=first.message_id)

    inbounds = await fake_flows.next_inbounds(2)
    assert inbounds[1].payload == "f:1:no" == data
    assert inbounds[1].text is None
    assert inbounds[1].update_key == str(update["update_id"])
    [answered] = botapi.wait_call("answerCallbackQuery")
    assert answered["callback_query_id"] == update["callback_query"]["id"]
    [reply] = await botapi.next_sent(1)
    assert reply.text == "You said: [f:1:no]"


async def test_chinese_keywords_pass_through_unchanged(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    botapi.inject_text(TEACHER, "谈心 张三")
    [inbound] = await fake_flows.next_inbounds(1)
    assert inbound.text == "谈心 张三"


async def test_a_group_message_is_flagged_and_answered_in_the_group(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    group = -1001234567890
    botapi.inject_text(TEACHER, "/due", chat_id=group, chat_type="supergroup")

    [inbound] = await fake_flows.next_inbounds(1)
    assert inbound.is_group is True
    assert inbound.account_id == str(TEACHER)
    [sent] = await botapi.next_sent(1)
    assert sent.chat_id == group


async def test_a_long_reply_is_split_under_4096_characters_with_the_keyboard_last(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    lines = [f"{i:04d} " + "孩子" * 45 for i in range(52)]  # 52 lines of 95 characters: 4991 with newlines
    long_text = "\n".join(lines)
    assert len(long_text) > 4096
    fake_flows.respond = lambda inbound: Reply(
        prompts=[Prompt("{body}", {"body": text(long_text)}, choices=(Choice("OK", "f:2:ok"),))], locale="en"
    )
    botapi.inject_text(TEACHER, "/due")

    parts = await botapi.next_sent(2)
    assert all(len(p.text) <= 4096 for p in parts)
    assert "\n".join(p.text for p in parts) == long_text  # split on a line boundary, nothing lost
    assert parts[0].reply_markup is None
    assert parts[1].buttons() == [[("OK", "f:2:ok")]]


async def test_the_command_menu_is_registered_in_chinese_and_english(
    botapi: BotApiDouble, polling_bot: object
) -> None:
    calls = botapi.wait_call("setMyCommands", count=2)
    by_language = {c.get("language_code"): {cmd["command"]: cmd["description"] for cmd in c["commands"]} for c in calls}
    assert set(by_language) == {None, "zh"}
    assert by_language[None]["talk"] == "Log a talk with a child (谈心)"
    assert by_language["zh"]["talk"] == "记录与孩子的谈心（也可发送“谈心 姓名”）"
    assert set(by_language["zh"]) == set(by_language[None]) >= {
        "talk", "incident", "due", "me", "lang", "help", "cancel"}


async def test_a_flows_failure_gets_a_polite_apology_and_the_bot_keeps_working(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    def respond(inbound: Inbound) -> Reply:
        if inbound.text == "boom":
            raise RuntimeError("flows failed")
        return echo_reply(inbound)

    fake_flows.respond = respond
    botapi.inject_text(TEACHER, "boom", language_code="zh-hans")
    [apology] = await botapi.next_sent(1)
    assert apology.text == "抱歉，系统出了点问题，请稍后再试。"

    botapi.inject_text(TEACHER, "again")
    [reply] = await botapi.next_sent(1)
    assert reply.text == "You said: again"


async def test_one_person_is_handled_one_update_at_a_time_while_others_go_on(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    release = threading.Event()

    def respond(inbound: Inbound) -> Reply:
        if inbound.text == "slow":
            release.wait(timeout=10)
        return echo_reply(inbound)

    fake_flows.respond = respond
    botapi.inject_text(TEACHER, "slow")
    await fake_flows.next_inbounds(1)  # the teacher's first update is inside the engine
    botapi.inject_text(TEACHER, "second")
    botapi.inject_text(GUARDIAN, "other person")

    inbounds = await fake_flows.next_inbounds(2)
    assert inbounds[1].account_id == str(GUARDIAN)  # not blocked by the teacher's slow update
    assert [i.text for i in fake_flows.inbounds] == ["slow", "other person"]  # teacher's second waits
    release.set()
    inbounds = await fake_flows.next_inbounds(3)
    assert inbounds[2].text == "second"
    sent = await botapi.next_sent(3)
    teacher_texts = [s.text for s in sent if s.chat_id == TEACHER]
    assert teacher_texts == ["You said: slow", "You said: second"]


async def test_a_direct_reply_waits_out_flood_control_instead_of_being_lost(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    botapi.fail_chat(TEACHER, "flood", retry_after=1, times=1)
    botapi.inject_text(TEACHER, "/me")
    [reply] = await botapi.next_sent(1)
    assert reply.text == "You said: /me"
    assert len(botapi.calls_of("sendMessage")) == 2  # refused once, then sent


async def test_an_update_the_flows_answer_with_nothing_sends_nothing(
    botapi: BotApiDouble, fake_flows: FakeFlows, polling_bot: object
) -> None:
    fake_flows.respond = lambda inbound: Reply(prompts=[] if inbound.text == "quiet" else echo_reply(inbound).prompts)
    botapi.inject_text(TEACHER, "quiet")
    botapi.inject_text(TEACHER, "loud")
    [reply] = await botapi.next_sent(1)  # one person's updates are handled in order: "quiet" came first
    assert reply.text == "You said: loud"
    assert botapi.take_sent() == []
