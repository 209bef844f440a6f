"""Issue 9: an admin's /tasks groups a long school list per colleague, /tasks NAME opens one; /due counts overdue."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.enums import TaskKind
from tests.flows.test_tasks import _task
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS


def _many(uow_factory, clock, school) -> None:  # noqa: F811
    for n in range(10):
        _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.chen, child=school.zhang_a,
              about=school.grandpa, key=f"t:chen:{n}", ago=timedelta(days=3))
    _task(uow_factory, clock, kind=TaskKind.TALK_FOLLOW_UP, assignee=school.li, child=school.li_si, key="t:li")


def test_the_admin_reads_one_line_per_colleague_and_opens_one_by_name(flows, school, uow_factory,  # noqa: F811
                                                                      clock):
    _many(uow_factory, clock, school)
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/tasks")
    assert admin.text == ("全校其他未完成的任务（11项，其中逾期10项），按负责人：\n"
                          "• 陈老师：10项未完成，其中逾期10项\n"
                          "• 李老师：1项未完成，其中逾期0项\n"
                          "发送 /tasks 加姓名查看某位同事的任务，例如 /tasks 陈老师。")
    admin.send("/tasks 陈老师")
    assert admin.text.startswith("陈老师的未完成任务（10项，其中逾期10项）：\n• 【逾期】张三：给监护人打电话")
    assert len(admin.choices) == 9
    admin.press(admin.choices[0][1])  # the first of her nine
    admin.tap("已完成")
    admin.send("校长已亲自联系")
    assert "已完成" in admin.text
    admin.send("任务 陈老师")
    assert admin.text.startswith("陈老师的未完成任务（9项，其中逾期9项）：")
    admin.send("/tasks 张老师")
    assert admin.text == "在本校没有找到名叫张老师的孩子或同事。\n您是不是要找：王老师 / 陈老师？请发送 /tasks 加姓名。"
    admin.send("/tasks 王老师")
    assert admin.text == "王老师没有未完成的任务。"


def test_a_teacher_naming_a_colleague_still_sees_only_her_own(flows, school, uow_factory, clock):  # noqa: F811
    _many(uow_factory, clock, school)
    li = Chat(flows, ACCOUNTS["li"])
    li.send("/tasks 陈老师")
    assert li.text.startswith("您的未完成任务（1项，其中逾期0项）：") and "陈老师" not in li.text


def test_the_admins_due_counts_the_schools_overdue_tasks_by_assignee(flows, school, uow_factory,  # noqa: F811
                                                                     clock):
    _many(uow_factory, clock, school)
    admin = Chat(flows, ACCOUNTS["admin"])
    admin.send("/due")
    assert "全校逾期任务：10项（陈老师 10）\n发送 /tasks 按负责人查看。" in admin.text
    admin.send("/lang")
    admin.tap("English")
    admin.send("/due")
    assert "Overdue tasks at the school: 10 (陈老师 10)\nSend /tasks to see them per colleague." in admin.text
    chen = Chat(flows, ACCOUNTS["chen"])
    chen.send("/due")
    assert "全校逾期任务" not in chen.text
