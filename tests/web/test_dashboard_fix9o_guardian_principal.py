"""The principal who is the child's guardian never finds the safeguarding report about her on the dashboard.

周校长 is made 小二's entrusted guardian. 王老师 reports that 小二 is beaten at home (suspected abuse); the
report's call task is 王老师's. Before, the dashboard kept from 周校长 only what she was left out of: the
report's task on the school's task list. Now the one rule (issue 9) keeps the family of a safeguarding
report's child from it everywhere: the task list, the incidents page and the incident file; 刘主任, the
admin who stands in for the leader, sees all three. The task list counts a task at its child's school,
as ``/tasks`` does, not at its assignee's.
"""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from bot.domain.enums import RelationKind, Role, TaskKind
from bot.services import incidents, tasks
from bot.store.models import ChildRelation, Incident, Person
from tests.support.school import add_staff
from tests.web.test_dashboard import _client, _past_totp, _sign_in, link_for, site  # noqa: F401 — the fixture

ABUSE = "小二说家里人喝酒后打她，胳膊上有淤青。"


def _report(container, world, clock) -> int:
    with container.uow() as uow:
        s = uow.session
        school = s.get(Person, world.leader).school_id
        admin = add_staff(s, school, "刘主任", "t:admin9o", Role.ADMIN, now=clock.now())
        s.add(ChildRelation(child_id=world.xiaoer, kind=RelationKind.ENTRUSTED_GUARDIAN.value, person_id=world.leader))
        s.flush()
        incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiaoer, kind="suspected_abuse",
                                  severity="emergency", description=ABUSE, now=clock.now())
        report = s.scalar(select(Incident.id).where(Incident.child_id == world.xiaoer))
        tasks.create(uow, key=f"incident:{report}:test:task", kind=TaskKind.INCIDENT_STEP_MISSED,
                     assignee_id=world.wang, child_id=world.xiaoer, now=clock.now())
        elsewhere = add_staff(s, world.hekou, "何老师", "t:hekou9o", Role.CLASS_TEACHER, now=clock.now())
        tasks.create(uow, key="t:9o:elsewhere", kind=TaskKind.TALK_FOLLOW_UP, assignee_id=elsewhere,
                     child_id=world.xiaoyi, now=clock.now())
        uow.commit()
        return admin


async def _seen(container, person: int, clock) -> tuple[str, str, list[str]]:
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, person)), clock)
        listing = (await client.get("/web/incidents")).text
        task_list = (await client.get("/web/tasks")).text
        download = await client.get("/web/exports/download", params={"kind": "incidents"})
    assert page.status_code == 200 and download.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    return listing, task_list, [str(r[1]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is not None]


async def test_the_guardian_principal_sees_nothing_of_the_report_the_admin_sees_it(site, clock):  # noqa: F811
    container, world = site
    admin = _report(container, world, clock)
    listing, task_list, children = await _seen(container, world.leader, clock)
    assert "小二" not in listing and "小二" not in children
    assert "突发事件：给未按时确认的人打电话" not in task_list  # the report's call task
    assert "何老师" in task_list  # a task about 小一 of her school, though its assignee teaches elsewhere
    listing, task_list, children = await _seen(container, admin, clock)
    assert "小二" in listing and "小二" in children
    assert "突发事件：给未按时确认的人打电话" in task_list
