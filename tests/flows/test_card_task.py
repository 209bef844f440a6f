"""A task about a child of another class: its assignee reads the card's contact part and the talks while it is open.

李四 is in 李老师's 三年级1班; the admin hands a phone call about him to 王老师 (三年级2班). She must be able to
phone his family, so ``/card 李四`` and ``/talks 李四`` answer her while the task is open, recorded in the audit
log; done or handed on, they answer as for any child not hers. A guardian given a task the same way sees nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.enums import TaskKind
from bot.domain.privacy import AuditAction
from bot.services import tasks
from bot.services.access import Purpose, can_act_on_child, find_children
from bot.services.identity import actor_of
from bot.store.models import AuditEntry, Task
from tests.flows.test_card import _starting, school  # noqa: F401 — the fixture: 张三's card filled in, 张爷爷's phone
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS

NOT_HERS = "没有找到您可以查看档案的、名叫李四的孩子。"


def _task(uow_factory, clock, *, assignee: int, child: int, key: str) -> int:
    with uow_factory() as uow:
        task = tasks.create(uow, key=key, kind=TaskKind.PHONE_GUARDIAN, assignee_id=assignee, child_id=child,
                            now=clock.now())
        uow.commit()
        return task.id


def _close(uow_factory, clock, task_id: int) -> None:
    with uow_factory() as uow:
        uow.session.get(Task, task_id).done_at = clock.now()
        uow.commit()


def _reads(uow_factory, person_id: int, action: AuditAction) -> list[dict | None]:
    with uow_factory() as uow:
        return list(uow.session.scalars(select(AuditEntry.detail).where(
            AuditEntry.actor_id == person_id, AuditEntry.action == action.value)))


def test_before_any_task_a_teacher_of_another_class_finds_nothing(flows, school):  # noqa: F811
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/card 李四")
    assert wang.text == NOT_HERS
    wang.send("/talks 李四")
    assert wang.text == NOT_HERS


def test_the_assignee_reads_the_contact_part_and_the_talks_while_the_task_is_open(flows, school, uow_factory,  # noqa: F811
                                                                                   clock):
    task_id = _task(uow_factory, clock, assignee=school.wang, child=school.zhang_a, key="call:zhang")
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/card 张三")  # two children are called 张三: hers (三年级2班) and the task's (三年级1班)
    wang.press(_starting(wang, "张三（三年级1班"))
    shown = wang.text
    assert "张三的档案（三年级1班）：" in shown
    assert "• 委托监护人：张爷爷（祖父）138 0013 6956" in shown  # whom to phone
    assert "现居住地" not in shown and "出生日期" not in shown and "登记表" not in shown  # not the form
    assert "帮扶教师" not in shown and not [label for label, _ in wang.choices if label.startswith("更正")]
    wang.send("/talks 张三")
    wang.press(_starting(wang, "张三（三年级1班"))
    assert "还没有与张三的谈心记录。" in wang.text
    assert _reads(uow_factory, school.wang, AuditAction.VIEW_CARD) == [{"via": "task", "task": task_id}]
    assert _reads(uow_factory, school.wang, AuditAction.VIEW_TALKS) == [{"via": "task", "task": task_id}]

    _close(uow_factory, clock, task_id)
    wang.send("/card 张三")
    assert "三年级1班" not in wang.text  # her own 张三 only, straight away
    wang.send("/talks 张三")
    assert "三年级1班" not in wang.text


def test_handed_on_the_access_goes_with_the_task(flows, school, uow_factory, clock):  # noqa: F811
    task_id = _task(uow_factory, clock, assignee=school.wang, child=school.li_si, key="call:li_si")
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/card 李四")
    assert "李四的档案（三年级1班）：" in wang.text
    with uow_factory() as uow:
        tasks.hand_over(uow, actor_of(uow, school.admin), task_id=task_id, to_person_id=school.chen,
                        now=clock.now())
        uow.commit()
    wang.send("/card 李四")
    assert wang.text == NOT_HERS
    wang.send("/talks 李四")
    assert wang.text == NOT_HERS
    chen = Chat(flows, ACCOUNTS["chen"])
    chen.send("/card 李四")
    assert "李四的档案（三年级1班）：" in chen.text


def test_a_guardian_given_a_task_still_sees_nothing(flows, school, uow_factory, clock):  # noqa: F811
    _task(uow_factory, clock, assignee=school.grandpa, child=school.li_si, key="call:guardian")
    grandpa = Chat(flows, ACCOUNTS["grandpa"])
    grandpa.send("/card 李四")
    assert "李四的档案" not in grandpa.text
    grandpa.send("/talks 李四")
    assert "李四" not in grandpa.text or "谈心" not in grandpa.text
    with uow_factory() as uow:
        me = actor_of(uow, school.grandpa)
        assert find_children(uow, me, purpose=Purpose.TASK, name="李四") == []
        assert not can_act_on_child(uow, me, school.li_si, purpose=Purpose.TASK)


def test_an_open_task_grants_nothing_but_the_card_and_the_talks(uow_factory, school, clock):  # noqa: F811
    _task(uow_factory, clock, assignee=school.wang, child=school.li_si, key="call:scope")
    with uow_factory() as uow:
        me = actor_of(uow, school.wang)
        for purpose in (Purpose.VIEW, Purpose.TALK):
            assert not can_act_on_child(uow, me, school.li_si, purpose=purpose)
        assert can_act_on_child(uow, me, school.li_si, purpose=Purpose.TASK)


def test_a_read_through_an_incidents_phone_task_names_the_task_and_the_incident(flows, school, uow_factory,  # noqa: F811
                                                                                 clock):
    # fix9w: the card read to phone the family about an incident said only "via task" in the audit log.
    task_id = _task(uow_factory, clock, assignee=school.wang, child=school.li_si,
                    key=f"incident:7:person:{school.li_si}:phone:{school.wang}")
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/card 李四")
    assert "李四的档案（三年级1班）：" in wang.text
    wang.send("/talks 李四")
    assert _reads(uow_factory, school.wang, AuditAction.VIEW_CARD) == [{"via": "task", "task": task_id,
                                                                         "incident": 7}]
    assert _reads(uow_factory, school.wang, AuditAction.VIEW_TALKS) == [{"via": "task", "task": task_id,
                                                                          "incident": 7}]
