"""/tasks (任务) through the flow runner as people type it: list, close with an outcome, hand to a colleague."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from bot.domain.enums import TaskKind
from bot.domain.privacy import AuditAction
from bot.messages import payloads
from bot.services import tasks
from bot.store.models import AuditEntry, OutboxMessage, RecordChange, Task
from tests.flows.test_talk_twice import _checkin_answer, _checkin_waiting_for_li
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS


def _task(uow_factory, clock, *, kind: TaskKind, assignee: int, child: int, key: str, about: int | None = None,
          ago: timedelta = timedelta()) -> int:
    with uow_factory() as uow:
        task = tasks.create(uow, key=key, kind=kind, assignee_id=assignee, child_id=child, about_person_id=about,
                            now=clock.now() - ago)
        uow.commit()
        return task.id


def _tap_task(chat: Chat, start: str) -> None:
    """Tap the task whose answer starts so (its due time, the person to phone and whose it is follow)."""
    [payload] = [p for label, p in chat.choices if label.startswith(start)]
    chat.press(payload)


def _row(uow_factory, task_id: int) -> Task:
    with uow_factory() as uow:
        task = uow.session.get(Task, task_id)
        uow.session.expunge_all()
        return task


def _li_on_her_talk_task(flows, school, uow_factory, clock, *, key: str) -> tuple[int, Chat]:
    """李老师 holds a talk's follow-up for 李四, opens /tasks and taps it: the task's id and her chat."""
    task_id = _task(uow_factory, clock, kind=TaskKind.TALK_FOLLOW_UP, assignee=school.li, child=school.li_si,
                    key=key)
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/tasks")
    _tap_task(li, "李四：谈心后续跟进")
    return task_id, li


def _li_in_english(flows, school, uow_factory, clock, *, key: str) -> Chat:
    """李老师 holds a safety concern about 李四 and has switched her chat to English."""
    _task(uow_factory, clock, kind=TaskKind.SAFETY_CONCERN, assignee=school.li, child=school.li_si, key=key)
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/lang")
    li.tap("English")
    return li


def test_needs_help_becomes_a_task_the_helper_closes_with_an_outcome(flows, school, uow_factory, clock):
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.press(payloads.checkin_answer(school.checkin, "needs_help"))
    chen = Chat(flows, ACCOUNTS["chen"])
    chen.send("任务")
    assert "您的未完成任务（1项，其中逾期0项）：" in chen.text
    assert "张三：监护人请求帮助——张爷爷" in chen.text
    [(label, _)] = chen.choices
    assert label.startswith("张三：监护人请求帮助——张爷爷，截止")
    _tap_task(chen, "张三：监护人请求帮助")
    assert "这项任务怎么处理？" in chen.text
    assert [label for label, _ in chen.choices] == ["已完成", "转交同事", "返回列表"]
    chen.send("已完成")  # the words, as a grandparent-age teacher types them
    assert "请用一句话写下处理结果" in chen.text
    chen.send("报告 已电话联系，孩子感冒已就医")  # a keyword at the start of prose is prose
    assert "已完成：任务已关闭" in chen.text
    with uow_factory() as uow:
        task = uow.session.scalar(select(Task).where(Task.kind == TaskKind.HELP_REQUEST.value))
        assert task.outcome == "报告 已电话联系，孩子感冒已就医"
        assert (task.closed_by_id, task.done_at) == (school.chen, clock.now())
        assert task.due_at == task.created_at + timedelta(days=1)
    chen.send("/tasks")
    assert chen.text == "您没有未完成的任务。"


def test_tasks_number_from_1_and_a_waiting_check_in_is_asked_again_afterwards(flows, school, uow_factory, clock):
    """李老师 is also 李四's grandmother's stand-in: a check-in waits in her chat when she opens /tasks."""
    recent = _task(uow_factory, clock, kind=TaskKind.TALK_FOLLOW_UP, assignee=school.li, child=school.li_si,
                   key="t:recent")
    late = _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.li, child=school.zhang_a,
                 about=school.grandpa, key="t:late", ago=timedelta(days=2))
    checkin_id, shown = _checkin_waiting_for_li(uow_factory, clock, school)
    assert shown.first_number == 1 and len(shown.choices) == 3  # on screen, waiting for her answer

    li = Chat(flows, ACCOUNTS["li"])
    li.send("/tasks")
    lines = li.text.splitlines()
    assert lines.index(next(x for x in lines if "【逾期】张三" in x)) < lines.index(
        next(x for x in lines if "李四" in x))
    numbered = [p for p in li.reply.prompts if p.choices]
    assert len(numbered) == 1 and numbered[0].first_number == 1  # its own numbers, from 1
    li.send("1")  # the overdue task, not the check-in's first answer
    assert "这项任务怎么处理？" in li.text and "张三" in li.text
    assert _checkin_answer(uow_factory, checkin_id) is None
    li.send("1")  # Done
    assert "请用一句话写下处理结果" in li.text
    li.send("已电话联系张爷爷，周末来校")
    assert "已完成：任务已关闭" in li.text
    assert "还在等您回答：" in li.text and "李四这周过得怎么样？" in li.text  # the check-in, asked again
    assert _row(uow_factory, late).outcome == "已电话联系张爷爷，周末来校"
    assert _row(uow_factory, recent).done_at is None
    li.send("1")  # now the check-in's first answer
    assert _checkin_answer(uow_factory, checkin_id) is not None
    li.send("/tasks")
    assert "您的未完成任务（1项，其中逾期0项）" in li.text


def test_outcomes_are_stored_encrypted_and_closing_is_audited(flows, school, uow_factory, clock):
    task_id, li = _li_on_her_talk_task(flows, school, uow_factory, clock, key="t:secret")
    li.tap("已完成")
    li.send("孩子说继父打他，已报告校长")
    with uow_factory() as uow:
        raw = uow.session.execute(text("SELECT outcome FROM tasks WHERE id = :i"), {"i": task_id}).scalar_one()
        assert raw.startswith("enc1:") and "继父" not in raw
        entry = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.TASK_CLOSED.value))
        assert (entry.actor_id, entry.child_id, entry.detail) == (school.li, school.li_si, {"task": task_id})


def test_hand_over_to_a_colleague_is_recorded_and_told(flows, school, uow_factory, clock):
    task_id, li = _li_on_her_talk_task(flows, school, uow_factory, clock, key="t:hand")
    li.tap("转交同事")
    li.send("张老师")
    assert "本校没有找到名叫张老师的同事。" in li.text and "转交给谁" in li.text
    li.send("张爷爷")  # a guardian is no colleague
    assert "没有找到名叫张爷爷的同事" in li.text
    li.send("王 老师")
    assert "已转交，并已通知对方。" in li.text
    task = _row(uow_factory, task_id)
    assert (task.assignee_id, task.handed_from_id, task.done_at) == (school.wang, school.li, None)
    with uow_factory() as uow:
        change = uow.session.scalar(select(RecordChange).where(RecordChange.subject == "task"))
        assert (change.subject_id, change.old_value, change.new_value, change.changed_by_id) == (
            task_id, str(school.li), str(school.wang), school.li)
        told = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == school.wang))
        assert told.payload["message_id"] == "{name} handed you a task. Send /tasks to see your tasks."
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/tasks")
    assert "李四：谈心后续跟进" in wang.text
    li.send("/tasks")
    assert li.text == "您没有未完成的任务。"


def test_admin_sees_the_schools_tasks_and_a_guardian_none(flows, school, uow_factory, clock):
    _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.chen, child=school.zhang_a,
          about=school.grandpa, key="t:chen", ago=timedelta(days=3))
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/tasks")
    assert "全校其他未完成的任务（1项，其中逾期1项）：" in admin.text
    [(label, _)] = admin.choices
    assert label.startswith("陈老师——张三：给监护人打电话（每周联系未回复）——张爷爷，截止")
    assert "陈老师——【逾期】张三：给监护人打电话（每周联系未回复）——张爷爷" in admin.text
    assert "您本人没有未完成的任务。" in admin.text
    _tap_task(admin, "陈老师——张三：给监护人打电话（每周联系未回复）")
    admin.tap("已完成")
    admin.send("校长已亲自联系")
    assert "已完成" in admin.text
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/tasks")  # an alert waits in his chat: any reply from him also proves he was reached
    assert grandpa.text.splitlines()[0] == "您没有未完成的任务。"
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/tasks")
    assert wang.text == "您没有未完成的任务。"


def test_a_task_closed_meanwhile_is_not_closed_twice(flows, school, uow_factory, clock):
    task_id, li = _li_on_her_talk_task(flows, school, uow_factory, clock, key="t:twice")
    li.tap("已完成")
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/tasks")
    _tap_task(admin, "李老师——李四：谈心后续跟进")
    admin.tap("已完成")
    admin.send("已处理")
    li.send("家访过了")
    assert li.text == "该任务已不再是未完成状态。"
    assert _row(uow_factory, task_id).outcome == "已处理"


def test_english(flows, school, uow_factory, clock):
    li = _li_in_english(flows, school, uow_factory, clock, key="t:en")
    li.send("/tasks")
    assert "Your open tasks (1, 0 overdue):" in li.text
    # A talk's task names the talk's time (the task is created as the talk is saved).
    assert "李四: safety concern from the talk of Nov 30, 2026 09:00, by Dec 1, 2026 09:00" in li.text


def test_tasks_alike_are_told_apart_by_whom_to_phone_whose_they_are_and_when_due(flows, school, uow_factory, clock):
    for key, about, ago in (("t:a", school.grandpa, timedelta(days=2)), ("t:b", None, timedelta(days=1))):
        _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.chen, child=school.zhang_a,
              about=about, key=key, ago=ago)
    _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.admin, child=school.zhang_a,
          about=school.grandpa, key="t:c")
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("任务")
    labels = [label for label, _ in admin.choices]
    assert len(set(labels)) == 3
    assert labels[0].startswith("张三：给监护人打电话（每周联系未回复）——张爷爷，截止")  # her own
    assert labels[1].startswith("陈老师——张三：给监护人打电话（每周联系未回复）——张爷爷，截止")
    assert labels[2].startswith("陈老师——张三：给监护人打电话（每周联系未回复），截止")
    admin.send("二")  # a Chinese numeral picks the second
    assert "这项任务怎么处理？" in admin.text and "陈老师" in admin.text


def test_due_counts_open_tasks_in_english_one_task_two_tasks(flows, school, uow_factory, clock):
    """English /due: "1 open task … see it", then "2 open tasks … see them" (plural forms, not "1 tasks")."""
    li = _li_in_english(flows, school, uow_factory, clock, key="t:one")
    li.send("/due")
    assert "You have 1 open task (0 overdue): send /tasks to see it." in li.text
    _task(uow_factory, clock, kind=TaskKind.TALK_FOLLOW_UP, assignee=school.li, child=school.li_si, key="t:two")
    li.send("/due")
    assert "You have 2 open tasks (0 overdue): send /tasks to see them." in li.text
