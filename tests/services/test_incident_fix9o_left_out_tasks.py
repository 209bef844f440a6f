"""Leaving someone out after the report takes the incident's tasks off their list (issue 9).

Before, a task of the incident given before they were left out stayed on their ``/tasks`` and digest,
telling them of the report after all: the principal left out of an abuse report kept its call-back, and
王老师 was still asked to phone the grandfather the family had asked not to be told. Now a task of the
person left out goes to whoever left them out, who is told at once; a task to phone them is cancelled.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.enums import TaskKind
from bot.services import incident_exclusions, incidents, tasks
from bot.store.models import IncidentStep, Task
from tests.support.chat import Chat
from tests.support.incident_world import account, queued, run_escalations


def test_the_call_to_the_grandfather_left_out_is_cancelled(engine, world, uow_factory, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="injury",
                                        severity="emergency", description="摔伤。", now=clock.now())
        uow.commit()
    clock.advance(timedelta(minutes=31))
    run_escalations(uow_factory, clock)  # 张强 missed step 1: 王老师 is asked to phone him
    teacher = Chat(engine, account("wang"))
    teacher.send("/tasks")
    assert "张强" in teacher.text
    with uow_factory() as uow:
        assert incident_exclusions.exclude_from_chain(uow, incident_id=iid, by=world.admin,
                                                      person_id=world.zhangqiang, reason="孩子母亲要求暂不告知外公",
                                                      now=clock.now())
        uow.commit()
    teacher.send("/tasks")
    assert "张强" not in teacher.text


def test_the_left_out_principals_task_goes_to_the_reporter_who_is_told(engine, world, uow_factory, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="suspected_abuse",
                                        severity="emergency", description="校长经常把她叫到办公室，她身上有伤。",
                                        now=clock.now())
        assert uow.session.scalar(select(IncidentStep.id).where(IncidentStep.incident_id == iid,
                                                                IncidentStep.person_id == world.principal))
        task = tasks.create(uow, key=f"incident:{iid}:chain_missed:task", kind=TaskKind.INCIDENT_NOT_REACHED,
                            assignee_id=world.principal, child_id=world.xiuyun, now=clock.now())
        uow.commit()
        task_id = task.id
    principal = Chat(engine, account("principal"))
    principal.send("/tasks")
    assert "杨秀云" in principal.text
    with uow_factory() as uow:
        assert incident_exclusions.exclude_from_chain(uow, incident_id=iid, by=world.wang, person_id=world.principal,
                                                      reason="被举报的就是校长本人", now=clock.now())
        uow.commit()
    principal.send("/tasks")
    assert "杨秀云" not in principal.text
    with uow_factory() as uow:
        assert uow.session.get(Task, task_id).assignee_id == world.wang
    handed = [q for q in queued(uow_factory, to=world.wang) if ":handed:" in q.key]
    assert len(handed) == 1 and "/tasks" in handed[0].text
    teacher = Chat(engine, account("wang"))
    teacher.send("/tasks")
    assert "杨秀云" in teacher.text
