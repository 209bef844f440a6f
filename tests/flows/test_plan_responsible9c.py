"""A plan's responsible people are school staff or the child's paired volunteer (issue 9, found by testers).

A class teacher named 赵妈妈, a caring-parent volunteer not paired with 张三, responsible for 张三's plan; she
was then reminded to review it and /plan refused her. Now naming her is refused politely, saying who can be
responsible, and the question is asked again.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.enums import RelationKind, Role
from bot.store.models import Child, ChildRelation, EducationPlanPerson, Person, PersonRole
from tests.flows.test_card import school  # noqa: F401
from tests.support.chat import Chat
from tests.support.school import ACCOUNTS


def _volunteer(uow_factory, school, *, paired: bool) -> None:  # noqa: F811
    with uow_factory() as uow:
        volunteer = Person(school_id=school.school_id, name="赵妈妈", natural_key="t:vol")
        volunteer.roles = [PersonRole(role=Role.CARING_PARENT.value)]
        uow.session.add(volunteer)
        uow.session.flush()
        if paired:
            child = uow.session.scalar(select(Child.id).where(Child.name == "张三"))
            uow.session.add(ChildRelation(child_id=child, person_id=volunteer.id,
                                          kind=RelationKind.CARING_PARENT.value))
        uow.commit()


def _to_people(flows) -> Chat:
    li = Chat(flows, ACCOUNTS["li"])  # 张三's class teacher
    li.send("方案 张三")
    li.tap("制定方案")
    li.send("按时完成作业")
    li.send("每周谈心")
    return li


def test_an_unpaired_volunteer_cannot_be_named_responsible(flows, school, uow_factory):  # noqa: F811
    _volunteer(uow_factory, school, paired=False)
    li = _to_people(flows)
    li.send("赵妈妈")
    assert li.text.startswith("抱歉，赵妈妈是未与张三结对的爱心家长志愿者，不能作为这份方案的责任人。"
                              "责任人可以是学校教职工（教师、学校领导、管理员），或与张三结对的爱心家长。")
    assert "责任人是谁？" in li.text  # asked again
    li.tap("跳过")  # the class teacher and the helper teacher
    li.send("12月15日")
    assert "方案已制定" in li.text or "的方案已" in li.text, li.text
    with uow_factory() as uow:
        people = set(uow.session.scalars(select(Person.name).join(
            EducationPlanPerson, EducationPlanPerson.person_id == Person.id)))
    assert "赵妈妈" not in people and people


def test_the_paired_volunteer_may_be_responsible(flows, school, uow_factory):  # noqa: F811
    _volunteer(uow_factory, school, paired=True)
    li = _to_people(flows)
    li.send("赵妈妈")
    assert "抱歉" not in li.text
    li.send("12月15日")
    with uow_factory() as uow:
        people = set(uow.session.scalars(select(Person.name).join(
            EducationPlanPerson, EducationPlanPerson.person_id == Person.id)))
    assert people == {"赵妈妈"}
