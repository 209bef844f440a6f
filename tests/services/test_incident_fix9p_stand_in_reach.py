"""The confirm screen and the report decide the stand-ins by one rule, and the screen names them in one query.

王老师 reports that 杨秀云 is hurt by the principal, leaving out both leaders (王校长 and the safeguarding lead
陈老师): step 1 goes to the admins standing in for them. The confirm screen (``stand_in_members``) named
them with a query per person and repeated ``report_incident``'s rule; now both read ``step_reach`` and the
names come in one query, however many admins the school has (review, issue 9).
"""

from __future__ import annotations

from sqlalchemy import event, select

from bot.domain.enums import Role
from bot.services import incidents
from bot.services.incident_people import stand_in_members
from bot.store.models import IncidentStep
from tests.support.school import add_staff

ABUSE = "她说校长经常把她叫到办公室，身上有伤。"


def _statements(uow_factory, world) -> tuple[list[str], int]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    gone = {world.principal, world.chen}
    with uow_factory() as uow:
        bind = uow.session.get_bind()
        event.listen(bind, "before_cursor_execute", count)
        try:
            members = stand_in_members(uow, world.xiuyun, 1, "school_leaders", gone)
        finally:
            event.remove(bind, "before_cursor_execute", count)
    return [m.name for m in members], len(seen)


def test_the_screen_names_the_stand_ins_the_report_alerts_in_as_many_queries_for_four(world, uow_factory, clock):
    names, one_admin = _statements(uow_factory, world)
    assert names == ["刘主任"]
    with uow_factory() as uow:
        for n, name in enumerate(("赵主任", "钱主任", "孙主任")):
            add_staff(uow.session, world.school, name,
                      f"t:9p:{n}", Role.ADMIN, now=clock.now())
        uow.commit()
    names, four_admins = _statements(uow_factory, world)
    assert sorted(names) == sorted(["刘主任", "赵主任", "钱主任", "孙主任"])
    assert four_admins == one_admin  # one query for the names, not one per admin
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="suspected_abuse",
                                        severity="emergency", description=ABUSE, now=clock.now(),
                                        excluded={world.principal: "被举报的就是校长本人", world.chen: "与校长同住"})
        uow.commit()
        alerted = set(uow.session.scalars(select(IncidentStep.person_id).where(IncidentStep.incident_id == iid,
                                                                               IncidentStep.step_no == 1)))
    assert len(alerted) == 4 and world.principal not in alerted and world.chen not in alerted

