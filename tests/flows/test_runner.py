"""The flow runner's rules: redelivery, restarts, group chats, binding, commands, language."""

from __future__ import annotations

import io
import logging
import threading

import pytest
from sqlalchemy import delete, func, select

from bot.config import Settings
from bot.domain.enums import Channel
from bot.flows.runner import FlowRunner, Inbound
from bot.handlers.console import ConsoleSender, ConsoleSession, render_text
from bot.messages.prompt import Choice, Prompt
from bot.store.models import (
    ChatAccount,
    Conversation,
    Person,
    PersonRole,
    ProcessedUpdate,
    TalkRecord,
)
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

SETTINGS = Settings(database_url="sqlite://")
STALE = "这个按钮属于之前的问题，请使用最新的消息。"
BIND_FIRST = "请先绑定账号：向学校索取邀请码，然后发送 /start 加邀请码（或“绑定 邀请码”）。"


def _count(uow_factory, model) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def _conversation(uow_factory, account_id):
    with uow_factory() as uow:
        row = uow.session.scalar(select(Conversation).where(Conversation.account_id == account_id))
        return (row.flow, row.state, row.version) if row else None


def test_redelivered_update_is_ignored(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三", update_key="100")
    good = chat.payload("好")
    chat.press(good, update_key="101")
    before = _conversation(uow_factory, ACCOUNTS["li"])
    assert chat.send("/talk 张三", update_key="100") == []  # Telegram redelivers both
    assert chat.press(good, update_key="101") == []
    assert chat.reply.prompts == []
    assert _conversation(uow_factory, ACCOUNTS["li"]) == before
    assert _count(uow_factory, ProcessedUpdate) == 2


def test_concurrent_redelivery_is_handled_once(uow_factory, clock, school):
    runners = [FlowRunner(uow_factory, clock, SETTINGS) for _ in range(2)]
    replies = []

    def run(e):
        replies.append(e.handle(Inbound(channel="telegram", account_id=ACCOUNTS["li"], text="/talk 张三",
                                        update_key="7")))

    threads = [threading.Thread(target=run, args=(e,)) for e in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r.prompts) for r in replies) == [0, 1]
    assert _conversation(uow_factory, ACCOUNTS["li"])[1] == "mood"


def test_a_new_runner_continues_mid_flow(uow_factory, clock, school):
    first = Chat(FlowRunner(uow_factory, clock, SETTINGS), ACCOUNTS["li"])
    first.send("/talk 张三")
    first.tap("好")
    study_good = first.payload("好")
    restarted = Chat(FlowRunner(uow_factory, clock, SETTINGS), ACCOUNTS["li"])  # a restart
    restarted.press(study_good)
    assert "张三的生活情况" in restarted.text
    for label in ("一般", "没有", "跳过", "不需要跟进", "保存"):
        restarted.tap(label)
    assert "已保存：与张三的谈心记录。" in restarted.text
    assert _count(uow_factory, TalkRecord) == 1


@pytest.mark.parametrize("typed", ["/talk 张三", "谈心 张三", "/me", "/due", "/incident 张三", "/start GOODCODE",
                                   "/lang"])
def test_group_chat_shows_no_child_data(typed, flows, school, uow_factory):
    group = Chat(flows, ACCOUNTS["li"], is_group=True)
    group.send(typed)
    assert group.text == "请在私聊中和我对话。"
    assert group.choices == []
    assert _count(uow_factory, Conversation) == 0


def test_group_chat_help_and_chatter(flows, school):
    group = Chat(flows, ACCOUNTS["li"], is_group=True)
    assert "请在私聊中和我对话" in group.send("/help")[0].text
    assert group.send("大家好") == []
    assert group.press("ack:1")[0].text == "请在私聊中和我对话。"


def test_unbound_chat_can_only_bind_help_and_lang(flows, school, uow_factory):
    chat = Chat(flows, "9999")
    for typed in ("/talk 张三", "/me", "/due", "/incident 张三", "/cancel", "你好", "1"):
        chat.send(typed)
        assert chat.text == BIND_FIRST, typed
    chat.press("ack:1")
    assert chat.text == BIND_FIRST
    chat.send("/help")
    assert "绑定 邀请码（/start 邀请码）" in chat.text and "谈心" not in chat.text
    chat.send("/lang")
    chat.tap("English")
    assert chat.text == "Language changed."
    chat.send("/talk 张三")
    assert chat.text == (
        "Please bind your account first: ask your school for an invite code, then send /start and the code."
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("NOPE", "邀请码不正确，请核对后重新发送 /start 加邀请码。"),
        ("USEDCODE", "这个邀请码已经用过了，请向学校索取新的邀请码。"),
        ("OLDCODE", "这个邀请码已过期，请向学校索取新的邀请码。"),
    ],
)
def test_bind_failures(code, expected, flows, school):
    chat = Chat(flows, "9999")
    chat.send(f"/start {code}")
    assert chat.text == expected


def test_bind_and_greet_by_role(flows, school, uow_factory):
    with uow_factory() as uow:  # 王老师's first account (a second one would wait: bot.services.binding_probation)
        uow.session.execute(delete(ChatAccount).where(ChatAccount.account_id == ACCOUNTS["wang"]))
        uow.commit()
    chat = Chat(flows, "9999")
    chat.send("绑定 GOODCODE")
    assert "欢迎您，王老师！本聊天已绑定到您的身份：班主任。" in chat.text
    assert "谈心 姓名（/talk 姓名）" in chat.text
    chat.send("/start")
    assert chat.rendered[0].text == "您好，王老师（班主任）。"
    chat.send("/talk 王五")
    assert "与王五谈心" in chat.text


def test_a_bound_chat_sending_someone_elses_code_keeps_its_binding(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])  # 李老师 tries 王老师's invite link before forwarding it
    chat.send("/start GOODCODE")
    assert chat.text == "这个聊天已经绑定了李老师。邀请码没有被使用，您可以把它转给要绑定的人。"
    chat.send("/start")
    assert chat.rendered[0].text == "您好，李老师（班主任）。"
    other = Chat(flows, "9999")
    other.send("/start GOODCODE")
    assert "欢迎您，王老师！" in other.text


def test_repeated_wrong_codes_are_throttled(flows, school, clock):
    chat = Chat(flows, "9999")
    for _ in range(5):
        chat.send("/start WRONG")
    chat.send("/start GOODCODE")
    assert chat.text == "错误的邀请码次数太多，请在1分钟后再试。"


def test_lang_switches_the_reply_language(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("语言")
    assert [label for label, _ in chat.choices] == ["中文", "English"]
    chat.send("2")
    assert chat.text == "Language changed." and chat.reply.locale == "en"
    chat.send("/talk 张三")
    assert "Talk with 张三. How was the child's mood?" in chat.text
    assert [label for label, _ in chat.choices] == ["Good", "Fair", "Poor"]
    chat.send("/cancel")
    assert chat.text == "Cancelled your talk with 张三. Nothing was saved."
    with uow_factory() as uow:
        assert uow.session.get(Person, school.li).locale == "en"
    chat.send("/lang")
    chat.tap("中文")
    assert chat.text == "语言已切换为中文。"


def test_help_depends_on_role(flows, school):
    teacher = Chat(flows, ACCOUNTS["li"])
    teacher.send("帮助")
    assert "谈心 姓名" in teacher.text and "报告 姓名" in teacher.text and "绑定" not in teacher.text
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.send("/help")
    assert "谈心" not in guardian.text and "报告 姓名" not in guardian.text and "我的（/me）" in guardian.text


def test_a_principals_help_lists_due_in_both_languages(flows, school):
    """Issue 9 re-trial: the principal's /help did not mention /due, which lists the school's work."""
    principal = Chat(flows, ACCOUNTS["admin"])
    principal.send("/help")
    assert "待办（/due）— 待办事项：全校每位老师还没完成的谈心、未结束的突发事件、您的任务" in principal.text
    principal.send("/lang")
    principal.tap("English")
    principal.send("/help")
    assert "/due (待办) — what is due: the school's talks per teacher, open incidents, your tasks" in principal.text
    principal.send("待办")  # and it does what /help says
    assert "Talks still due at the school:" in principal.text


def test_me(flows, school):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("/me")
    for line in ("姓名：陈老师", "身份：帮扶教师", "语言：中文", "您负责的孩子：2 名", "· Telegram（本聊天）：绑定于"):
        assert line in chat.text


def test_due_lists_talks_and_then_nothing(flows, school):
    chat = Chat(flows, ACCOUNTS["chen"])
    chat.send("/due")
    assert "待完成的谈心（2）：" in chat.text
    assert "张三（三年级1班）" in chat.text
    for choice in ("张三（三年级1班；监护人张爷爷）", "张三（三年级2班）"):
        chat.send("谈心 张三")
        chat.tap(choice)
        for label in ("好", "好", "好", "没有", "跳过", "不需要跟进", "保存"):
            chat.tap(label)
    chat.send("待办")
    assert chat.text == "没有待办事项，做得很好！"


def test_cancel_clears_state_and_old_buttons(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三")
    good = chat.payload("好")
    chat.send("取消")
    assert chat.text == "已取消与张三的谈心记录，没有保存任何内容。"
    chat.press(good)
    assert chat.text == STALE
    assert _conversation(uow_factory, ACCOUNTS["li"])[:2] == (None, None)


def test_unknown_payloads_are_refused(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["li"])
    for payload in ("zzz", "ack:x", "ci:1:q", "close:", "f:abc", "cin:1:maybe", ""):
        chat.press(payload)
        assert chat.text in ("这个按钮已经失效了。", STALE), payload


def test_a_button_naming_an_id_beyond_the_database_gets_the_polite_answer(flows, school, uow_factory):
    # PostgreSQL ids are 32-bit integers: a tampered button with a larger id must not reach a query.
    teacher, grandpa = Chat(flows, ACCOUNTS["li"]), Chat(flows, ACCOUNTS["grandpa"])
    for chat, payload in ((grandpa, "ack:2147483648"), (teacher, "close:99999999999999999"),
                          (grandpa, "ci:2147483648:g"), (grandpa, "cin:99999999999:skip")):
        chat.press(payload)
        assert chat.text == "这个按钮已经失效了。", payload


def test_console_renders_numbered_choices(flows, school, uow_factory):
    prompt = Prompt("Good", choices=(Choice("Good", "x:g"), Choice("So-so", "x:s"), Choice("Needs help", "x:h")))
    assert render_text(prompt, "en") == "Good\n1. Good 2. So-so 3. Needs help"
    with uow_factory() as uow:
        uow.session.add(ChatAccount(person_id=school.li, channel=Channel.CONSOLE.value, account_id="li",
                                    bound_at=flows.clock.now()))
        uow.commit()
    out = io.StringIO()
    ConsoleSession(flows, "li", out).run(["谈心 张三\n", "1\n", "/quit\n", "2\n"])
    text = out.getvalue()
    assert "与张三谈心。孩子的情绪怎么样？\n1. 好 2. 一般 3. 较差" in text
    assert "张三的学习情况怎么样？" in text and "生活情况" not in text


async def test_console_sender_prints(school):
    out = io.StringIO()
    await ConsoleSender(out).send("li", Prompt("Thank you. Nothing more is needed."), "zh_Hans", "Asia/Shanghai")
    assert "谢谢，不需要再做什么了。" in out.getvalue()


def test_logs_carry_ids_not_names_or_notes(flows, school, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    chat = Chat(flows, ACCOUNTS["li"])
    chat.send("/talk 张三", update_key="1")
    for label in ("好", "好", "好", "有"):
        chat.tap(label)
    chat.send("孩子说很想妈妈")
    chat.tap("不需要跟进")
    chat.tap("保存")
    guardian = Chat(flows, ACCOUNTS["grandpa"])
    guardian.press(f"ci:{school.checkin}:h")
    guardian.tap("学习")
    guardian.send("作业不会做")
    assert "talk record" in caplog.text
    for secret in ("张三", "李老师", "张爷爷", "很想妈妈", "作业不会做"):
        assert secret not in caplog.text


def test_one_update_at_a_time_per_account(uow_factory, clock, school):
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    replies = []

    def run(i):
        replies.append(flows.handle(Inbound(channel="telegram", account_id=ACCOUNTS["li"], text="/talk 张三",
                                            update_key=f"k{i}")))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = sorted(int(r.prompts[0].choices[0].payload.split(":")[1]) for r in replies)
    assert versions == [2, 4, 6, 8]  # each update saw the previous one's state


def test_due_me_and_talk_agree_when_a_helper_teachers_role_is_removed(flows, school, uow_factory):
    chat = Chat(flows, ACCOUNTS["chen"])  # still paired with both 张三 in the roster
    chat.send("/due")
    assert "张三" in chat.text
    with uow_factory() as uow:
        uow.session.delete(uow.session.scalar(select(PersonRole).where(PersonRole.person_id == school.chen)))
        uow.commit()
    chat.send("/due")
    assert chat.text == "没有待办事项，做得很好！"
    chat.send("/me")
    assert "您负责的孩子：0 名" in chat.text
