"""Incident reports are rate-limited per reporter and merged per child, asking first (issue 10, item 5).

Review found one account reporting 30 emergencies in 1.7 s, each sent at once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services import (
    incident_limits,
    incidents,
)
from bot.store.models import Incident, IncidentEvent
from tests.support.chat import Chat
from tests.support.incident_world import account, queued, report_in_chat


def _count(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count()).select_from(Incident))


def test_thirty_reports_in_a_burst_are_cut_off_after_five(uow_factory, world, clock):
    children = [world.xiuyun, world.ting, *world.extra]
    made, refused = 0, 0
    for n in range(30):
        with uow_factory() as uow:
            try:
                incidents.report_incident(uow, reporter_id=world.yuan, child_id=children[n % len(children)],
                                          kind="injury", severity="emergency", description=f"第{n}次",
                                          now=clock.now() + timedelta(milliseconds=50 * n))
                uow.commit()
                made += 1
            except incident_limits.IncidentRateLimited:
                refused += 1
    assert (made, refused) == (5, 25)
    assert _count(uow_factory) == 5
    # Alerts went out for the five incidents only; nothing was sent for the 25 refused.
    assert len({q.key.split(":")[1] for q in queued(uow_factory) if q.key.endswith(":send")}) == 5
    # Ten minutes later the teacher can report again.
    with uow_factory() as uow:
        incidents.report_incident(uow, reporter_id=world.yuan, child_id=world.extra[0], kind="illness",
                                  severity="minor", description="头晕", now=clock.now() + timedelta(minutes=11))
        uow.commit()
    assert _count(uow_factory) == 6


def test_the_sixth_report_is_refused_politely_before_any_question(engine, world, uow_factory):
    duty = Chat(engine, account("yuan"))
    for child in ("李涛", "朱瑞明", "李淑珍华", "罗婷", "苏小雨"):
        report_in_chat(duty, child, "体育课上摔倒。")
    assert _count(uow_factory) == 5
    duty.send("/incident 王梓涵")
    assert "10分钟" in duty.text and "110" in duty.text
    assert "王校长" in duty.text and "138 0013 6961" in duty.text  # who to phone instead
    assert duty.choices == []
    assert _count(uow_factory) == 5
    duty.send("/incident 王梓涵")  # trying again tells the leaders no second time within the hour
    # The admins and leaders hear once that the limit was reached (a mass emergency, or misuse).
    for leader in (world.principal, world.admin):
        [told] = [q for q in queued(uow_factory, to=leader) if q.key.startswith("incident-rate:")]
        assert "袁老师" in told.text and "139 0013 5018" in told.text


def test_a_second_report_about_the_same_child_is_merged_after_asking(engine, world, uow_factory, clock):
    report_in_chat(Chat(engine, account("wang")), "杨婷", "课间摔倒，膝盖流血。")
    first = max(_ids(uow_factory))
    clock.advance(timedelta(minutes=3))

    duty = Chat(engine, account("yuan"))
    duty.send("/incident 杨婷")
    duty.tap("受伤")
    assert "杨婷" in duty.text and "2026年11月30日 09:00" in duty.text and "王老师" in duty.text
    assert [label for label, _ in duty.choices] == ["补充到这份报告", "单独报告"]
    duty.tap("补充到这份报告")
    duty.send("膝盖伤口较深，校医建议去镇卫生院缝针。")
    duty.tap("补充")
    assert "已补充" in duty.text
    assert _ids(uow_factory) == [first]
    with uow_factory() as uow:
        [added] = uow.session.scalars(select(IncidentEvent).where(
            IncidentEvent.incident_id == first, IncidentEvent.kind == "added")).all()
        assert (added.person_id, added.note) == (world.yuan, "膝盖伤口较深，校医建议去镇卫生院缝针。")
    # Those already alerted read the addition; the reporter too.
    for person in (world.yangbing, world.wang):
        [update] = [q for q in queued(uow_factory, to=person) if ":added:" in q.key]
        assert "袁老师" in update.text and "缝针" in update.text


def test_report_separately_makes_a_new_incident(engine, world, uow_factory, clock):
    report_in_chat(Chat(engine, account("wang")), "杨婷", "课间摔倒，膝盖流血。")
    clock.advance(timedelta(minutes=5))
    duty = Chat(engine, account("yuan"))
    duty.send("/incident 杨婷")
    duty.tap("生病")
    duty.tap("单独报告")
    assert duty.text == "杨婷的情况有多严重？"
    duty.tap("一般")
    duty.send("午睡后发烧37.8度。")
    duty.tap("立即报告")
    assert len(_ids(uow_factory)) == 2


def test_an_old_or_closed_report_is_not_offered(engine, world, uow_factory, clock):
    report_in_chat(Chat(engine, account("wang")), "杨婷", "课间摔倒，膝盖流血。")
    clock.advance(timedelta(hours=2))
    duty = Chat(engine, account("yuan"))
    duty.send("/incident 杨婷")
    duty.tap("受伤")
    assert duty.text == "杨婷的情况有多严重？"


def test_an_abuse_report_is_never_merged_into_a_family_incident(engine, world, uow_factory, clock):
    report_in_chat(Chat(engine, account("wang")), "杨秀云", "课间摔倒，手臂淤青。")
    clock.advance(timedelta(minutes=2))
    chen = Chat(engine, account("chen"))
    chen.send("/incident 杨秀云")
    chen.tap("疑似虐待或忽视（成人所为）")
    assert chen.text.startswith("请简要描述杨秀云的情况")
    assert "补充到这份报告" not in [label for label, _ in chen.choices]


def _ids(uow_factory) -> list[int]:
    with uow_factory() as uow:
        return sorted(uow.session.scalars(select(Incident.id)).all())


def test_a_child_gets_at_most_three_separate_open_reports_an_hour(uow_factory, world, clock):
    for n, reporter in enumerate((world.wang, world.yuan, world.principal)):
        with uow_factory() as uow:
            incidents.report_incident(uow, reporter_id=reporter, child_id=world.ting, kind="injury",
                                      severity="minor", description=f"报告{n}", now=clock.now())
            uow.commit()
    with uow_factory() as uow, pytest.raises(incident_limits.IncidentRateLimited) as refused:
        incidents.report_incident(uow, reporter_id=world.admin, child_id=world.ting, kind="illness",
                                  severity="minor", description="第四份", now=clock.now())
    assert refused.value.reason == "child"
    # A safeguarding report is counted apart: the refusal reveals nothing, and it still goes out.
    with uow_factory() as uow:
        incidents.report_incident(uow, reporter_id=world.chen, child_id=world.ting, kind="suspected_abuse",
                                  severity="emergency", description="孩子说叔叔不给饭吃", now=clock.now())
        uow.commit()
    assert _count(uow_factory) == 4
