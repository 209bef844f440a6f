"""Nothing said is dropped, end to end on Telegram (issue 6 item 4).

A grandfather writes to the bot outside any question while this week's
check-in waits in his chat; the class teacher reads it, answers with the
Reply button or Telegram's own reply, and the answer reaches him. A note
after a "good" check-in reaches the helper teacher in the next daily digest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.domain.clock import ManualClock
from bot.domain.enums import RelationKind
from bot.store.models import Child, ChildRelation, FamilyMessage, SchoolClass
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import button, friday_checkin, labels, running_bot, running_school, to_chat
from tests.support.school import TG, ChainSchool, chain_school

MONDAY_0730 = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 07:30: the daily digest
FEVER = "孩子发烧两天了，我腿脚不好"


async def test_a_grandfathers_words_outside_a_question_reach_the_class_teacher_and_her_answer_reaches_him(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        grandpa, li = TG["grandpa"], TG["li"]
        question = await friday_checkin(bot, clock, grandpa)
        assert question.text == "张三这周过得怎么样？"  # the check-in waits in his chat

        # Worry words at the check-in on screen are its "needs help", the words passed on as his message (fix6i).
        recorded, told = await bot.say(grandpa, FEVER, 2)
        assert recorded.text.startswith("谢谢！已记录：张三这周需要帮助。")
        assert told.text.startswith("谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。")
        await bot.tick()
        sent = botapi.take_sent()
        [kind] = to_chat(sent, grandpa)
        assert kind.text == "张三需要哪方面的帮助？"  # the check-in's follow-up, naming the child
        [passed] = to_chat(sent, li)
        assert passed.text.splitlines() == ["张爷爷（张三的委托监护人，三年级1班）留言：", f"“{FEVER}”",
                                            "写于每周联系回答“需要帮助”之后。", "电话：139 0000 0001"]
        assert labels(passed) == ["回复"]

        [ask] = await bot.press(li, button(passed, "回复"), 1)
        assert ask.text == "请写下给张爷爷的回复（关于张三）：" and labels(ask) == ["取消"]
        [sent] = await bot.say(li, "我明天一早带孩子去镇卫生院，您别着急。", 1)
        assert sent.text == "已发送给张爷爷。"
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert answer.text.splitlines() == [
            "李老师（张三的班主任）回复了您的留言：",
            "“我明天一早带孩子去镇卫生院，您别着急。”",
            "如需再说明，直接在这里发消息即可。",
        ]

        # He writes back; she answers with Telegram's own "Reply" on his message.
        [_told] = await bot.say(grandpa, "好的，谢谢李老师，孩子今天退烧了", 1)
        await bot.tick()
        [again] = to_chat(botapi.take_sent(), li)
        botapi.inject_text(li, "太好了，明天让孩子多喝水。", reply_to=again)
        [sent] = await bot.replies(li, 1)
        assert sent.text == "已发送给张爷爷。"
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert "“太好了，明天让孩子多喝水。”" in answer.text

        # Answered, his messages are not asked again nor listed as waiting.
        [due] = await bot.say(li, "/due", 1)
        assert "张爷爷" not in due.text

        # The check-in was answered by his worry words: its old button changes nothing.
        [late] = await bot.press(grandpa, button(question, "很好"), 1)
        assert late.text == "您已经回答过本周的联系了，以第一次回答为准。"
        with bot.uow() as uow:
            kept = [(m.kind, m.body) for m in uow.session.scalars(select(FamilyMessage).order_by(FamilyMessage.id))]
            stored = uow.session.scalars(text("SELECT body FROM family_messages ORDER BY id")).all()
    assert kept == [("checkin_note", FEVER), ("message", FEVER), ("answer", "我明天一早带孩子去镇卫生院，您别着急。"),
                    ("checkin_note", "好的，谢谢李老师，孩子今天退烧了"),
                    ("message", "好的，谢谢李老师，孩子今天退烧了"),
                    ("answer", "太好了，明天让孩子多喝水。")]
    assert all(body.startswith("enc1:") and "孩子" not in body for body in stored)  # encrypted at rest
    # The whole conversation once the bot has stopped (every reply sent): nothing extra, nothing late.
    assert [m.text.splitlines()[0] for m in to_chat(botapi.sent, grandpa)] == [
        "张三这周过得怎么样？",
        "谢谢！已记录：张三这周需要帮助。",  # his worry words answer the check-in on screen (fix6i)
        "谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。",
        "张三需要哪方面的帮助？",
        "李老师（张三的班主任）回复了您的留言：",
        "谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。",
        "李老师（张三的班主任）回复了您的留言：",
        "您已经回答过本周的联系了，以第一次回答为准。",
    ]
    assert [m.text.splitlines()[0] for m in to_chat(botapi.sent, li)] == [
        "张爷爷（张三的委托监护人，三年级1班）留言：", "请写下给张爷爷的回复（关于张三）：", "已发送给张爷爷。",
        "张爷爷（张三的委托监护人，三年级1班）留言：", "已发送给张爷爷。", due.text.splitlines()[0],
    ]


def _grandpa_of_li_si_too(session: Session, school: ChainSchool) -> None:
    """张爷爷 is 李四's entrusted guardian as well as 张三's."""
    session.add(ChildRelation(child_id=school.li_si, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                              person_id=school.grandpa))


async def test_a_grandfather_of_two_in_one_class_is_not_asked_which_child_the_teacher_reads_both_names(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    # Changed in conv6k: both children have the same class teacher, so no "which child?" (it was asked before).
    async with running_school(botapi, database_url, clock, change=_grandpa_of_li_si_too) as bot:
        grandpa, li = TG["grandpa"], TG["li"]
        [told] = await bot.say(grandpa, "孩子这两天不想吃饭", 1)
        assert told.text.startswith("谢谢。您关于张三、李四的留言已转给李老师（班主任）")
        await bot.tick()
        [passed] = to_chat(botapi.take_sent(), li)  # one message naming both, never two copies
        assert passed.text.startswith("张爷爷（张三、李四的委托监护人，三年级1班）留言：\n“孩子这两天不想吃饭”")
    assert [m.text for m in to_chat(botapi.sent, grandpa)] == [told.text]  # nothing more, even late


async def test_a_grandfather_of_two_with_two_class_teachers_is_asked_which_child_and_both_reaches_each(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    def li_si_in_class_two_too(session: Session, school: ChainSchool) -> None:
        _grandpa_of_li_si_too(session, school)
        other = SchoolClass(school_id=school.school_id, grade="三年级", name="三年级2班", class_teacher_id=school.chen)
        session.add(other)
        session.flush()
        session.get(Child, school.li_si).class_id = other.id

    async with running_school(botapi, database_url, clock, change=li_si_in_class_two_too) as bot:
        grandpa = TG["grandpa"]
        [which] = await bot.say(grandpa, "孩子这两天不想吃饭", 1)
        assert which.text == "您的留言是关于哪个孩子的？"
        assert labels(which) == ["张三（三年级1班）", "李四（三年级2班）", "都有关"]
        told = await bot.press(grandpa, button(which, "都有关"), 1)
        # One line names both class teachers (fix6b; it used to be one message per teacher).
        assert [m.text.split("，", 1)[0] for m in told] == [
            "谢谢。您关于张三、李四的留言已转给李老师（班主任）和陈老师（班主任）"]
        await bot.tick()
        sent = botapi.take_sent()
        [to_li] = to_chat(sent, TG["li"])
        [to_chen] = to_chat(sent, TG["chen"])
        assert to_li.text.startswith("张爷爷（张三的委托监护人，三年级1班）留言：\n“孩子这两天不想吃饭”")
        assert to_chen.text.startswith("张爷爷（李四的委托监护人，三年级2班）留言：\n“孩子这两天不想吃饭”")


async def test_a_note_after_a_good_check_in_reaches_the_helper_teachers_digest_once(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        grandpa, chen = TG["grandpa"], TG["chen"]
        question = await friday_checkin(bot, clock, grandpa)
        _thanks, note = await bot.press(grandpa, button(question, "很好"), 2)
        assert "还有什么想告诉老师的吗？" in note.text
        [done] = await bot.say(grandpa, "这周孩子有点咳嗽，已经好多了", 1)
        assert done.text == ("谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。\n"
                             "帮扶教师陈老师也会在每日汇总里看到。")
        await bot.tick()
        sent = botapi.take_sent()
        assert to_chat(sent, chen, digests=True) == []  # not urgent: it waits for the digest
        [passed] = to_chat(sent, TG["li"])  # the class teacher reads it at once, and answers with Telegram's reply
        assert passed.text.startswith("张爷爷（张三的委托监护人，三年级1班）留言：\n“这周孩子有点咳嗽，已经好多了”")
        botapi.inject_text(TG["li"], "好的，我周一再问问孩子。", reply_to=passed)
        [sent_back] = await bot.replies(TG["li"], 1)
        assert sent_back.text == "已发送给张爷爷。"
        await bot.tick()
        [answer] = to_chat(botapi.take_sent(), grandpa)
        assert answer.text.startswith("李老师（张三的班主任）回复了您的留言：\n“好的，我周一再问问孩子。”")

        clock.set(MONDAY_0730)
        await bot.tick()
        [digest] = to_chat(botapi.take_sent(), chen, digests=True)
        lines = digest.text.splitlines()
        assert "家长在每周联系后的留言：" in lines
        assert "• 张三 — 张爷爷（很好）：“这周孩子有点咳嗽，已经好多了”" in lines

        clock.set(MONDAY_0730 + timedelta(days=1))
        await bot.tick()
        [tuesday] = to_chat(botapi.take_sent(), chen, digests=True)
        assert "咳嗽" not in tuesday.text  # in exactly one digest
    assert [m.text for m in to_chat(botapi.sent, grandpa)] == [question.text, _thanks.text, note.text, done.text,
                                                               answer.text]
