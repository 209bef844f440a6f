"""Issue 9, found by new users: a grandmother's two grandchildren called 张三, in 一年级1班 at two schools.

Her ``/card 张三`` choices looked the same ("张三（一年级1班）" twice); choices spanning schools name the school.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.enums import RelationKind, Role
from bot.store.models import PersonSchool
from tests.support.chat import Chat
from tests.support.school import SchoolBuilder


def test_namesakes_at_two_schools_are_told_apart_by_school(flows, uow_factory):
    with uow_factory() as uow:
        b = SchoolBuilder(uow.session, "清溪小学")
        other = b.school("石门小学")
        grandma = b.person("张奶奶", Role.GUARDIAN, phone="+8613800000021")
        uow.session.add(PersonSchool(person_id=grandma, school_id=other, since=datetime(2026, 9, 1, tzinfo=UTC)))
        here = b.child("张三", "Q1", b.klass("一年级1班"))
        there = b.child("张三", "S1", b.klass("一年级1班", school=other), school=other)
        for child in (here, there):
            b.relate(child, RelationKind.ENTRUSTED_GUARDIAN, grandma)
        b.account(grandma, "grandma")
        uow.commit()
    chat = Chat(flows, "grandma")
    chat.send("/card 张三")
    labels = [label for label, _payload in chat.choices]
    assert len(labels) == 2 and labels[0] != labels[1]
    assert {label.split("：", 1)[0] for label in labels} == {"清溪小学", "石门小学"}
