"""Letters (亲情书信, issue 8 item 4) in chat: a teacher sends the photos, the parents get them and reply.

Photos are refs of the media store (the channel saved them); the outbox
carries the refs to each parent's channel. Other questions wait in the same
chats: the teacher's programme reminder, the mother's check-in-like numbers.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.adapters.media_files import FileMediaStore, MediaRefError
from bot.config import Settings
from bot.domain.enums import Channel, RelationKind, Role
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.services import letters
from bot.services.delivery import drain_outbox
from bot.store.models import Letter, LetterReply, Person
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        helper = b.person("李老师", Role.HELPER_TEACHER)
        guardian = b.person("张奶奶", Role.GUARDIAN)
        mother = b.person("张妈妈", Role.PARENT)
        father = b.person("张爸爸", Role.PARENT, locale="en")
        klass = b.klass("三(1)班", teacher=teacher)
        child = b.child("张小明", "S001", klass)
        b.child("李小红", "S002", klass)
        for kind, who in ((RelationKind.ENTRUSTED_GUARDIAN, guardian), (RelationKind.MOTHER, mother),
                          (RelationKind.FATHER, father), (RelationKind.HELPER_TEACHER, helper)):
            b.relate(child, kind, who)
        b.account(teacher, "tg-teacher")
        b.account(helper, "tg-helper")
        b.account(guardian, "tg-grandma")
        b.account(mother, "wx-mother", channel=Channel.WECHAT.value)
        b.account(father, "tg-father")
        uow.commit()
    return {"teacher": teacher, "helper": helper, "mother": mother, "father": father, "child": child}


def _drain(uow_factory, clock, wechat, telegram):
    asyncio.run(drain_outbox(uow_factory, {"wechat": wechat, "telegram": telegram}, now=clock.now(),
                             settings=SETTINGS))


def test_a_letter_reaches_both_parents_and_their_replies_reach_the_teacher(uow_factory, clock, world,
                                                                           tmp_path) -> None:
    store = FileMediaStore(tmp_path / "media")
    page1, page2 = store.save(b"jpeg-1", ".jpg"), store.save(b"jpeg-2", ".jpg")
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    helper = Chat(flows, "tg-helper")
    helper.send_media(("photo", page1))
    assert "收到 1 张书信照片。这是哪个孩子的信" in helper.text
    assert [label for label, _ in helper.choices] == ["张小明（三(1)班）", "取消"]  # the helper's pairing only
    helper.send_media(("photo", page2))  # the second page of the album
    assert "收到 2 张书信照片" in helper.text
    helper.send("李小红")
    assert "没有找到名叫李小红的孩子" in helper.text
    helper.send("张小明")
    assert "把张小明的信（2 张照片）发给张妈妈、张爸爸吗？" in helper.text
    helper.tap("发送")
    assert "张小明的信已发给 2 位家长" in helper.text

    _drain(uow_factory, clock, wechat, telegram)
    (to_mother,), (to_father,) = wechat.to("wx-mother"), telegram.to("tg-father")
    assert to_mother.prompt.media == (("photo", page1), ("photo", page2)) == to_father.prompt.media
    assert render(to_mother.prompt, "zh_Hans").text == "青山村小学：张小明在学校给您写了一封信，由李老师寄出。"
    assert render(to_father.prompt, "en").choices[0][0] == "Reply to 张小明"
    with uow_factory() as uow:
        letter_id = uow.session.scalars(select(Letter.id)).one()
        assert letters.delivered(uow, letter_id) == 2

    mother = Chat(flows, "wx-mother", channel=Channel.WECHAT.value)
    mother.send(str(to_mother.prompt.first_number))  # "给张小明回信" by its number
    assert "请写下给张小明的回信" in mother.text
    mother.send("报告 宝贝，妈妈过年就回来！")  # prose: a keyword at the start is just words here
    assert "您的回信已转给班主任" in mother.text
    voice = store.save(b"ogg", ".ogg")
    Chat(flows, "tg-father").send_media(("voice", voice))  # no button: it answers his latest letter
    _drain(uow_factory, clock, wechat, telegram)
    to_teacher = telegram.to("tg-teacher")
    assert [render(s.prompt, "zh_Hans").text for s in to_teacher] == [
        "张妈妈（母亲）给张小明回信了，请读给张小明听：\n“报告 宝贝，妈妈过年就回来！”",
        "张爸爸（父亲）给张小明回信了，请读给张小明听：",
    ]
    assert to_teacher[1].prompt.media == (("voice", voice),)
    assert len(telegram.to("tg-helper")) == 2  # the teacher who sent the letter hears the replies too
    with uow_factory() as uow:
        assert len(uow.session.scalars(select(LetterReply)).all()) == 2


def test_a_guardians_photo_is_not_a_letter_and_refs_stay_in_the_folder(uow_factory, clock, world, tmp_path) -> None:
    store = FileMediaStore(tmp_path / "media")
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    grandma = Chat(flows, "tg-grandma")
    grandma.send_media(("photo", store.save(b"x", ".jpg")))
    assert "我可以转交孩子书信的照片" in grandma.text
    Chat(flows, "tg-stranger").send_media(("photo", store.save(b"x", ".jpg")))
    for bad in ("../etc/passwd", "2026-12/../../x.jpg", "2026-12/" + "a" * 32 + ".exe"):
        with pytest.raises(MediaRefError):
            store.path(bad)


def test_an_english_teacher_reads_one_photo_two_photos_and_two_parents(uow_factory, clock, world, tmp_path) -> None:
    # The Chinese words are the first test's; English counts read "1 photo" and "2 photos", never "photo(s)".
    with uow_factory() as uow:
        uow.session.get(Person, world["helper"]).locale = "en"
        uow.commit()
    store = FileMediaStore(tmp_path / "media")
    helper = Chat(FlowRunner(uow_factory, clock, SETTINGS), "tg-helper")
    helper.send_media(("photo", store.save(b"jpeg-1", ".jpg")))
    assert helper.text.startswith("1 photo of a letter. Whose letter is it?")
    helper.send_media(("photo", store.save(b"jpeg-2", ".jpg")))
    assert helper.text.startswith("2 photos of a letter. Whose letter is it?")
    helper.send("张小明")
    assert "Send 2 photos of 张小明's letter to 张妈妈, 张爸爸?" in helper.text
    helper.tap("Send")
    assert "张小明's letter is on its way to 2 parents." in helper.text
