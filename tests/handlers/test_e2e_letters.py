"""A letter photographed on Telegram reaches a mother on WeChat; her reply reaches the teacher (issue 8 item 4).

End to end through both doubles: the real python-telegram-bot polls the Bot
API double (the photo is fetched with getFile and the file URL); the drain's
WeChatSender uploads the photo to the WeChat API double and sends it as an
image message; the mother answers over signed XML through the real callback
(her photo fetched with media/get); the teacher gets her words and photo on
Telegram. Photos are files in the media folder, never in the logs.
"""

from __future__ import annotations

import functools
from datetime import timedelta

import httpx
from sqlalchemy import select

from bot.adapters.media_files import FileMediaStore
from bot.config import Settings
from bot.domain.enums import Channel, RelationKind, Role
from bot.handlers.wechat.inbound import WeChatCallback
from bot.handlers.wechat.media import fetch_media
from bot.handlers.wechat.senders import WeChatSender
from bot.services.delivery import drain_outbox
from bot.store.models import Letter, LetterReply
from bot.web.app import create_app
from tests.support.e2e import button, running_bot
from tests.support.school import SchoolBuilder
from tests.support.wechat_api_double import APP_ID, APP_SECRET
from tests.support.wechat_double import SendRecorder, Tencent, configs, text_xml

TEACHER = 8_100_000_000_101
MOTHER = "o-mother-openid"
PAGE = b"\xff\xd8\xff\xe0 a photographed letter page"
CS = "/cgi-bin/message/custom/send"


def _school(uow_factory, now) -> dict[str, int]:
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        mother = b.person("张妈妈", Role.PARENT)
        child = b.child("张小明", "S001", b.klass("三(1)班", teacher=teacher))
        b.relate(child, RelationKind.MOTHER, mother)
        b.account(teacher, str(TEACHER))
        b.account(mother, MOTHER, channel=Channel.WECHAT.value, last_seen_at=now - timedelta(hours=1))
        uow.commit()
    return {"teacher": teacher, "mother": mother, "child": child}


def image_xml(sender: str, media_id: str, msg_id: int, create_time: int) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_school]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            f"<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[{media_id}]]></MediaId>"
            f"<MsgId>{msg_id}</MsgId></xml>")


async def test_a_letter_on_telegram_reaches_a_mother_on_wechat_and_her_reply_reaches_the_teacher(
        botapi, wxapi, database_url, clock, tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("GUANAI_MEDIA_DIR", str(tmp_path / "media"))
    store = FileMediaStore(tmp_path / "media")
    settings = Settings(database_url=database_url, wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
                        wechat_api_url=wxapi.url, media_dir=str(tmp_path / "media"))
    async with running_bot(botapi, database_url, clock) as bot, httpx.AsyncClient() as http:
        _school(bot.uow, clock.now())
        senders = {"telegram": bot.senders["telegram"],
                   "wechat": WeChatSender(settings, bot.uow, clock, http=http, media=store)}

        botapi.queue_update(botapi.photo_update(TEACHER, PAGE, caption="给妈妈的信"))
        [ask] = await bot.replies(TEACHER, 1)
        assert ask.text.startswith("收到 1 张书信照片。这是哪个孩子的信？")
        [confirm] = await bot.press(TEACHER, button(ask, "张小明（三(1)班）"), 1)
        assert confirm.text == "把张小明的信（1 张照片）发给张妈妈吗？"
        [sent] = await bot.press(TEACHER, button(confirm, "发送"), 1)
        assert sent.text.startswith("张小明的信已发给 1 位家长")

        await drain_outbox(bot.uow, senders, now=clock.now(), settings=settings)
        image, words = wxapi.delivered(CS)
        assert image["msgtype"] == "image" and wxapi.media[image["image"]["media_id"]] == PAGE
        assert words["text"]["content"].startswith("青山村小学：张小明在学校给您写了一封信，由王老师寄出。")
        assert "1. 给张小明回信" in words["text"]["content"]

        callback = WeChatCallback(configs()["wechat"], bot.flows, bot.uow, clock, settings, send_text=SendRecorder(),
                                  fetch_media=functools.partial(fetch_media, settings, bot.uow, store, clock=clock))
        tencent = Tencent(configs()["wechat"], clock)
        app = create_app(bot.container.engine, wechat_callbacks={"wechat": callback})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://guanai.test") as wx:
            async def push(xml: str) -> str:
                query, body = tencent.push(xml)
                answer = await wx.post("/wechat/callback", params=query, content=body)
                return tencent.open(answer.text)["Content"]

            stamp = int(clock.now().timestamp())
            assert "请写下给张小明的回信" in await push(text_xml(MOTHER, "1", 90001, create_time=stamp))
            assert "您的回信已转给班主任" in await push(text_xml(MOTHER, "宝贝，妈妈想你！", 90002, create_time=stamp))
            wxapi.media["IN-1"] = b"\xff\xd8 a photo of mother's workplace"
            assert "您的回信已转给班主任" in await push(image_xml(MOTHER, "IN-1", 90003, stamp))

        botapi.take_sent()
        await drain_outbox(bot.uow, senders, now=clock.now(), settings=settings)
        to_teacher = [m for m in botapi.sent if m.chat_id == TEACHER]
        texts = [m.text for m in to_teacher if m.method == "sendMessage"]
        assert texts[-2:] == ["张妈妈（母亲）给张小明回信了，请读给张小明听：\n“宝贝，妈妈想你！”",
                              "张妈妈（母亲）给张小明回信了，请读给张小明听："]
        assert [(m, c, d) for m, c, _name, d in botapi.files] == [
            ("sendPhoto", TEACHER, b"\xff\xd8 a photo of mother's workplace")]
        with bot.uow() as uow:
            letter = uow.session.scalars(select(Letter)).one()
            ref = letter.photos[0]
            assert store.load(ref) == PAGE and letter.recipients == 1
            assert len(uow.session.scalars(select(LetterReply)).all()) == 2
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "宝贝" not in logged and ref not in logged
