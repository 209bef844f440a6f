"""Consent (issue 10, item 1; PIPL art. 31), end to end on Telegram, as the family and the school would act.

A grandfather binds and is shown the privacy notice with one question; until
he agrees the class teacher can keep no talk record and no check-in goes to
him. A decline keeps only the name and class and tells the school; a
withdrawal from ``/privacy`` is confirmed with the word (never a number),
stops the open check-in at once and tells the school.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.privacy import NOTICE_VERSION
from bot.services.invites import create_invite
from bot.store.models import Checkin, Consent, OutboxMessage, Person
from tests.support.botapi_double import BotApiDouble
from tests.support.e2e import FRIDAY_18, E2EBot, button, friday_checkin, labels, running_bot, running_school, to_chat
from tests.support.school import TG, chain_school


def invite(bot: E2EBot, query: str) -> str:
    with bot.uow() as uow:
        code = create_invite(uow, query=query, now=bot.container.clock.now(), ttl=timedelta(hours=72)).code
        uow.commit()
    return code


def consents(bot: E2EBot, child_id: int) -> list[tuple[str, int | None, str, str, list[str]]]:
    with bot.uow() as uow:
        rows = uow.session.scalars(select(Consent).where(Consent.child_id == child_id).order_by(Consent.id)).all()
        return [(r.decision, r.person_id, r.channel, r.notice_version, r.scope) for r in rows]


async def test_a_grandfather_binds_reads_the_notice_and_agrees_then_the_talk_can_be_kept(
    botapi: BotApiDouble, database_url: str, clock
) -> None:
    async with running_school(botapi, database_url, clock, unbound=("grandpa",), consent=False) as bot:
        school = bot.school

        # Before any answer the class teacher can keep no talk record, and is told why and what to do.
        (refused,) = await bot.say(TG["li"], "/talk 张三", 1)
        assert refused.text.startswith("张三的监护人尚未同意隐私告知，因此不能保存谈心记录。")
        assert "/incident 张三" in refused.text

        code = invite(bot, "张爷爷")
        welcome, _help, notice, question = await bot.say(TG["grandpa"], f"/start {code}", 4)
        assert welcome.text.startswith("欢迎您，张爷爷！")
        lines = notice.text.splitlines()
        assert lines[0] == f"隐私告知（版本{NOTICE_VERSION}）"
        assert any(line.startswith("保存哪些信息：") for line in lines)
        assert any(line.startswith("谁能看到：") for line in lines)
        assert any(line.startswith("保存多久：谈心记录保存至孩子离校后3年") for line in lines)
        assert lines[-1] == "如有疑问请联系：青山村小学 周校长。"  # the school's designated contact
        assert question.text == "您是否同意学校保存和使用张三的上述记录？"
        assert labels(question) == ["同意", "不同意"]

        clock.advance(timedelta(minutes=2))
        (thanks,) = await bot.press(TG["grandpa"], button(question, "同意"), 1)
        assert thanks.text.startswith("谢谢。已记录您对张三的同意（")
        assert consents(bot, school.zhang_san) == [
            ("granted", school.people["grandpa"], "telegram", NOTICE_VERSION, ["care_records", "family_messages"])]

        (mood,) = await bot.say(TG["li"], "/talk 张三", 1)
        assert mood.text == "与张三谈心。孩子的情绪怎么样？"
        # Asked once: /start again greets without asking again.
        greet, _help = await bot.say(TG["grandpa"], "/start", 2)
        assert greet.text.startswith("您好，张爷爷")


async def test_a_decline_keeps_only_name_and_class_tells_the_school_and_sends_no_checkin(
    botapi: BotApiDouble, database_url: str, clock
) -> None:
    async with running_school(botapi, database_url, clock, unbound=("grandpa",), consent=False) as bot:
        school = bot.school
        code = invite(bot, "张爷爷")
        *_, question = await bot.say(TG["grandpa"], f"/start {code}", 4)
        # A number answers like a tap (WeChat users type them too): 2 is "不同意".
        (answer,) = await bot.say(TG["grandpa"], "2", 1)
        assert answer.text.startswith("已记录您的选择：只保存张三的姓名和班级，不再发送每周联系。学校已收到通知。")
        assert [c[0] for c in consents(bot, school.zhang_san)] == ["declined"]

        await bot.tick()
        sent = botapi.take_sent()
        for who in ("li", "admin"):  # the class teacher and the principal hear of it
            (note,) = to_chat(sent, TG[who])
            assert note.text.startswith("张爷爷不同意张三（三年级1班）的隐私告知。只保存姓名和班级")

        clock.set(FRIDAY_18)  # the check-in moment: nothing goes to the grandfather
        await bot.tick()
        assert to_chat(botapi.take_sent(), TG["grandpa"]) == []
        with bot.uow() as uow:
            assert uow.session.scalars(select(Checkin).where(Checkin.child_id == school.zhang_san)).all() == []

        # /privacy shows the notice again, his choice, and lets him agree later.
        notice, mine = await bot.say(TG["grandpa"], "/privacy", 2)
        assert notice.text.startswith("隐私告知")
        assert mine.text.splitlines() == ["您的孩子：", "· 张三：不同意"]
        assert labels(mine) == ["同意", "关闭"]

        # The principal's /privacy shows the notice and the school's consent rate (李四's form is on file).
        _notice, rate = await bot.say(TG["admin"], "/privacy", 2)
        assert rate.text == "全校2名儿童中已有1名取得监护人同意（50%）。"


async def test_withdrawing_from_privacy_is_confirmed_by_the_word_and_stops_the_open_checkin(
    botapi: BotApiDouble, database_url: str, clock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())  # the school holds the signed paper form
        checkin = await friday_checkin(bot, clock, TG["grandpa"])
        assert "张三" in checkin.text

        _notice, mine = await bot.say(TG["grandpa"], "隐私", 2)
        assert mine.text.splitlines() == ["您的孩子：", "· 张三：已同意"]
        (confirm,) = await bot.press(TG["grandpa"], button(mine, "撤回同意"), 1)
        assert confirm.text.startswith("确定撤回对张三的同意吗？")
        # Irreversible: a bare number does not withdraw.
        (refused, again) = await bot.say(TG["grandpa"], "1", 2)
        assert "撤回同意" in refused.text and again.text == confirm.text
        (done,) = await bot.press(TG["grandpa"], button(again, "撤回同意"), 1)
        assert done.text.startswith("您对张三的同意已撤回。")
        assert [c[0] for c in consents(bot, school.zhang_san)] == ["granted", "withdrawn"]

        with bot.uow() as uow:
            (row,) = uow.session.scalars(select(Checkin).where(Checkin.child_id == school.zhang_san)).all()
            assert row.cancelled_at is not None
        clock.advance(timedelta(hours=49))  # the reminder would be due now: it is not sent
        await bot.tick()
        sent = botapi.take_sent()
        assert to_chat(sent, TG["grandpa"]) == []
        (told,) = [m.text for m in to_chat(sent, TG["li"]) if "撤回" in m.text]
        assert told.startswith("张爷爷撤回了对张三（三年级1班）的同意。关于孩子的消息已停止")
        with bot.uow() as uow:
            pending = uow.session.scalars(select(OutboxMessage.key).where(
                OutboxMessage.person_id == school.people["grandpa"], OutboxMessage.sent_at.is_(None),
                OutboxMessage.cancelled_at.is_(None))).all()
            assert pending == []


async def test_the_notice_is_in_the_guardians_language(botapi: BotApiDouble, database_url: str, clock) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now(), unbound=("father",), consent=False)
        with bot.uow() as uow:
            uow.session.get(Person, school.people["father"]).locale = "en"
            uow.commit()
        code = invite(bot, "张爸爸")
        _welcome, _help, notice, question = await bot.say(TG["father"], f"/start {code}", 4)
        assert notice.text.splitlines()[0] == f"Privacy notice (version {NOTICE_VERSION})"
        assert "How long: talk records until the child leaves the school plus 3 years" in notice.text
        assert question.text == "Do you agree that the school keeps and uses these records about 张三?"
        assert labels(question) == ["Agree", "Decline"]
