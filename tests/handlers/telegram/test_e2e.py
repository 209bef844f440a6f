"""End to end on Telegram (issue 2, "How it is checked").

The real python-telegram-bot polls the local Bot API double; updates go
through the real flow runner and services into the database; scheduled
messages leave through the real outbox drain and ``TelegramSender``. Time is a
manual clock: a test moves it and awaits a scheduler tick itself. Every
assertion is about what a person sees in their chat (the texts and buttons the
double received, in Chinese, the school's language) or what is in the
database. Runs on SQLite and, with ``GUANAI_TEST_POSTGRES_URL``, on PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import bootstrap
from bot.cli import main
from bot.domain.clock import ManualClock
from bot.services.invites import create_invite
from bot.store.db import make_engine
from bot.store.models import (
    Base,
    ChatAccount,
    Checkin,
    Conversation,
    Incident,
    IncidentEvent,
    IncidentStep,
    Invite,
    OutboxMessage,
    ProcessedUpdate,
    TalkRecord,
    Task,
)
from bot.store.schema import prepare_database
from tests.support.botapi_double import BOT_USERNAME, BotApiDouble
from tests.support.e2e import FRIDAY_18, E2EBot, button, friday_checkin, labels, running_bot, running_school, to_chat
from tests.support.school import TG, chain_school

MONDAY_9 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 in Asia/Shanghai: the `clock` fixture's start


# --- 1. a teacher binds with an invite and logs a talk --------------------------------------------------


async def test_teacher_binds_with_an_invite_and_logs_a_talk_with_the_buttons(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now(), unbound=("li",))
        with bot.uow() as uow:
            code = create_invite(uow, query="李老师", now=clock.now(), ttl=timedelta(hours=72)).code
            uow.commit()
        li = TG["li"]

        # Before binding, the bot does nothing for this chat but explain how to bind.
        [refused] = await bot.say(li, "/talk 张三", 1)
        assert "邀请码" in refused.text

        greeting, help_list = await bot.say(li, f"/start {code}", 2)
        assert greeting.text == "欢迎您，李老师！本聊天已绑定到您的身份：班主任。"
        assert "/talk" in help_list.text and "/incident" in help_list.text

        [mood] = await bot.say(li, "/talk 张三", 1)
        assert mood.text == "与张三谈心。孩子的情绪怎么样？"
        assert labels(mood) == ["好", "一般", "较差"]
        [study] = await bot.press(li, button(mood, "好"), 1)
        assert study.text == "张三的学习情况怎么样？"
        [daily] = await bot.press(li, button(study, "一般"), 1)
        assert daily.text == "张三的生活情况（饮食、睡眠、卫生）怎么样？"
        [safety] = await bot.press(li, button(daily, "好"), 1)
        assert safety.text == "张三有安全隐患吗？" and labels(safety) == ["没有", "有"]  # the harmless one first
        [note] = await bot.press(li, button(safety, "没有"), 1)
        assert note.text == "请简单记录与张三的谈心内容，或选择“跳过”。" and labels(note) == ["跳过"]
        [follow_up] = await bot.say(li, "孩子想念在外地打工的妈妈，<周末>常常哭 & 不爱说话。", 1)
        assert follow_up.text == "张三需要后续跟进吗？"
        assert labels(follow_up) == ["不需要跟进", "需要跟进：给我加一项跟进任务"]  # the harmless one first
        [summary] = await bot.press(li, button(follow_up, "需要跟进：给我加一项跟进任务"), 1)
        assert summary.text.splitlines() == [
            "与张三的谈心——请核对后保存：",
            "计入：张三班主任本月的每月谈心",
            "情绪：好",
            "学习：一般",
            "生活：好",
            "安全隐患：没有",
            # The teacher's own words come back escaped for Telegram's HTML.
            "记录：孩子想念在外地打工的妈妈，&lt;周末&gt;常常哭 &amp; 不爱说话。",
            "需要跟进：是",
        ]
        assert labels(summary) == ["保存", "重新填写", "取消"]
        saved, task_note = await bot.press(li, button(summary, "保存"), 2)
        assert saved.text == "已保存：与张三的谈心记录。\n计入：张三班主任本月的每月谈心"  # which talk owed (fix6ac)
        assert task_note.text == "已为您添加一项跟进任务。"

        with bot.uow() as uow:
            s = uow.session
            account = s.scalar(select(ChatAccount).where(ChatAccount.account_id == str(li)))
            assert account is not None and account.person_id == school.li
            assert s.scalar(select(Invite.used_at).where(Invite.person_id == school.li)) == clock.now()
            [record] = s.scalars(select(TalkRecord)).all()
            assert (record.child_id, record.author_id, record.kind, record.period) == (
                school.zhang_san, school.li, "class_teacher_monthly", "2026-11")
            assert (record.mood, record.study, record.daily_life) == ("good", "fair", "good")
            assert record.safety_concern is False and record.follow_up is True
            assert record.note == "孩子想念在外地打工的妈妈，<周末>常常哭 & 不爱说话。"
            assert s.scalar(select(Task.kind).where(Task.assignee_id == school.li)) == "talk_follow_up"
        assert botapi.take_sent() == []


async def test_the_link_printed_by_guanai_invite_binds_the_telegram_chat(
    botapi: BotApiDouble, database_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `guanai invite` migrates the database itself: start from an empty one, as an admin would.
    engine = make_engine(database_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
    engine.dispose()
    prepare_database(database_url)
    monkeypatch.setenv("GUANAI_DATABASE_URL", database_url)
    monkeypatch.setenv("GUANAI_DEFAULT_LOCALE", "zh_Hans")
    monkeypatch.setenv("GUANAI_TELEGRAM_BOT_USERNAME", BOT_USERNAME)
    monkeypatch.setattr(bootstrap, "SystemClock", lambda: clock)  # the command's clock is the test's

    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now(), unbound=("grandpa",))
        assert main(["invite", "张爷爷"]) == 0
        printed = capsys.readouterr().out
        [code] = re.findall(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)", printed)

        # Opening the deep link makes Telegram send "/start <code>".
        greeting, _help = await bot.say(TG["grandpa"], f"/start {code}", 2)
        assert greeting.text == "欢迎您，张爷爷！本聊天已绑定到您的身份：委托监护人。"
        # The code works once: another chat cannot use it.
        [used] = await bot.say(TG["father"], f"/start {code}", 1)
        assert used.text == "这个邀请码已经用过了，请向学校索取新的邀请码。"
        with bot.uow() as uow:
            account = uow.session.scalar(select(ChatAccount).where(ChatAccount.account_id == str(TG["grandpa"])))
            assert account is not None and account.person_id == school.grandpa


# --- 2. a guardian answers the weekly check-in -----------------------------------------------------------


async def test_guardian_answers_the_check_in_and_the_helper_teacher_hears_at_once(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        grandpa, chen = TG["grandpa"], TG["chen"]

        await bot.tick()  # Monday: no check-in yet (the teachers get their morning digest)
        assert to_chat(botapi.take_sent(), grandpa) == []

        clock.set(FRIDAY_18 - timedelta(minutes=1))
        await bot.tick()
        assert to_chat(botapi.take_sent(), grandpa) == []

        question = await friday_checkin(bot, clock, grandpa)
        assert question.text == "张三这周过得怎么样？"
        assert labels(question) == ["很好", "一般", "需要帮助"]
        with bot.uow() as uow:
            [checkin] = uow.session.scalars(select(Checkin)).all()
            assert (checkin.child_id, checkin.guardian_id, checkin.period) == (
                school.zhang_san, school.grandpa, "2026-W49")
            assert checkin.answered_at is None
            checkin_id = checkin.id
        assert [data for row in question.buttons() for _, data in row] == [
            f"ci:{checkin_id}:g", f"ci:{checkin_id}:s", f"ci:{checkin_id}:h"]

        clock.advance(timedelta(minutes=3))
        thanks, kind = await bot.press(grandpa, button(question, "需要帮助"), 2)
        assert thanks.text == "谢谢！已记录：张三这周需要帮助。\n已通知帮扶老师，老师会尽快联系您。"
        assert kind.text == "张三需要哪方面的帮助？" and "身体健康" in labels(kind)

        await bot.tick()  # the very next tick: the helper teacher is told
        [help_message] = botapi.take_sent()
        assert help_message.chat_id == chen
        assert help_message.text == "张三的监护人张爷爷在每周联系中选择了“需要帮助”。请尽快联系：139 0000 0001。"

        # The follow-up: what kind of help and a few words, passed on to the helper teacher.
        [note_question] = await bot.press(grandpa, button(kind, "身体健康"), 1)
        assert labels(note_question) == ["跳过", "改一下"]
        [done] = await bot.say(grandpa, "腿疼，走路不方便", 1)
        assert done.text == ("谢谢。您关于张三的留言已转给李老师（班主任），老师看到后会在这里回复您。\n"
                             "会联系您的帮扶教师陈老师也已收到。")
        await bot.tick()
        sent = botapi.take_sent()
        [note_message] = [m for m in sent if m.chat_id == chen]
        [passed] = [m for m in sent if m.chat_id != chen]  # the class teacher's copy, which she can answer
        assert passed.text.startswith("张爷爷（张三的委托监护人，三年级1班）留言：\n“腿疼，走路不方便”")
        assert note_message.text == "张爷爷（张三的监护人）需要的帮助：身体健康。补充：腿疼，走路不方便"

        # A second tap on the question changes nothing: the first answer stands.
        [again] = await bot.press(grandpa, button(question, "很好"), 1)
        assert again.text == "您已经回答过本周的联系了，以第一次回答为准。"

        with bot.uow() as uow:
            s = uow.session
            checkin = s.get(Checkin, checkin_id)
            assert checkin.answer == "needs_help"
            assert checkin.answered_at == FRIDAY_18 + timedelta(minutes=3)
            assert "腿疼，走路不方便" in checkin.follow_up_text
            [task] = s.scalars(select(Task)).all()
            assert (task.kind, task.assignee_id, task.about_person_id) == ("help_request", school.chen, school.grandpa)
        await bot.tick()
        assert botapi.take_sent() == []


# --- 3. an incident reaches guardian, parents and officials on time --------------------------------------


async def report_incident(bot: E2EBot, teacher: int, description: str) -> tuple[int, list]:
    """``/incident 张三`` through the buttons: injury, emergency, the description, Report now.

    Returns:
        the incident id and the messages the teacher received after "Report now".
    """
    [kind] = await bot.say(teacher, "/incident 张三", 1)
    assert kind.text == "关于张三的突发事件：发生了什么？"
    assert labels(kind) == ["受伤", "生病", "走失", "欺凌", "疑似虐待或忽视（成人所为）", "其他"]
    [severity] = await bot.press(teacher, button(kind, "受伤"), 1)
    assert severity.text == "张三的情况有多严重？" and labels(severity) == ["紧急", "一般"]
    [describe] = await bot.press(teacher, button(severity, "紧急"), 1)
    assert describe.text == "请简要描述张三的情况（地点、时间、已采取的措施）。"
    [confirm] = await bot.say(teacher, description, 1)
    assert confirm.text.splitlines()[0] == "确认报告关于张三的突发事件吗？"
    assert labels(confirm) == ["立即报告", "排除某人", "取消"]
    reported = await bot.press(teacher, button(confirm, "立即报告"), 1)
    assert reported[0].text == "已报告。已开始按联系链通知相关人员；有人确认后会通知您。"
    with bot.uow() as uow:
        incident_id = uow.session.scalar(select(func.max(Incident.id)))
    return incident_id, reported


def _by_chat(messages: list) -> dict[int, list[str]]:
    chats: dict[int, list[str]] = {}
    for m in messages:
        chats.setdefault(m.chat_id, []).append(m.text)
    return chats


async def test_incident_reaches_guardian_parents_and_officials_on_time(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        await bot.tick()  # the morning digests go out first, out of the way
        botapi.take_sent()
        li, grandpa, father, mother = TG["li"], TG["grandpa"], TG["father"], TG["mother"]
        bureau, town = TG["bureau"], TG["town"]
        reported_at = clock.now()

        incident_id, _ = await report_incident(bot, li, "课间在操场摔倒，右臂疼痛，已送镇卫生院。")
        await bot.tick()
        [alert] = botapi.take_sent()
        assert alert.chat_id == grandpa
        assert alert.text.startswith(
            "突发事件：张三（三年级1班），受伤，紧急。\n课间在操场摔倒，右臂疼痛，已送镇卫生院。\n报告人：李老师")
        # The deadline as the clock time, what to do, and whom to phone back (issue 6, item 5).
        assert alert.text.endswith("请于2026年11月30日 09:30前确认收到。")
        assert "您需要做的：" in alert.text and "联系报告人李老师：138 0000 0001" in alert.text
        assert alert.buttons() == [[("确认收到", f"ack:{incident_id}")]]

        clock.advance(timedelta(minutes=10))
        await bot.tick()
        [reminder] = botapi.take_sent()
        assert reminder.chat_id == grandpa and reminder.text.startswith(
            "第1次提醒（首次通知已发出10分钟）：关于张三（三年级1班）的突发事件")
        assert button(reminder, "确认收到") == f"ack:{incident_id}"

        [thanks] = await bot.press(grandpa, button(alert, "确认收到"), 1)
        assert thanks.text == "谢谢：已记录您对张三事件通知的确认。"
        await bot.tick()  # the parents are told at once, not at the 30-minute mark; the reporter hears of it
        sent = _by_chat(botapi.take_sent())
        assert set(sent) == {father, mother, li}
        assert all(len(sent[p]) == 1 and sent[p][0].startswith("突发事件：张三") for p in (father, mother))
        assert sent[li] == ["张爷爷（委托监护人）已于2026年11月30日 09:10确认收到关于张三（三年级1班）的突发事件"
                            "（受伤，报告于2026年11月30日 09:00）。"]

        # Parents do not acknowledge: reminded every 10 minutes; the guardian hears nothing more.
        for minutes in (20, 30, 40, 50):
            clock.set(reported_at + timedelta(minutes=minutes))
            await bot.tick()
            sent = _by_chat(botapi.take_sent())
            assert set(sent) == {father, mother}, (minutes, sent)
            # Sent to the parents at 09:10: each reminder says which it is and how long ago (conv6m f).
            said = f"第{(minutes - 10) // 10}次提醒（首次通知已发出{minutes - 10}分钟）："
            assert all(len(t) == 1 and t[0].startswith(said) for t in sent.values())

        clock.set(reported_at + timedelta(minutes=60))
        await bot.tick()
        sent = _by_chat(botapi.take_sent())
        assert set(sent) == {bureau, town, li}, sent  # the admin hears only if the whole chain is missed
        for official in (bureau, town):
            [text] = sent[official]
            assert text.startswith("突发事件：张三（三年级1班），受伤，紧急。")
            assert "请于2026年11月30日 11:00前确认收到" in text
            assert "您需要做的" not in text
        for told in (li,):  # who was not reached, with the phone numbers: both parents in one message (fix6ae)
            assert sent[told] == [
                "未能按时联系到：以下人员在各自的期限前未确认关于张三（三年级1班）的突发事件"
                "（受伤，报告于2026年11月30日 09:00）：\n"
                "• 张爸爸（父亲，第2步），期限2026年11月30日 10:00：139 0000 0002\n"
                "• 张妈妈（母亲，第2步），期限2026年11月30日 10:00：139 0000 0003",
            ], sent[told]

        with bot.uow() as uow:
            steps = {(st.step_no, st.person_id): st for st in uow.session.scalars(
                select(IncidentStep).where(IncidentStep.incident_id == incident_id))}
            assert steps[1, school.grandpa].acknowledged_at == reported_at + timedelta(minutes=10)
            assert steps[1, school.grandpa].reminders_sent == 1
            assert steps[2, school.father].sent_at == reported_at + timedelta(minutes=10)
            assert steps[2, school.father].missed_at == reported_at + timedelta(minutes=60)
            assert steps[3, school.bureau].sent_at == reported_at + timedelta(minutes=60)


async def test_a_closed_incident_sends_nothing_more(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        li, grandpa = TG["li"], TG["grandpa"]
        reported_at = clock.now()

        incident_id, [reported] = await report_incident(bot, li, "放学路上与同学打架，额头擦伤。")
        await bot.tick()
        [alert] = botapi.take_sent()
        assert alert.chat_id == grandpa

        clock.advance(timedelta(minutes=5))
        # Closing asks for the outcome and a confirmation naming the child and the report time (issue 6, item 2).
        [outcome] = await bot.press(li, button(reported, "结束事件"), 1)
        assert outcome.text == ("结束关于张三（三年级1班）的突发事件（受伤，报告于2026年11月30日 09:00）之前，"
                                "请说明孩子现在的情况：")
        # "放学路上" (on the way home): at home comes first (fix6al); the teacher still picks what is true.
        assert labels(outcome) == [
            "孩子在家，安全", "已送诊所或医院", "孩子已找到", "孩子在学校，安全", "其他（请说明）"]
        [note] = await bot.press(li, button(outcome, "孩子在学校，安全"), 1)
        assert labels(note) == ["跳过"]
        [confirm] = await bot.say(li, "伤口已由校医处理，下午照常上课。", 1)
        assert confirm.text.splitlines() == [
            "确认结束关于张三（三年级1班）的突发事件（受伤，报告于2026年11月30日 09:00）吗？",
            "结果：孩子在学校，安全",
            "说明：伤口已由校医处理，下午照常上课。",
            "联系链上已收到通知的人都会收到这个结果。",
        ]
        assert labels(confirm) == ["确认结束", "暂不结束"]
        [closed] = await bot.press(li, button(confirm, "确认结束"), 1)
        assert closed.text == "事件已结束。联系链上收到过通知的人都会收到结果，不会再发送提醒。"
        await bot.tick()
        [notice] = botapi.take_sent()
        assert notice.chat_id == grandpa
        assert notice.text.splitlines() == [
            "关于张三（三年级1班）的突发事件（受伤，报告于2026年11月30日 09:00）已由李老师于2026年11月30日 09:05结束。"
            "结果：孩子在学校，安全。",
            "说明：伤口已由校医处理，下午照常上课。",
        ]

        for minutes in (10, 20, 30, 45, 60, 90, 120, 180):
            clock.set(reported_at + timedelta(minutes=minutes))
            await bot.tick()
            assert botapi.take_sent() == [], minutes

        # Its buttons say it is closed and change nothing.
        [late_ack] = await bot.press(grandpa, button(alert, "确认收到"), 1)
        assert late_ack.text == "此事件已结束。"
        [again] = await bot.press(li, button(reported, "结束事件"), 1)
        assert again.text == "此事件此前已结束。"
        with bot.uow() as uow:
            s = uow.session
            incident = s.get(Incident, incident_id)
            assert incident.status == "closed" and incident.closed_at == reported_at + timedelta(minutes=5)
            assert (incident.outcome, incident.outcome_note) == ("safe_at_school", "伤口已由校医处理，下午照常上课。")
            assert s.scalar(select(func.count()).select_from(IncidentStep).where(
                IncidentStep.incident_id == incident_id, IncidentStep.acknowledged_at.is_not(None))) == 0
            assert s.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.key.like(f"incident:{incident_id}:%"), OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None))) == 0
        await bot.tick()
        assert botapi.take_sent() == []


# --- 4. a restart in the middle of a flow; a redelivered update ------------------------------------------


async def test_a_restart_mid_talk_loses_nothing_and_a_redelivered_save_saves_once(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    li = TG["li"]
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        [mood] = await bot.say(li, "/talk 张三", 1)
        [study] = await bot.press(li, button(mood, "较差"), 1)
        study_press = botapi.callback_update(li, button(study, "一般"))
        botapi.queue_updates(study_press)
        [daily] = await bot.replies(li, 1)
        first_flows = bot.flows
    # The Application is stopped and the flow runner discarded: a process restart.

    clock.advance(timedelta(minutes=7))
    async with running_bot(botapi, database_url, clock) as bot:
        assert bot.flows is not first_flows
        # Telegram serves the study press again (as after a crash before it was confirmed): it is not
        # answered at all; and the buttons of the message sent before the restart carry on the card.
        botapi.queue_updates(study_press, botapi.callback_update(li, button(daily, "好")))
        [safety] = await bot.replies(li, 1)
        assert safety.text == "张三有安全隐患吗？"
        [note] = await bot.press(li, button(safety, "有"), 1)
        [follow_up] = await bot.press(li, button(note, "跳过"), 1)
        [summary] = await bot.press(li, button(follow_up, "不需要跟进"), 1)
        assert summary.text.splitlines()[2:] == [
            "情绪：较差", "学习：一般", "生活：好", "安全隐患：有", "记录：—", "需要跟进：否"]

        # Telegram serves the Save press twice (the same update_id): answered once, saved once.
        save = botapi.callback_update(li, button(summary, "保存"))
        botapi.queue_updates(save, save)
        [saved, offer] = await bot.replies(li, 2)
        assert saved.text == "已保存：与张三的谈心记录。\n计入：张三班主任本月的每月谈心"  # which talk owed (fix6ac)
        # A safety concern is never just "saved": the school's admin (no safeguarding lead here) is told,
        # and the teacher is offered to report an incident.
        assert offer.text.startswith("您记录了张三的安全隐患") and labels(offer) == ["报告突发事件", "暂不报告"]
        # Updates of one person are handled in order: once /me is answered, both presses were handled.
        # /me is information: the offer waiting is asked again after it, named as the question after the
        # saved talk — never as an unsaved talk (fix6ah).
        [me, back, again] = await bot.say(li, "/me", 3)
        assert "李老师" in me.text
        assert back.text == "回到与张三的谈心记录（已保存）之后的问题："
        assert labels(again) == ["报告突发事件", "暂不报告"]
        assert botapi.take_sent() == []
        assert len(botapi.calls_of("answerCallbackQuery")) >= 2  # the redelivered query was seen

        with bot.uow() as uow:
            s = uow.session
            [record] = s.scalars(select(TalkRecord)).all()
            assert (record.child_id, record.author_id) == (school.zhang_san, school.li)
            assert (record.mood, record.study, record.daily_life) == ("poor", "fair", "good")
            assert record.safety_concern is True and record.note is None and record.follow_up is False
            assert record.talked_at == MONDAY_9 + timedelta(minutes=7)
            assert s.scalar(select(func.count()).select_from(ProcessedUpdate).where(
                ProcessedUpdate.update_key == str(save["update_id"]))) == 1

        # Pressing Save again later (a double tap) saves nothing more either.
        [late] = await bot.press(li, button(summary, "保存"), 1)
        assert late.text == "这个按钮属于之前的问题，请使用最新的消息。"
        with bot.uow() as uow:
            assert uow.session.scalar(select(func.count()).select_from(TalkRecord)) == 1


async def test_a_redelivered_acknowledgement_changes_nothing_twice(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        li, grandpa = TG["li"], TG["grandpa"]
        incident_id, _ = await report_incident(bot, li, "午饭后腹痛呕吐，校医已处理。")
        await bot.tick()
        [alert] = botapi.take_sent()

        ack = botapi.callback_update(grandpa, button(alert, "确认收到"))
        botapi.queue_updates(ack, ack)
        [thanks] = await bot.replies(grandpa, 1)
        assert thanks.text == "谢谢：已记录您对张三事件通知的确认。"
        [me] = await bot.say(grandpa, "/me", 1)
        assert "张爷爷" in me.text
        await bot.tick()
        sent = _by_chat(botapi.take_sent())
        assert set(sent) == {TG["father"], TG["mother"], li} and all(len(t) == 1 for t in sent.values())
        assert sent[li][0].startswith("张爷爷（委托监护人）已于")
        with bot.uow() as uow:
            kinds = uow.session.scalars(select(IncidentEvent.kind).where(
                IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "acknowledged")).all()
            assert kinds == ["acknowledged"]


# --- 5. a guardian who blocked the bot -------------------------------------------------------------------


async def test_a_guardian_who_blocked_the_bot_gets_the_class_teacher_a_phone_task_on_the_check_in(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        school = chain_school(bot.uow, clock.now())
        grandpa, li = TG["grandpa"], TG["li"]
        botapi.fail_chat(grandpa, "blocked")

        clock.set(FRIDAY_18)
        await bot.tick()
        assert to_chat(botapi.sent, grandpa) == []  # Telegram refused it: nothing reached the chat
        botapi.take_sent()
        with bot.uow() as uow:
            s = uow.session
            account = s.scalar(select(ChatAccount).where(ChatAccount.account_id == str(grandpa)))
            assert account.unreachable_at == FRIDAY_18
            assert "blocked" in account.unreachable_reason
            [task] = s.scalars(select(Task)).all()
            assert (task.kind, task.assignee_id, task.about_person_id, task.child_id) == (
                "phone_contact", school.li, school.grandpa, school.zhang_san)

        clock.advance(timedelta(seconds=30))
        await bot.tick()
        [phone] = to_chat(botapi.take_sent(), li)
        assert phone.text == "张三的联系人张爷爷无法通过聊天联系到。请打电话：139 0000 0001。"

        # The unreachable account is not tried again (the reminder 48 h later goes nowhere new).
        clock.advance(timedelta(hours=48))
        await bot.tick()
        assert to_chat(botapi.take_sent(), grandpa) == []
        assert sum(1 for method, params in botapi.calls if method == "sendMessage"
                   and params.get("chat_id") == grandpa) == 1


async def test_a_guardian_who_blocked_the_bot_leads_the_incident_to_the_next_step(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_school(botapi, database_url, clock) as bot:
        school = bot.school
        li, grandpa, father, mother = TG["li"], TG["grandpa"], TG["father"], TG["mother"]
        botapi.fail_chat(grandpa, "blocked")

        incident_id, _ = await report_incident(bot, li, "体育课上扭伤脚踝，需要家长来接。")
        await bot.tick()
        assert botapi.take_sent() == []  # the alert to the guardian was refused
        with bot.uow() as uow:
            s = uow.session
            account = s.scalar(select(ChatAccount).where(ChatAccount.account_id == str(grandpa)))
            assert account.unreachable_at == clock.now()
            [task] = s.scalars(select(Task)).all()
            assert (task.kind, task.assignee_id, task.about_person_id) == ("phone_contact", school.li, school.grandpa)

        await bot.tick()  # the class teacher is asked to phone, and the parents are alerted at once
        sent = {m.chat_id: m for m in botapi.take_sent()}
        assert set(sent) == {li, father, mother}
        assert sent[li].text == (
            "无法通过消息联系到张爷爷（委托监护人），事关张三（三年级1班）的突发事件"
            "（受伤，报告于2026年11月30日 09:00）。请电话联系：139 0000 0001")
        assert button(sent[li], "结束事件") == f"close:{incident_id}"
        for parent in (father, mother):
            assert sent[parent].text.startswith("突发事件：张三（三年级1班），受伤，紧急。")
            assert button(sent[parent], "确认收到") == f"ack:{incident_id}"


# --- 6. a stale button -----------------------------------------------------------------------------------


async def test_a_button_from_an_earlier_question_gets_a_polite_answer_and_changes_nothing(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        li = TG["li"]
        [mood] = await bot.say(li, "/talk 张三", 1)
        [study] = await bot.press(li, button(mood, "好"), 1)
        with bot.uow() as uow:
            before = uow.session.scalar(select(Conversation).where(Conversation.account_id == str(li)))
            before = (before.flow, before.state, before.version, before.data)

        stale, again = await bot.press(li, button(mood, "较差"), 2)
        assert stale.text == "这个按钮属于之前的问题，请使用最新的消息。"
        assert again.text == study.text and again.buttons() == study.buttons()  # the current question again
        with bot.uow() as uow:
            after = uow.session.scalar(select(Conversation).where(Conversation.account_id == str(li)))
            assert (after.flow, after.state, after.version, after.data) == before
            assert after.data["flow"]["v"]["mood"] == "good"

        # The current question's buttons still work.
        [daily] = await bot.press(li, button(study, "好"), 1)
        assert daily.text == "张三的生活情况（饮食、睡眠、卫生）怎么样？"

        # After /cancel, every button of the card is stale.
        [asked] = await bot.say(li, "/cancel", 1)  # answers given: asked first (fix6al, issue 6 item 1)
        assert "要放弃吗？" in asked.text
        [cancelled] = await bot.say(li, "1", 1)
        assert cancelled.text == "已取消与张三的谈心记录，没有保存任何内容。"
        [gone] = await bot.press(li, button(daily, "好"), 1)
        assert gone.text == "这个按钮属于之前的问题，请使用最新的消息。"
        with bot.uow() as uow:
            assert uow.session.scalar(select(func.count()).select_from(TalkRecord)) == 0
        assert botapi.take_sent() == []


# --- around the scenarios: group chats, the night -------------------------------------------------------


async def test_in_a_group_chat_the_bot_shows_no_child_data(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        group = -100_123_456_789
        botapi.inject_text(TG["li"], "/talk 张三", chat_id=group, chat_type="supergroup")
        [reply] = await botapi.next_sent(1)
        assert reply.chat_id == group and reply.text == "请在私聊中和我对话。" and reply.buttons() == []
        botapi.inject_text(TG["li"], "谈心 张三", chat_id=group, chat_type="group")
        [reply] = await botapi.next_sent(1)
        assert reply.chat_id == group and "张三" not in reply.text
        with bot.uow() as uow:
            assert uow.session.scalar(select(Conversation.flow).where(Conversation.account_id == str(TG["li"]))) is None


async def test_an_incident_at_night_goes_out_at_once_while_the_check_in_reminder_waits_for_morning(
    botapi: BotApiDouble, database_url: str, clock: ManualClock
) -> None:
    async with running_bot(botapi, database_url, clock) as bot:
        chain_school(bot.uow, clock.now())
        li, grandpa = TG["li"], TG["grandpa"]
        question = await friday_checkin(bot, clock, grandpa)
        night = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)  # Sunday 23:30 in Asia/Shanghai, quiet hours
        clock.set(night)
        await bot.tick()  # the check-in reminder (48 h, unanswered) is due but waits out the night
        assert to_chat(botapi.take_sent(), grandpa) == []

        incident_id, _ = await report_incident(bot, li, "晚上发烧39度，监护人联系不上学校。")
        await bot.tick()
        [alert] = botapi.take_sent()
        assert alert.chat_id == grandpa and button(alert, "确认收到") == f"ack:{incident_id}"

        clock.set(datetime(2026, 12, 6, 23, 0, tzinfo=UTC))  # Monday 07:00: the quiet hours are over
        await bot.tick()
        # (The incident's deadline passed in the night too: that goes to the reporter, not to the guardian.)
        [reminder] = to_chat(botapi.take_sent(), grandpa)
        assert reminder.text == "温馨提醒：张三这周过得怎么样？点一下就可以回复。"
        assert reminder.buttons() == question.buttons()
