"""/privacy and /audit never cross a child's boundary (issue 10, "a property test … extended to every new command").

Over every person of the access school (two schools, every role, namesakes,
an inactive child), through the flow runner: ``/privacy`` lists exactly the
person's own active children, and ``/audit 张三`` lists only a child of the
admin's own school and nothing for anyone else.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.store.models import AuditEntry, Child, Person
from tests.support.chat import Chat
from tests.support.school import access_school, add_account


@pytest.fixture
def world(uow_factory, clock):
    with uow_factory() as uow:
        t = access_school(uow)
    with uow_factory() as uow:
        people = uow.session.scalars(select(Person).order_by(Person.id)).all()
        for person in people:
            add_account(uow.session, person.id, f"p{person.id}")
        names = {c.id: c.name for c in uow.session.scalars(select(Child))}
        uow.commit()
    return t, [p.id for p in people], names


def test_privacy_lists_only_the_persons_own_active_children(world, uow_factory, clock) -> None:
    t, people, names = world
    flows = FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))
    own = {t.guardian_a: [t.zs_a], t.guardian_b: [t.zs_b], t.father_a: [t.zs_a]}
    for person in people:
        chat = Chat(flows, f"p{person}")
        chat.send("/privacy")
        listed = [line for line in chat.text.splitlines() if line.startswith("· ")]
        expected = [f"· {names[c]}：已同意" for c in own.get(person, [])]
        assert listed == expected, person  # 张爷爷's inactive 赵六 is not listed either


def test_audit_lists_only_a_child_of_the_admins_own_school(world, uow_factory, clock) -> None:
    t, people, _names = world
    flows = FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))
    for person in people:
        chat = Chat(flows, f"p{person}")
        chat.send("/audit 李四")
    with uow_factory() as uow:
        rows = uow.session.execute(select(AuditEntry.actor_id, AuditEntry.child_id)).all()
    # Only the school's admin and leader listed 李四 (class C); the other school's admin found nobody.
    assert sorted(rows) == sorted([(t.admin, t.li_si), (t.leader, t.li_si)])
    other = Chat(flows, f"p{t.other_admin}")
    other.send("/audit 张三")  # their own school's 张三 only: no question about namesakes elsewhere
    assert other.text == "Nobody has read or changed 张三's record yet."  # (that school speaks English)
    with uow_factory() as uow:
        assert uow.session.scalar(select(AuditEntry.child_id).where(AuditEntry.actor_id == t.other_admin)) \
            == t.other_child
