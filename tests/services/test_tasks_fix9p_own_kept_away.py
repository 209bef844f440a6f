"""One's own ``/tasks`` and ``/due`` keep the one kept-away rule the school's list keeps (issue 9, fix9p).

Before, only the school's list (and a colleague's) left out the tasks of a report the reader is kept away
from; one's own list showed every task one held. 王校长 held the nobody-reached call of an abuse report
about 杨秀云 and then became her entrusted guardian (the family is kept away from a safeguarding report):
his own ``/tasks`` and ``/due`` still named her. Now they do not, an old button of that task is refused,
and the task cannot be handed to someone kept away from its report.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.enums import RelationKind, TaskKind
from bot.services import incidents, tasks
from bot.services.identity import actor_of
from bot.store.models import ChildRelation, Task
from tests.support.chat import Chat
from tests.support.incident_world import account

ABUSE = "她说晚上经常被家里人打，手臂上有伤。"


def _report_with_task(uow_factory, world, clock, assignee: int) -> tuple[int, int]:
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="suspected_abuse",
                                        severity="emergency", description=ABUSE, now=clock.now())
        task = tasks.create(uow, key=f"incident:{iid}:chain_missed:task", kind=TaskKind.INCIDENT_NOT_REACHED,
                            assignee_id=assignee, child_id=world.xiuyun, now=clock.now())
        uow.commit()
        return iid, task.id


def test_the_principal_who_becomes_her_guardian_no_longer_finds_the_reports_task(engine, world, uow_factory,
                                                                               clock):
    _iid, task_id = _report_with_task(uow_factory, world, clock, world.principal)
    principal = Chat(engine, account("principal"))
    principal.send("/tasks")
    assert "杨秀云" in principal.text  # his while he is only the school's leader
    with uow_factory() as uow:  # the roster now names him her entrusted guardian
        uow.session.add(ChildRelation(child_id=world.xiuyun, kind=RelationKind.ENTRUSTED_GUARDIAN.value,
                                      person_id=world.principal))
        uow.commit()
    principal.send("/tasks")
    assert "杨秀云" not in principal.text
    principal.send("/due")
    assert "杨秀云" not in principal.text
    with uow_factory() as uow:
        actor = actor_of(uow, world.principal)
        assert actor is not None
        assert tasks.view(uow, actor, task_id, clock.now()) is None  # an old button of it: as if unknown
    admin = Chat(engine, account("admin"))
    admin.send("/tasks")
    assert "杨秀云" in admin.text  # the school's list still shows it to 刘主任


def test_a_reports_task_is_not_handed_to_the_principal_left_out(engine, world, uow_factory, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="suspected_abuse",
                                        severity="emergency", description=ABUSE, now=clock.now(),
                                        excluded={world.principal: "被举报的就是校长本人"})
        task = tasks.create(uow, key=f"incident:{iid}:chain_missed:task", kind=TaskKind.INCIDENT_NOT_REACHED,
                            assignee_id=world.admin, child_id=world.xiuyun, now=clock.now())
        uow.commit()
        task_id = task.id
    with uow_factory() as uow:
        outcome = tasks.hand_over(uow, actor_of(uow, world.admin), task_id=task_id, to_person_id=world.principal,
                                  now=clock.now())
        uow.commit()
        assert outcome is tasks.Outcome.BAD_COLLEAGUE
        assert uow.session.scalar(select(Task.assignee_id).where(Task.id == task_id)) == world.admin
