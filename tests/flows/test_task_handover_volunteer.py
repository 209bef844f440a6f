"""Handing a task about a child on: school staff, or the volunteer paired with that child — never another villager.

A task opens the child's card contact part to whoever holds it (``bot.services.access`` footnote [4]), so
handing it to an unpaired caring-parent volunteer would give her the family's phone numbers.
"""

from __future__ import annotations

from bot.domain.enums import RelationKind, Role, TaskKind
from bot.store.models import ChildRelation, Person, PersonRole
from tests.flows.test_card import school  # noqa: F401
from tests.flows.test_tasks import _row, _tap_task, _task
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS, add_account


def _volunteer(uow_factory, clock, school_id: int, *, paired_with: int | None = None) -> int:
    with uow_factory() as uow:
        person = Person(school_id=school_id, name="赵妈妈", natural_key="t:vol")
        person.roles = [PersonRole(role=Role.CARING_PARENT.value)]
        uow.session.add(person)
        uow.session.flush()
        if paired_with is not None:
            uow.session.add(ChildRelation(child_id=paired_with, person_id=person.id,
                                          kind=RelationKind.CARING_PARENT.value))
        add_account(uow.session, person.id, "4001", channel="telegram", bound_at=clock.now())
        uow.commit()
        return person.id


def _hand_to_zhao(flows, school, uow_factory, clock) -> tuple[Chat, int]:  # noqa: F811
    """王老师 (class B) holds a call about 张三 of class A and hands it to 赵妈妈."""
    task_id = _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.wang, child=school.zhang_a,
                    about=school.grandpa, key="t:w")
    wang = Chat(flows, ACCOUNTS["wang"])
    wang.send("/tasks")
    _tap_task(wang, "张三")
    wang.tap("转交同事")
    wang.send("赵妈妈")
    return wang, task_id


def test_a_task_about_a_child_is_not_handed_to_an_unpaired_volunteer(flows, school, uow_factory, clock):  # noqa: F811
    _volunteer(uow_factory, clock, school.school_id)
    wang, task_id = _hand_to_zhao(flows, school, uow_factory, clock)
    assert wang.text == ("抱歉，此人是爱心家长志愿者，没有与这名孩子结对，"
                         "所以不能把这项任务（以及家人的电话）转交给他/她。请转交给本校的老师、校领导或管理员。")
    assert _row(uow_factory, task_id).assignee_id == school.wang  # still hers
    volunteer = Chat(flows, "4001")
    volunteer.send("/card 张三")
    assert "138 0013 6956" not in volunteer.text and "张三" in volunteer.text  # "no child called 张三 for you"


def test_the_refusal_is_said_in_english_too(flows, school, uow_factory, clock):  # noqa: F811
    _volunteer(uow_factory, clock, school.school_id)
    with uow_factory() as uow:
        uow.session.get(Person, school.wang).locale = "en"
        uow.commit()
    wang = Chat(flows, ACCOUNTS["wang"])
    _task(uow_factory, clock, kind=TaskKind.PHONE_GUARDIAN, assignee=school.wang, child=school.zhang_a,
          about=school.grandpa, key="t:w")
    wang.send("/tasks")
    [payload] = [p for label, p in wang.choices if "张三" in label]
    wang.press(payload)
    [hand] = [p for label, p in wang.choices if label.lower().startswith("hand")]
    wang.press(hand)
    wang.send("赵妈妈")
    assert wang.text.startswith("Sorry, that person is a caring-parent volunteer who is not paired with this child")


def test_the_volunteer_paired_with_the_child_may_take_it(flows, school, uow_factory, clock):  # noqa: F811
    zhao = _volunteer(uow_factory, clock, school.school_id, paired_with=school.zhang_a)
    wang, task_id = _hand_to_zhao(flows, school, uow_factory, clock)
    assert wang.text == "已转交，并已通知对方。"
    assert _row(uow_factory, task_id).assignee_id == zhao
