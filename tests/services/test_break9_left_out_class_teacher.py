"""A class teacher left out of an ordinary incident about her pupil never hears of, sees or closes it (break9).

The duty teacher 袁老师 reports that 杨秀云 fell in the yard and leaves her class teacher 王老师 out. 王老师 used to
be told at once, could open it on ``/due``, close it, and was asked to phone the family when they did not
answer. Now the school's admin is asked instead; 王老师 hears nothing and has nothing to close (zh_Hans, en).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services import incident_timeline, incidents
from bot.store.models import Incident, Person
from tests.support.chat import Chat
from tests.support.incident_world import account, queued, run_escalations


def _report_leaving_her_out(uow_factory, clock, world) -> int:
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.yuan, child_id=world.xiuyun, kind="injury",
                                        severity="emergency", description="在操场摔倒了头破了", now=clock.now(),
                                        excluded={world.wang: "她与家长有纠纷，校长要求由学校直接联系"})
        uow.commit()
    return iid


@pytest.mark.parametrize(("locale", "nothing", "heading"), [
    ("zh_Hans", "您没有可以结束的突发事件。", "未结束的突发事件"),
    ("en", "You have no open incident you can close.", "Open incidents"),
])
def test_the_left_out_class_teacher_is_never_told_and_cannot_see_or_close_it(
        engine, world, uow_factory, clock, locale, nothing, heading):
    with uow_factory() as uow:
        uow.session.get(Person, world.wang).locale = locale
        uow.commit()
    wang = Chat(engine, account("wang"))
    wang.send("/due")  # a question of hers waiting in the chat: her own /due, before the report
    iid = _report_leaving_her_out(uow_factory, clock, world)
    assert queued(uow_factory, to=world.wang) == []  # not "the duty teacher reported your pupil"

    wang.send("/due")
    assert heading not in wang.text and "杨秀云" not in wang.text.split("谈心")[0]
    wang.send("/close")
    assert wang.text == nothing
    with uow_factory() as uow:
        assert not incident_timeline.may_view_incident(uow, person_id=world.wang, incident_id=iid)
        assert incident_timeline.may_view_incident(uow, person_id=world.admin, incident_id=iid)

    # Nobody of the family answers: the admin, not the left-out class teacher, is asked to phone them.
    for _ in range(12):
        clock.advance(timedelta(minutes=30))
        run_escalations(uow_factory, clock)
    assert queued(uow_factory, to=world.wang) == []
    assert any("张强" in q.text for q in queued(uow_factory, to=world.admin, like=f"incident:{iid}:%"))
    with uow_factory() as uow:
        assert uow.session.get(Incident, iid).status == "open"
        assert uow.session.scalar(select(Incident.id)) == iid
