"""A talk logged twice: the bot says this period's talk is already recorded, and the tasks stay told apart.

New-user trial (issue 6): a class teacher logged two talks with the same child
the same day unawares; ``/tasks`` then showed two follow-up tasks that read
exactly alike, and she could not tell which one to close.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.enums import Channel, RelationKind, Role
from bot.messages.prompt import Prompt
from bot.services import conversations
from bot.services.checkin_messages import question_prompt
from bot.store.models import Checkin, ChildRelation, PersonRole, TalkRecord, Task
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS


def _checkin_waiting_for_li(uow_factory, clock, school) -> tuple[int, Prompt]:
    """李老师 also stands in as 李四's guardian: this week's check-in is on her screen, unanswered.

    Returns the check-in's id and the question as the outbox's seam put it on her screen.
    """
    with uow_factory() as uow:
        uow.session.add(PersonRole(person_id=school.li, role=Role.GUARDIAN.value))
        uow.session.add(ChildRelation(child_id=school.li_si, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=school.li))
        checkin = Checkin(child_id=school.li_si, guardian_id=school.li, period="2026-W49", sent_at=clock.now(),
                          reminder_due_at=clock.now() + timedelta(days=2))
        uow.session.add(checkin)
        uow.session.flush()
        # The outbox's seam, as the drain calls it before sending the check-in to her chat.
        shown = conversations.present(uow, channel=Channel.TELEGRAM.value, account_id=ACCOUNTS["li"],
                                      prompt=question_prompt(checkin.id, "李四"), now=clock.now())
        uow.commit()
        return checkin.id, shown


def _card(chat: Chat, answers: tuple[str, ...]) -> None:
    """Mood, study, daily life, safety, note, follow-up, Save — typed as a teacher types them."""
    for answer in answers:
        chat.send(answer)


FOLLOW_UP = ("好", "好", "好", "否", "跳过", "是", "保存")
FOLLOW_UP_EN = ("Good", "Good", "Good", "No", "Skip", "Yes", "Save")


def _talk_ids(uow_factory) -> list[int]:
    with uow_factory() as uow:
        return list(uow.session.scalars(select(TalkRecord.id).order_by(TalkRecord.id)))


def _task_of_talk(uow_factory, talk_id: int) -> Task:
    with uow_factory() as uow:
        task = uow.session.scalar(select(Task).where(Task.key == f"talk-follow-up:{talk_id}"))
        uow.session.expunge_all()
        return task


def _checkin_answer(uow_factory, checkin_id: int) -> str | None:
    with uow_factory() as uow:
        return uow.session.get(Checkin, checkin_id).answer


def test_a_second_talk_the_same_day_is_asked_about_and_its_task_is_told_apart(flows, school, uow_factory, clock):
    checkin, _ = _checkin_waiting_for_li(uow_factory, clock, school)
    li = Chat(flows, ACCOUNTS["li"])
    li.send("谈心 张三")
    assert "与张三谈心。孩子的情绪怎么样？" in li.text  # nothing recorded yet: straight to the card
    _card(li, FOLLOW_UP)
    assert "已保存：与张三的谈心记录。" in li.text
    clock.advance(timedelta(minutes=20))
    li.send("谈心 张三")
    assert "您已于2026年11月30日 09:00记录了本月与张三的谈心。要再记录一次吗？" in li.text
    assert [label for label, _ in li.choices] == ["是", "否"]
    li.send("1")  # yes: the talk's question, not the check-in's first answer ("good week")
    assert "与张三谈心。孩子的情绪怎么样？" in li.text
    assert _checkin_answer(uow_factory, checkin) is None
    _card(li, FOLLOW_UP)
    assert "已保存：与张三的谈心记录。" in li.text
    first, second = _talk_ids(uow_factory)

    li.send("/tasks")
    labels = [label for label, _ in li.choices]
    assert labels == ["张三：谈心后续跟进（2026年11月30日 09:00的谈心），截止2026年12月7日 09:00",
                      "张三：谈心后续跟进（2026年11月30日 09:20的谈心），截止2026年12月7日 09:20"]
    assert "• 张三：谈心后续跟进（2026年11月30日 09:20的谈心），截止2026年12月7日 09:20" in li.text
    li.send("2")  # the second talk's task
    assert "这项任务怎么处理？" in li.text and "09:20的谈心" in li.text
    li.send("已完成")
    li.send("已家访，孩子情况稳定")
    assert "已完成：任务已关闭" in li.text
    assert "还在等您回答：" in li.text and "李四这周过得怎么样？" in li.text  # the check-in, asked again
    assert _task_of_talk(uow_factory, second).outcome == "已家访，孩子情况稳定"
    assert _task_of_talk(uow_factory, first).done_at is None


def test_no_to_another_talk_records_nothing_and_the_waiting_question_returns(flows, school, uow_factory, clock):
    checkin, _ = _checkin_waiting_for_li(uow_factory, clock, school)
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/talk 张三")
    _card(li, FOLLOW_UP)
    li.send("谈心张三")  # the keyword glued to the name
    assert "您已于2026年11月30日 09:00记录了本月与张三的谈心。要再记录一次吗？" in li.text
    li.send("不用了")  # an everyday "no"
    assert "好的，没有再记录与张三的谈心。" in li.text
    assert "还在等您回答：" in li.text and "李四这周过得怎么样？" in li.text
    assert len(_talk_ids(uow_factory)) == 1
    li.send("1")  # now the check-in's answer
    assert _checkin_answer(uow_factory, checkin) is not None


def test_last_months_talk_does_not_count(flows, school, uow_factory, clock):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/talk 张三")
    _card(li, FOLLOW_UP)
    clock.advance(timedelta(days=1))  # 2026-12-01 09:00 school time: a new month
    li.send("/talk 张三")
    assert "与张三谈心。孩子的情绪怎么样？" in li.text
    assert "已记录" not in li.text


def test_helper_teacher_in_english_is_told_of_this_weeks_talk(flows, school, uow_factory, clock):
    chen = Chat(flows, ACCOUNTS["chen"])  # helper teacher, paired with both children called 张三
    chen.send("/lang")
    chen.tap("English")
    chen.send("/talk 张三")
    chen.tap("张三 (三年级2班)")
    _card(chen, FOLLOW_UP_EN)
    assert "Saved: the talk with 张三." in chen.text
    clock.advance(timedelta(hours=3))
    chen.send("/talk 张三")
    chen.tap("张三 (三年级2班)")
    assert "You already recorded this week's talk with 张三 on Nov 30, 2026 09:00. Record another one?" in chen.text
    assert [label for label, _ in chen.choices] == ["Yes", "No"]
    chen.tap("Yes")
    assert "Talk with 张三. How was the child's mood?" in chen.text
    _card(chen, FOLLOW_UP_EN)
    chen.send("/talk 张三")
    chen.tap("张三 (三年级2班)")
    assert ("You already recorded this week's talk with 张三, 2 times (the last on Nov 30, 2026 12:00). "
            "Record another one?") in chen.text
    chen.tap("No")
    assert chen.text == "All right: no further talk with 张三 is recorded."
    chen.send("/talk 张三")
    chen.tap("张三 (三年级1班; guardian 张爷爷)")  # the other 张三: nothing recorded this week
    assert "Talk with 张三. How was the child's mood?" in chen.text


def test_two_talks_saved_the_same_minute_get_numbered_tasks(flows, school, uow_factory, clock):
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/lang")
    li.tap("English")
    li.send("/talk 张三")
    _card(li, FOLLOW_UP_EN)
    li.send("/talk 张三")
    li.tap("Yes")
    _card(li, FOLLOW_UP_EN)
    first, second = _talk_ids(uow_factory)
    li.send("/tasks")
    labels = [label for label, _ in li.choices]
    assert labels == ["张三: follow up the talk of Nov 30, 2026 09:00 (no. 1), by Dec 7, 2026 09:00",
                      "张三: follow up the talk of Nov 30, 2026 09:00 (no. 2), by Dec 7, 2026 09:00"]
    li.tap(labels[1])
    assert "What about this task?" in li.text and "(no. 2)" in li.text  # the one she picked, by its number
    li.tap("Done")
    li.send("Visited the family")
    assert _task_of_talk(uow_factory, second).outcome == "Visited the family"
    assert _task_of_talk(uow_factory, first).done_at is None
    li.send("/tasks")
    # Alone now, the remaining task needs no number.
    [(label, _)] = li.choices
    assert label == "张三: follow up the talk of Nov 30, 2026 09:00, by Dec 7, 2026 09:00"
