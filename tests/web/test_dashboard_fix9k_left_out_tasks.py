"""The dashboard's task list never shows the principal the tasks of a report he was left out of (fix9k).

The same rule as his ``/due`` and digest (``incident_roles.tasks_not_left_out``): a call task of a report
that left him out, assigned to 王老师, is on nobody's list for him; the school's other tasks still are.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.enums import TaskKind
from bot.store.models import Incident, IncidentEvent, Task
from tests.web.test_dashboard import _client, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture


async def test_the_left_out_principal_does_not_see_the_reports_call_task(site, clock):  # noqa: F811
    container, world = site
    with container.uow() as uow:
        incident = uow.session.scalar(select(Incident).where(Incident.child_id == world.xiaoyi))
        for left_out, task in ((True, "INCIDENT_NOT_REACHED"), (False, "INCIDENT_STEP_MISSED")):
            kept = incident if not left_out else Incident(
                child_id=world.xiaoer, reporter_id=world.wang, kind="suspected_abuse", severity="emergency",
                description="校长打她", reported_at=clock.now(), policy={})
            uow.session.add(kept)
            uow.session.flush()
            if left_out:
                uow.session.add(IncidentEvent(incident_id=kept.id, at=clock.now(), kind="excluded",
                                              person_id=world.leader, note="被举报的就是校长本人"))
            uow.session.add(Task(key=f"incident:{kept.id}:test:task", kind=TaskKind[task].value,
                                 child_id=kept.child_id, assignee_id=world.wang, created_at=clock.now(),
                                 due_at=clock.now() - timedelta(hours=1)))
        uow.commit()
    async with _client(container) as client:
        await _past_totp(client, await _sign_in(client, link_for(container, world.leader)), clock)
        tasks = (await client.get("/web/tasks")).text
    assert "突发事件：给未按时确认的人打电话" in tasks  # the task of the incident he is in is listed
    assert "突发事件：联系链上无人回应" not in tasks  # the abuse report's, never
    assert "谈心后续跟进" in tasks or "打电话" in tasks  # the school's other tasks are still there
