"""An URGENT family message nobody answers escalates (bot.services.urgent_escalation, issue 6).

张强 (grandfather of 杨秀云) types 孩子不见了 at 23:10 school time; her class teacher is 王老师,
her helper teacher 陈老师; 王校长 and 刘主任 run the school. The clock is the test's (``now``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.emergency_words import EmergencyKind
from bot.services import family_messages, incident_due, urgent_escalation, urgent_messages
from bot.store.models import FamilyMessage, OutboxMessage, Task
from tests.support.incident_world import make_world

T0 = datetime(2026, 12, 4, 15, 10, tzinfo=UTC)  # 23:10 in Shanghai


def _urgent(uow_factory, world) -> int:
    with uow_factory() as uow:
        [passed] = urgent_messages.pass_on(uow, from_person_id=world.zhangqiang, child_ids=[world.xiuyun],
                                           body="孩子不见了", kind=EmergencyKind.POLICE, now=T0)
        assert passed.reader == "王老师"
        uow.commit()
    with uow_factory() as uow:
        return uow.session.scalars(select(FamilyMessage.id)).one()


def _keys(uow_factory) -> set[str]:
    with uow_factory() as uow:
        return {k for k in uow.session.scalars(select(OutboxMessage.key)) if k.startswith("urgent:")}


def test_unanswered_it_reminds_the_class_teacher_then_tells_the_helper_and_the_admins(uow_factory):
    world = make_world(uow_factory, T0)
    message = _urgent(uow_factory, world)
    assert incident_due.next_escalation_at(uow_factory) == T0 + urgent_escalation.REMIND_AFTER
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=9)) == 0
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=10)) == 1
    assert _keys(uow_factory) == {f"urgent:{message}:remind"}
    assert incident_due.next_escalation_at(uow_factory) == T0 + urgent_escalation.BACKUP_AFTER
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=20)) == 1
    backups = {f"urgent:{message}:backup:{world.people[k]}" for k in ("chen", "principal", "admin")}
    assert _keys(uow_factory) == {f"urgent:{message}:remind", f"urgent:{message}:family", *backups}
    assert incident_due.next_escalation_at(uow_factory) is None
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(hours=2)) == 0  # nothing twice
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.key, task.kind, task.about_person_id) == (f"urgent:{message}:task", "urgent_unanswered",
                                                                world.zhangqiang)
        # a backup may answer it: the grandfather hears from the principal
        assert family_messages.answer(uow, teacher_id=world.people["principal"], message_id=message,
                                      body="我马上打给您", now=T0 + timedelta(minutes=21)) is not None


def test_an_answered_message_does_not_escalate(uow_factory):
    world = make_world(uow_factory, T0)
    message = _urgent(uow_factory, world)
    with uow_factory() as uow:
        assert family_messages.answer(uow, teacher_id=world.wang, message_id=message, body="我在找，马上打给您",
                                      now=T0 + timedelta(minutes=4)) is not None
        uow.commit()
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=30)) == 0
    assert _keys(uow_factory) == set()
    assert incident_due.next_escalation_at(uow_factory) is None
    with uow_factory() as uow:
        assert uow.session.scalars(select(Task)).all() == []


def test_an_acknowledged_message_stops_after_the_reminder(uow_factory):
    world = make_world(uow_factory, T0)
    message = _urgent(uow_factory, world)
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=10)) == 1
    with uow_factory() as uow:
        assert urgent_escalation.acknowledge(uow, message_id=message, now=T0 + timedelta(minutes=12))
        uow.commit()
    assert incident_due.escalate_due(uow_factory, now=T0 + timedelta(minutes=30)) == 0
    assert _keys(uow_factory) == {f"urgent:{message}:remind"}
