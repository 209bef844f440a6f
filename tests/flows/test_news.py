"""Monthly news to the parents working away, as the class teacher and the parents live it (issue 8, item 5).

The teacher chats on a channel without buttons (numbered replies, as on
WeChat) with a programme reminder waiting in the same chat; the parents read
the news on their own channel and in their own language.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.domain.enums import Channel, Rating, RelationKind, Role, TalkKind
from bot.flows.runner import FlowRunner
from bot.i18n import render
from bot.scheduler.jobs import tick
from bot.services import family_news, talks
from bot.services.delivery import drain_outbox
from bot.store.models import Checkin, FamilyNews, OutboxMessage, ProgrammeItem, ProgrammeOccurrence, ProgrammeTask
from tests.support.chat import Chat
from tests.support.fakes import FakeSender, NumberedSender
from tests.support.school import SchoolBuilder

SETTINGS = Settings(database_url="sqlite://")
PRIVATE_NOTE = "奶奶住院了，家里欠债"  # the teacher's working note: never for the parents


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "青山村小学")
        teacher = b.person("王老师", Role.CLASS_TEACHER)
        guardian = b.person("张奶奶", Role.GUARDIAN)
        mother = b.person("张妈妈", Role.PARENT)
        father = b.person("张爸爸", Role.PARENT, locale="en")
        klass = b.klass("三(1)班", teacher=teacher)
        child = b.child("张小明", "S001", klass)
        other = b.child("李小红", "S002", klass)  # no parent on record: no news to draft
        for kind, who in ((RelationKind.ENTRUSTED_GUARDIAN, guardian), (RelationKind.MOTHER, mother),
                          (RelationKind.FATHER, father)):
            b.relate(child, kind, who)
        b.relate(other, RelationKind.ENTRUSTED_GUARDIAN, guardian)
        b.account(teacher, "wx-teacher", channel=Channel.WECHAT.value)
        b.account(mother, "tg-mother")
        b.account(father, "wx-father", channel=Channel.WECHAT.value)
        item = ProgrammeItem(school_id=b.school_id, code="meeting", title="家长会", anchor="date:11-16",
                             role="class_teacher", audience="guardians", updated_at=datetime(2026, 11, 1, tzinfo=UTC))
        uow.session.add(item)
        uow.session.flush()
        for starts, remind_at, status in ((date(2026, 11, 16), datetime(2026, 11, 13, tzinfo=UTC), "done"),
                                          (date(2026, 12, 7), datetime(2026, 11, 30, 23, tzinfo=UTC), "open")):
            occ = ProgrammeOccurrence(key=f"prog:{item.id}:{starts}", item_id=item.id, school_id=b.school_id,
                                      starts_on=starts, remind_at=remind_at, planned_at=remind_at,
                                      tasks_planned_at=remind_at)
            uow.session.add(occ)
            uow.session.flush()
            uow.session.add(ProgrammeTask(occurrence_id=occ.id, person_id=teacher, audience_count=1,
                                          remind_at=remind_at, status=status,
                                          reminded_at=remind_at if status == "done" else None))
        uow.commit()
    with uow_factory() as uow:  # November's records
        talks.log_talk(uow, author_id=teacher, child_id=child, kind=TalkKind.CLASS_TEACHER_MONTHLY,
                       mood=Rating.GOOD, study=Rating.FAIR, daily_life=Rating.POOR, safety_concern=False,
                       note=PRIVATE_NOTE, follow_up=True, now=datetime(2026, 11, 20, 2, tzinfo=UTC),
                       request_key="talk:t1")
        for week, answered in (("2026-W46", True), ("2026-W47", False)):
            sent = datetime.fromisocalendar(2026, int(week[-2:]), 5).replace(hour=10, tzinfo=UTC)
            uow.session.add(Checkin(child_id=child, guardian_id=guardian, period=week, sent_at=sent,
                                    reminder_due_at=sent, answered_at=sent if answered else None,
                                    answer="good" if answered else None))
        uow.commit()
    return {"teacher": teacher, "mother": mother, "father": father, "child": child}


def _drain(uow_factory, now, senders):
    return asyncio.run(drain_outbox(uow_factory, {s.channel: s for s in senders}, now=now, settings=SETTINGS))


def test_the_class_teacher_reviews_and_sends_and_each_parent_reads_it_in_their_language(
        uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # Tuesday 1 December, 09:00 in Shanghai: a school day
    report = asyncio.run(tick(uow_factory, clock, SETTINGS, {"wechat": wechat, "telegram": telegram}))
    assert report.counts["draft_monthly_news"] == 1 and report.counts["remind_programme"] == 1
    reminder, notice = [s for s in wechat.to("wx-teacher") if s.prompt.kind == "task"]  # and the day's digest
    # One question at a time: the reminder is numbered from 1, the notice waits (sent without choices).
    assert (reminder.prompt.first_number, notice.prompt.choices) == (1, ())
    shown = render(notice.prompt, "zh_Hans").text
    assert "2026年11月发给 1 名儿童家长的每月反馈已准备好" in shown

    teacher = Chat(flows, "wx-teacher", channel=Channel.WECHAT.value)
    teacher.send("待办")
    assert "待审阅的每月反馈（1）" in teacher.text and "张小明（2026年11月）" in teacher.text
    teacher.send("1")  # the programme reminder's "Done": the question on screen (one question at a time)
    assert "已记录" in teacher.text
    teacher.send("跳过")  # no count: then the notice that waited is asked again
    assert "还在等您回答" in teacher.text
    review = teacher.choices[0][1]
    teacher.send("1")  # the notice's Review, numbered from 1
    text = teacher.text
    assert "家长将收到" in text and "青山村小学：张小明2026年11月的情况" in text
    assert "心情：很好" in text and "学习：一般" in text and "生活（饮食、睡眠、卫生）：需要多关心" in text
    assert "2 周中回复了 1 周" in text and "学校活动：家长会" in text
    assert PRIVATE_NOTE not in text and "跟进" not in text
    teacher.send(teacher.number("加一句话"))
    assert "请写下您想对家长说的话" in teacher.text
    teacher.send("报告 小明这个月进步很大，天冷了请多打电话。")  # a keyword at the start is prose here
    assert "班主任王老师：报告 小明这个月进步很大" in teacher.text
    teacher.send("家长月报")  # a command in the middle of the review: drop the unfinished one first?
    teacher.send(teacher.number("放弃，继续新的操作"))  # the added words are kept with the draft
    teacher.send(teacher.number("发送"))
    assert "已发送给 2 位家长" in teacher.text and "没有待您审阅的每月反馈" in teacher.text

    _drain(uow_factory, clock.now(), [wechat, telegram])
    (to_mother,), (to_father,) = telegram.to("tg-mother"), wechat.to("wx-father")
    mother_reads = render(to_mother.prompt, to_mother.locale).text
    father_reads = render(to_father.prompt, to_father.locale).text
    assert mother_reads.startswith("青山村小学：张小明2026年11月的情况") and "心情：很好" in mother_reads
    assert father_reads.startswith("青山村小学: news of 张小明 for November 2026")
    assert "Mood: doing well" in father_reads
    assert "Activities at school: 家长会" in father_reads and "小明这个月进步很大" in father_reads
    for reads in (mother_reads, father_reads):
        assert PRIVATE_NOTE not in reads

    teacher.press(review)  # the old notice's button again: nothing more to send
    assert "没有待您审阅的每月反馈" in teacher.text
    clock.set(clock.now() + timedelta(hours=3))
    asyncio.run(tick(uow_factory, clock, SETTINGS, {"wechat": wechat, "telegram": telegram}))
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(FamilyNews.id))) == 1
        assert uow.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.key.like("news:%:2026-11:%"))) == 2
    assert len(telegram.to("tg-mother")) == 1 and len(wechat.to("wx-father")) == 1


def test_skip_later_and_only_the_class_teacher(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    with uow_factory() as uow:
        assert family_news.draft_monthly_news(uow, now=clock.now(), settings=SETTINGS) == 1
        uow.commit()
    with uow_factory() as uow:
        assert family_news.draft_monthly_news(uow, now=clock.now(), settings=SETTINGS) == 0
        uow.commit()
    mother = Chat(flows, "tg-mother")
    mother.send("/news")
    assert "由班主任审阅" in mother.text
    teacher = Chat(flows, "wx-teacher", channel=Channel.WECHAT.value)
    teacher.send("/news")
    teacher.send(teacher.number("稍后"))
    assert "草稿会一直保留" in teacher.text
    teacher.send("/news")
    teacher.send("发送吧")  # not one of the answers: asked again, nothing sent
    assert "家长将收到" in teacher.text
    teacher.send("本月不发")  # the answer's words work like its number
    assert "已跳过" in teacher.text
    with uow_factory() as uow:
        row = uow.session.scalars(select(FamilyNews)).one()
        assert (row.status, row.decided_by_id) == ("skipped", world["teacher"])
        assert uow.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.key.like("news:%:%:%"))
                                  .where(~OutboxMessage.key.like("news:ready:%"))) == 0


def test_no_drafts_before_the_first_school_day_nor_for_a_month_without_records(uow_factory, clock, world) -> None:
    with uow_factory() as uow:
        # Thursday 1 October 2026 is National Day: drafting waits for the first school day (or the 8th).
        assert family_news.draft_monthly_news(uow, now=datetime(2026, 10, 1, 2, tzinfo=UTC), settings=SETTINGS) == 0
        # Nothing was recorded in September (the school was not using the bot yet): no news to draft.
        assert family_news.draft_monthly_news(uow, now=datetime(2026, 10, 8, 2, tzinfo=UTC), settings=SETTINGS) == 0
        uow.session.add(Checkin(child_id=world["child"], guardian_id=world["mother"], period="2026-W44",
                                sent_at=datetime(2026, 10, 30, 10, tzinfo=UTC),
                                reminder_due_at=datetime(2026, 10, 30, 10, tzinfo=UTC)))
        assert family_news.draft_monthly_news(uow, now=datetime(2026, 11, 2, 1, tzinfo=UTC), settings=SETTINGS) == 1
        row = uow.session.scalars(select(FamilyNews)).one()
        assert (row.period, row.facts["ratings"], row.facts["checkins"]) == ("2026-10", {}, {"answered": 0, "weeks": 1})


def test_the_teacher_withholds_a_part_reviews_through_news_and_is_not_asked_again(uow_factory, clock, world) -> None:
    flows = FlowRunner(uow_factory, clock, SETTINGS)
    wechat, telegram = NumberedSender(channel=Channel.WECHAT.value), FakeSender()
    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    asyncio.run(tick(uow_factory, clock, SETTINGS, {"wechat": wechat, "telegram": telegram}))
    teacher = Chat(flows, "wx-teacher", channel=Channel.WECHAT.value)  # a programme reminder on screen
    teacher.send("家长月报")  # not through the notice's button: by the command
    teacher.send(teacher.number("选择分享内容"))
    assert "家长只会读到“分享”的部分" in teacher.text
    labels = [label for label, _payload in teacher.choices]
    assert "学习：分享" in labels and "书信：分享" not in labels  # only the parts this month has
    teacher.send(teacher.number("学习：分享"))
    assert "学习：不分享" in [label for label, _payload in teacher.choices]
    teacher.send(teacher.number("情绪：分享"))
    teacher.send(teacher.number("就这些"))
    assert "不分享给家长：情绪、学习" in teacher.text
    assert "学习：一般" not in teacher.text and "心情：很好" not in teacher.text
    assert "生活（饮食、睡眠、卫生）：需要多关心" in teacher.text
    teacher.send(teacher.number("发送"))
    assert "已发送给 2 位家长" in teacher.text
    assert "还在等您回答" in teacher.text and "每月反馈已准备好" not in teacher.text  # the reminder, not the notice
    teacher.send("1")  # the reminder's Done
    teacher.send("跳过")
    assert "每月反馈已准备好" not in teacher.text  # everything sent: the notice is not asked again

    _drain(uow_factory, clock.now(), [wechat, telegram])
    for sent in (*telegram.to("tg-mother"), *wechat.to("wx-father")):
        reads = render(sent.prompt, sent.locale).text
        assert "学习" not in reads and "Study" not in reads and "心情" not in reads and "Mood" not in reads
        assert "生活" in reads or "Daily life" in reads
    with uow_factory() as uow:
        assert uow.session.scalar(select(FamilyNews.withheld)) == ["mood", "study"]
