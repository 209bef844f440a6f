"""Safeguarding (issue 10, item 9): a suspected-abuse report never reaches the family; people left out of a chain.

杨秀云 tells her class teacher that her grandfather 张强, her entrusted
guardian, beats her when he drinks. The report must go to the school's
leaders and the child-protection contacts — never, first or later, to 张强,
nor to the rest of the family.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.escalation import EscalationPolicy
from bot.services import (
    incident_exclusions,
    incident_timeline,
    incidents,
)
from bot.store.models import IncidentEvent, IncidentStep
from tests.support.chat import Chat
from tests.support.incident_world import FAMILY, account, latest_incident, queued, run_escalations

ABUSE = "孩子身上有多处淤青，说是外公张强喝酒后打的。"


def test_a_suspected_abuse_report_goes_to_the_leaders_and_child_protection_never_to_the_family(
        engine, world, uow_factory, clock):
    reported = clock.now()
    wang = Chat(engine, account("wang"))
    wang.send("/incident 杨秀云")
    assert "疑似虐待或忽视（成人所为）" in [label for label, _ in wang.choices]
    wang.tap("疑似虐待或忽视（成人所为）")
    assert wang.text.startswith("请简要描述杨秀云的情况")  # no severity question: always urgent
    wang.send(ABUSE)
    assert wang.text.splitlines()[0] == "确认报告关于杨秀云的突发事件吗？"
    assert "不会通知孩子的家人" in wang.text
    for name in ("王校长", "陈老师", "李主任", "何主席", "刘警官"):
        assert name in wang.text
    assert "张强" not in wang.text.replace(ABUSE, "")
    wang.tap("立即报告")
    assert "不会通知孩子的家人" in wang.text
    iid = latest_incident(uow_factory)

    # Nobody acknowledges; three hours pass with the scheduler running.
    for minutes in range(0, 181, 5):
        clock.set(reported + timedelta(minutes=minutes))
        run_escalations(uow_factory, clock)
        for key in FAMILY:
            assert queued(uow_factory, to=world.people[key]) == [], (minutes, key)

    leaders = {world.principal, world.chen}
    protection = {world.director, world.federation, world.police}
    with uow_factory() as uow:
        steps = uow.session.scalars(select(IncidentStep).where(IncidentStep.incident_id == iid)).all()
        assert {(s.step_no, s.person_id) for s in steps} == (
            {(1, p) for p in leaders} | {(2, p) for p in protection})
        assert all(s.sent_at is not None for s in steps)
    for person in leaders | protection:
        [alert, *_] = queued(uow_factory, to=person, like=f"incident:{iid}:step:%:send")
        assert ABUSE in alert.text and "杨秀云" in alert.text
    # Nobody else at the school reads the details: not the admin, not another teacher, not the officials.
    for other in (world.admin, world.yuan, world.bureau, world.town):
        assert all(ABUSE not in q.text for q in queued(uow_factory, to=other))


def test_a_leader_acknowledging_sends_to_child_protection_at_once(uow_factory, world, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun,
                                        kind="suspected_abuse", severity="emergency", description=ABUSE,
                                        now=clock.now())
        uow.commit()
    clock.advance(timedelta(minutes=3))
    with uow_factory() as uow:
        assert incidents.acknowledge(uow, person_id=world.principal, incident_id=iid, now=clock.now()) == "acknowledged"
        uow.commit()
    for person in (world.director, world.federation, world.police):
        assert len(queued(uow_factory, to=person, like=f"incident:{iid}:step:2:%:send")) == 1
    # The accused guardian cannot acknowledge, see or close it.
    with uow_factory() as uow:
        acked = incidents.acknowledge(uow, person_id=world.zhangqiang, incident_id=iid, now=clock.now())
        assert acked == "not_recipient"
        assert not incident_timeline.may_view_incident(uow, person_id=world.zhangqiang, incident_id=iid)
        assert not incident_timeline.may_view_incident(uow, person_id=world.admin, incident_id=iid)
        assert not incident_timeline.may_view_incident(uow, person_id=world.yuan, incident_id=iid)
        assert incident_timeline.may_view_incident(uow, person_id=world.wang, incident_id=iid)
        assert incident_timeline.may_view_incident(uow, person_id=world.police, incident_id=iid)


def test_a_school_without_leaders_or_contacts_tells_the_admins_never_the_family(uow_factory, world, clock):
    with uow_factory() as uow:
        from bot.store.models import PersonRole

        uow.session.query(PersonRole).filter(PersonRole.role.in_(
            ["school_leader", "safeguarding_lead", "child_director", "womens_federation", "police"])).delete()
        uow.commit()
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun,
                                        kind="suspected_abuse", severity="emergency", description=ABUSE,
                                        now=clock.now())
        uow.commit()
    sent = queued(uow_factory, like=f"incident:{iid}:%")
    assert world.admin in {q.person_id for q in sent}
    assert not {q.person_id for q in sent} & {world.people[k] for k in FAMILY}


def test_a_safeguarding_policy_cannot_name_the_family():
    with pytest.raises(ValueError):
        EscalationPolicy.from_dict({"steps": [{"audience": "entrusted_guardians", "send_after_minutes": 0,
                                               "due_after_minutes": 30}]}, safeguarding=True)
    assert [s.audience.value for s in EscalationPolicy.safeguarding_default().steps] == [
        "school_leaders", "child_protection"]


# --- leaving a named person out of any chain --------------------------------------------------------


def test_the_reporter_leaves_the_guardian_out_with_a_reason(engine, world, uow_factory):
    wang = Chat(engine, account("wang"))
    wang.send("/incident 杨秀云")
    wang.tap("受伤")
    wang.tap("紧急")
    wang.send("手臂骨折，已送县医院。")
    assert "张强（委托监护人）" in wang.text  # the confirm screen says who will be told
    assert "排除某人" in [label for label, _ in wang.choices]
    wang.tap("排除某人")
    assert [label for label, _ in wang.choices][:3] == ["张强（委托监护人）", "杨杨（父亲）", "谢冬梅（母亲）"]
    wang.tap("张强（委托监护人）")
    assert "为什么" in wang.text and "张强" in wang.text
    wang.send("孩子母亲要求暂不告知外公")
    assert wang.text.splitlines()[0] == "确认报告关于杨秀云的突发事件吗？"
    assert "不通知：张强（委托监护人）——孩子母亲要求暂不告知外公" in wang.text
    wang.tap("立即报告")
    iid = latest_incident(uow_factory)

    assert queued(uow_factory, to=world.zhangqiang) == []
    # Step 1 has nobody left: the parents are told at once.
    assert {q.person_id for q in queued(uow_factory, like=f"incident:{iid}:step:%:send")} == {
        world.father, world.mother}
    with uow_factory() as uow:
        [event] = uow.session.scalars(select(IncidentEvent).where(
            IncidentEvent.incident_id == iid, IncidentEvent.kind == "excluded")).all()
        assert (event.person_id, event.note) == (world.zhangqiang, "孩子母亲要求暂不告知外公")
        assert event.detail["by"] == world.wang


def test_an_admin_leaves_a_parent_out_after_the_report(engine, world, uow_factory, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="injury",
                                        severity="emergency", description="摔伤。", now=clock.now())
        uow.commit()
    clock.advance(timedelta(minutes=31))
    run_escalations(uow_factory, clock)  # step 2: both parents
    assert len(queued(uow_factory, to=world.father)) == 1

    admin = Chat(engine, account("admin"))
    admin.send("/due")
    [payload] = [p for _, p in admin.choices if p.startswith("inc:")]
    admin.press(payload)
    admin.tap("排除某人")
    admin.tap("杨杨（父亲）")
    admin.send("法院判决限制探视")
    assert "已排除杨杨" in admin.text

    for _ in range(4):  # 40 … 70 minutes after the report
        clock.advance(timedelta(minutes=10))
        run_escalations(uow_factory, clock)
    assert len(queued(uow_factory, to=world.father)) == 1  # no reminder after being left out
    assert len([q for q in queued(uow_factory, to=world.mother) if ":remind:" in q.key]) >= 1
    with uow_factory() as uow:
        step = uow.session.scalar(select(IncidentStep).where(IncidentStep.incident_id == iid,
                                                             IncidentStep.person_id == world.father))
        assert step.excluded_at is not None and step.next_action_at is None
        event = uow.session.scalar(select(IncidentEvent).where(IncidentEvent.incident_id == iid,
                                                               IncidentEvent.kind == "excluded"))
        assert (event.person_id, event.note, event.detail["by"]) == (world.father, "法院判决限制探视", world.admin)
        rows = incident_timeline.timeline(uow, iid)
        assert any(r.person_id == world.father and r.excluded for r in rows)
    # The incident's view shows who was left out, and why.
    admin.press(payload)
    assert "已排除：杨杨——法院判决限制探视" in admin.text


def test_only_the_reporter_or_an_admin_may_leave_someone_out(uow_factory, world, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.xiuyun, kind="injury",
                                        severity="emergency", description="摔伤。", now=clock.now())
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(PermissionError):
            incident_exclusions.exclude_from_chain(uow, incident_id=iid, by=world.yuan, person_id=world.zhangqiang,
                                         reason="不想让他知道", now=clock.now())
        with pytest.raises(ValueError):
            incident_exclusions.exclude_from_chain(uow, incident_id=iid, by=world.wang, person_id=world.zhangqiang,
                                         reason=" ", now=clock.now())


# --- the roster names the contacts -------------------------------------------------------------------


def test_the_roster_staff_sheet_names_the_safeguarding_roles():
    from bot.domain.enums import Role
    from bot.domain.roster import ROLE_NAMES

    assert ROLE_NAMES["儿童主任"] is Role.CHILD_DIRECTOR
    assert ROLE_NAMES["妇联"] is Role.WOMENS_FEDERATION
    assert ROLE_NAMES["派出所"] is Role.POLICE
    assert ROLE_NAMES["儿童保护负责人"] is Role.SAFEGUARDING_LEAD
