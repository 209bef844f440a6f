"""An admin's incident export lists what the dashboard shows her, never a safeguarding report (fix9h, item 9).

王老师 reports that 小二's entrusted guardian hits her (suspected abuse): the report goes to the school's
leaders (周校长) and nobody else. 刘主任, an admin who is not a leader, sees 小一's fall on the dashboard
and in the incident file, and neither shows her 小二's report; 周校长 sees both, in both places.
"""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from bot.domain.enums import Role
from bot.services import incidents
from bot.store.models import Incident, Person
from tests.support.school import add_staff
from tests.web.test_dashboard import _client, _past_totp, _sign_in, link_for, site  # noqa: F401

ABUSE = "小二说委托监护人喝酒后打她，胳膊上有淤青。"


def _admin_and_report(container, world, clock) -> int:
    with container.uow() as uow:
        school = uow.session.get(Person, world.leader).school_id
        admin = add_staff(uow.session, school, "刘主任", "t:admin9h", Role.ADMIN, now=clock.now())
        incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiaoer, kind="suspected_abuse",
                                  severity="emergency", description=ABUSE, now=clock.now())
        uow.commit()
        return admin


async def _seen(container, person: int, clock) -> tuple[str, list[str]]:
    async with _client(container) as client:
        page = await _past_totp(client, await _sign_in(client, link_for(container, person)), clock)
        listing = (await client.get("/web/incidents")).text
        download = await client.get("/web/exports/download", params={"kind": "incidents"})
    assert page.status_code == 200 and download.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    return listing, [str(r[1]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is not None]


async def test_the_admin_file_leaves_out_the_abuse_report_as_her_dashboard_does(site, clock):  # noqa: F811
    container, world = site
    admin = _admin_and_report(container, world, clock)
    listing, children = await _seen(container, admin, clock)
    assert "小一" in listing and "小二" not in listing  # the dashboard: the fall, not the report
    assert set(children) == {"小一"}  # the file: the same
    listing, children = await _seen(container, world.leader, clock)
    assert "小一" in listing and "小二" in listing  # a leader is among the report's designated people
    assert {"小一", "小二"} <= set(children)
    with container.uow() as uow:
        assert uow.session.scalar(select(Incident.kind).where(Incident.child_id == world.xiaoer)) == "suspected_abuse"
