"""Nothing said is dropped, over signed WeChat / WeCom XML (issue 6 item 4).

The grandfather 张强 writes on the Official Account, the class teacher 王老师
answers on WeCom with the numbered Reply; a voice message is passed on as
WeChat's own transcript (``Recognition``), or as a voice note when it has none.
"""

from __future__ import annotations

from itertools import count

from sqlalchemy import select

from bot.flows.runner import Inbound
from bot.store.models import FamilyMessage, OutboxMessage
from tests.handlers.wechat.test_e2e_incidents import School, _school

FEVER = "孩子发烧两天了，我腿脚不好"
_voice_ids = count(91001)


def voice_xml(sender: str, media_id: str, recognition: str | None, create_time: int) -> str:
    """A voice message as WeChat pushes it (``Recognition`` only when speech recognition is on and worked)."""
    heard = f"<Recognition><![CDATA[{recognition}]]></Recognition>" if recognition is not None else ""
    return (f"<xml><ToUserName><![CDATA[gh_school]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
            f"<MediaId><![CDATA[{media_id}]]></MediaId><Format><![CDATA[amr]]></Format>{heard}"
            f"<MsgId>{next(_voice_ids)}</MsgId></xml>")


async def _voice(school: School, key: str, media_id: str, recognition: str | None) -> str:
    xml = voice_xml(f"wx-{key}", media_id, recognition, int(school.clock.now().timestamp()))
    query, body = school.tencent["wechat"].push(xml)
    answer = await school.client.post("/wechat/callback", params=query, content=body)
    assert answer.status_code == 200
    return school.tencent["wechat"].open(answer.text)["Content"]


async def test_the_grandfathers_words_reach_the_class_teacher_who_answers_with_the_number(uow_factory, clock):
    school = _school(uow_factory, clock)
    async with school.client:
        grandfather, wang = school.writer("zhangqiang"), school.writer("wang")
        told = await grandfather(FEVER)
        assert told == "谢谢。您关于杨秀云的留言已转给王老师（班主任），老师看到后会在这里回复您。"
        await school.tick()
        [passed] = school.received("wang")
        assert passed.startswith(f"张强（杨秀云的外祖父，一年级（1）班）留言：\n“{FEVER}”\n电话：138 0013 6956")
        assert "1. 回复" in passed
        ask = await wang("1")
        assert ask.startswith("请写下给张强的回复（关于杨秀云）：")
        assert await wang("我下午去家里看看孩子。") == "已发送给张强。"
        await school.tick()
        [answer] = school.received("zhangqiang")
        assert answer.startswith("王老师（杨秀云的班主任）回复了您的留言：\n“我下午去家里看看孩子。”")


async def test_a_voice_message_is_passed_on_as_its_transcript_or_as_the_voice_note(uow_factory, clock):
    school = _school(uow_factory, clock)
    async with school.client:
        told = await _voice(school, "zhangqiang", "MEDIA-1", "孩子咳嗽得厉害。")
        assert told.startswith("谢谢。您关于杨秀云的留言已转给王老师")
        await school.tick()
        [transcript] = school.received("wang")
        assert transcript.startswith("张强（杨秀云的外祖父，一年级（1）班）留言：\n“孩子咳嗽得厉害。”")
    # Without a transcript the channel saves the voice note (bot.handlers.wechat.media) and hands it over as media.
    reply = school.flows.handle(Inbound(channel="wechat", account_id="wx-zhangqiang", text="",
                                        media=(("voice", "voice/2026/xyz.amr"),)))
    assert [p.message_id for p in reply.prompts][0].startswith("Thank you. Your message about {child}")
    voice = "{name} ({relation} of {child}, {class_name}) sent this voice message or photo."
    [queued] = [q for q in _queued(uow_factory) if q.payload["message_id"] == voice]
    assert queued.payload["media"] == [["voice", "voice/2026/xyz.amr"]] and queued.person_id == school.world.wang
    with uow_factory() as uow:
        kept = uow.session.execute(select(FamilyMessage.body, FamilyMessage.voice_media_id, FamilyMessage.channel)
                                   .order_by(FamilyMessage.id)).all()
    assert [tuple(row) for row in kept] == [
        ("孩子咳嗽得厉害。", None, "wechat"), (None, "voice/2026/xyz.amr", "wechat")]


def _queued(uow_factory):
    with uow_factory() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        uow.session.expunge_all()
        return rows


async def test_a_guardians_ok_is_thanked_and_a_teachers_cancelled_reply_asks_the_message_again(uow_factory, clock):
    school = _school(uow_factory, clock)
    async with school.client:
        grandfather, wang = school.writer("zhangqiang"), school.writer("wang")
        assert await grandfather("好的") == "好的，谢谢！目前没有需要您回答的问题。"
        await school.tick()
        assert school.received("wang") == []

        await grandfather(FEVER)
        await school.tick()
        [passed] = school.received("wang")
        assert (await wang("1")).startswith("请写下给张强的回复（关于杨秀云）：")
        cancelled = await wang("取消")
        assert cancelled.startswith("已取消，没有发送任何内容给张强。\n")
        assert "还在等您回答：" in cancelled and passed in cancelled  # the message again, its Reply numbered 1
        assert (await wang("1")).startswith("请写下给张强的回复（关于杨秀云）：")
        assert await wang("我下午去家里看看孩子。") == "已发送给张强。"
    with uow_factory() as uow:
        kept = uow.session.execute(select(FamilyMessage.kind, FamilyMessage.body).order_by(FamilyMessage.id)).all()
    assert [tuple(row) for row in kept] == [("message", FEVER), ("answer", "我下午去家里看看孩子。")]
