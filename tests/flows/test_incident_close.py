"""Closing an incident is confirmed, names the child and the report time, records an outcome (issue 6, item 2).

Written as the teachers act: tapping "结束事件" on the report reply, typing
numbers on WeChat, closing from /close with two incidents open.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.flows.runner import FlowRunner
from bot.services import (
    incident_close,
    incidents,
)
from bot.store.models import Incident, IncidentEvent
from tests.support.chat import Chat
from tests.support.incident_world import account, latest_incident, make_world, queued, report_in_chat

SETTINGS = Settings(database_url="sqlite://")


@pytest.fixture
def world(uow_factory, clock):
    return make_world(uow_factory, clock.now(), wechat=("yuan",))


@pytest.fixture
def engine(uow_factory, clock):
    return FlowRunner(uow_factory, clock, SETTINGS)


def _incident(uow_factory, incident_id: int) -> Incident:
    with uow_factory() as uow:
        row = uow.session.get(Incident, incident_id)
        uow.session.expunge_all()
        return row


def test_the_close_button_asks_for_the_outcome_and_a_confirmation_naming_child_and_time(
        engine, world, uow_factory, clock):
    wang = Chat(engine, account("wang"))
    report_in_chat(wang, "杨秀云", "课间在操场摔倒，右臂疼痛。")
    incident_id = latest_incident(uow_factory)
    clock.advance(timedelta(minutes=40))

    wang.tap("结束事件")
    assert _incident(uow_factory, incident_id).status == "open"
    assert "杨秀云（一年级（1）班）" in wang.text and "2026年11月30日 09:00" in wang.text
    assert wang.text.startswith("结束关于杨秀云")
    assert [label for label, _ in wang.choices] == [
        "孩子在学校，安全", "孩子在家，安全", "已送诊所或医院", "孩子已找到", "其他（请说明）"]
    wang.tap("已送诊所或医院")
    assert "跳过" in [label for label, _ in wang.choices]
    wang.send("已送镇卫生院拍片，无骨折，外公已接回家。")
    assert wang.text.splitlines()[0] == (
        "确认结束关于杨秀云（一年级（1）班）的突发事件（受伤，报告于2026年11月30日 09:00）吗？")
    assert "结果：已送诊所或医院" in wang.text
    assert "说明：已送镇卫生院拍片，无骨折，外公已接回家。" in wang.text
    assert [label for label, _ in wang.choices] == ["确认结束", "暂不结束"]
    assert _incident(uow_factory, incident_id).status == "open"

    wang.tap("确认结束")
    assert "已结束" in wang.text
    closed = _incident(uow_factory, incident_id)
    assert (closed.status, closed.outcome) == ("closed", "clinic_or_hospital")
    assert closed.outcome_note == "已送镇卫生院拍片，无骨折，外公已接回家。"

    # Everyone the chain reached hears the outcome, not only "closed".
    told = queued(uow_factory, like=f"incident:{incident_id}:closed:%")
    assert {q.person_id for q in told} == {world.zhangqiang}  # only step 1 was sent so far
    [notice] = told
    assert "结果：已送诊所或医院" in notice.text and "报告于2026年11月30日 09:00" in notice.text
    assert "已送镇卫生院拍片" in notice.text
    assert "不需要再做什么" not in notice.text and "No further action" not in notice.text
    with uow_factory() as uow:
        [event] = uow.session.scalars(select(IncidentEvent).where(
            IncidentEvent.incident_id == incident_id, IncidentEvent.kind == "closed")).all()
        assert event.person_id == world.wang and event.detail["outcome"] == "clinic_or_hospital"


def test_other_needs_a_few_words(engine, world, uow_factory):
    wang = Chat(engine, account("wang"))
    report_in_chat(wang, "杨婷", "放学后没有回家。", kind="走失")
    wang.tap("结束事件")
    wang.tap("其他（请说明）")
    assert "跳过" not in [label for label, _ in wang.choices]
    assert "请写几句话" in wang.text
    wang.send("在同学家找到，已由叔叔接回。")
    assert "结果：其他" in wang.text and "说明：在同学家找到" in wang.text
    wang.tap("暂不结束")
    assert _incident(uow_factory, latest_incident(uow_factory)).status == "open"
    assert wang.text == "关于杨婷的事件还没有结束，也没有通知任何人。以后要结束时，请发送“结束事件”。"  # fix6v


def test_a_typed_number_never_closes_an_incident_on_wechat(engine, world, uow_factory):
    yuan = Chat(engine, "wx-yuan", channel="wechat")
    report_in_chat(yuan, "李涛", "体育课上扭伤脚踝。")
    incident_id = latest_incident(uow_factory)
    # The report reply offers "结束事件" as a numbered choice; a teacher types numbers for everything.
    yuan.send("1")
    yuan.send("1")  # the child is safe at school
    yuan.send("跳过")
    assert yuan.text.startswith("确认结束关于李涛")
    yuan.send("1")
    assert _incident(uow_factory, incident_id).status == "open"
    assert "不能用数字" in yuan.text and "确认结束" in yuan.text
    yuan.send("１")  # full-width
    assert _incident(uow_factory, incident_id).status == "open"
    yuan.send("确认结束")
    assert _incident(uow_factory, incident_id).status == "closed"
    assert _incident(uow_factory, incident_id).outcome == "safe_at_school"


def test_injury_1_for_another_child_leaves_the_open_emergency_open(engine, world, uow_factory):
    """Issue 6: a teacher who typed 1 for "injury" about 杨婷 closed the open emergency about 杨秀云."""
    yuan = Chat(engine, "wx-yuan", channel="wechat")
    report_in_chat(yuan, "杨秀云", "午饭后腹痛呕吐。", kind="生病")
    first = latest_incident(uow_factory)
    yuan.send("/incident 杨婷")
    yuan.send("1")
    assert _incident(uow_factory, first).status == "open"
    with uow_factory() as uow:
        assert uow.session.scalar(select(IncidentEvent.id).where(
            IncidentEvent.incident_id == first, IncidentEvent.kind == "closed")) is None


def test_only_the_reporter_or_the_leaders_may_close(engine, world, uow_factory):
    wang = Chat(engine, account("wang"))
    report_in_chat(wang, "杨婷", "课间被同学推倒，膝盖擦伤。", kind="受伤", severity="一般")
    incident_id = latest_incident(uow_factory)
    other = Chat(engine, account("chen"))
    other.press(f"close:{incident_id}")
    # A colleague with no business with the incident reads what an unknown id reads (fix9t): the words
    # "only the reporter can close this incident" would confirm it exists.
    assert other.text == "这个按钮已经失效了。"
    assert other.choices == []
    principal = Chat(engine, account("principal"))
    principal.press(f"close:{incident_id}")
    assert principal.text.startswith("结束关于杨婷")
    principal.tap("孩子在学校，安全")
    principal.tap("跳过")
    principal.tap("确认结束")
    assert _incident(uow_factory, incident_id).closed_by_id == world.principal
    # The reporter hears the outcome from the principal.
    [notice] = queued(uow_factory, to=world.wang, like=f"incident:{incident_id}:closed:%")
    assert "王校长" in notice.text and "结果：孩子在学校，安全" in notice.text


def test_close_command_with_two_open_incidents_asks_which(engine, world, uow_factory, clock):
    wang = Chat(engine, account("wang"))
    report_in_chat(wang, "杨秀云", "发烧39度。", kind="生病")
    clock.advance(timedelta(minutes=2))
    report_in_chat(wang, "杨婷", "手指被门夹伤。", severity="一般")
    wang.send("/close")
    assert [label for label, _ in wang.choices] == [
        "杨秀云（生病，2026年11月30日 09:00）", "杨婷（受伤，2026年11月30日 09:02）"]
    wang.tap("杨婷（受伤，2026年11月30日 09:02）")
    assert wang.text.startswith("结束关于杨婷")


def test_close_service_needs_an_outcome(uow_factory, world, clock):
    with uow_factory() as uow:
        iid = incidents.report_incident(uow, reporter_id=world.wang, child_id=world.ting, kind="injury",
                                        severity="minor", description="擦伤", now=clock.now())
        uow.commit()
    with uow_factory() as uow, pytest.raises(ValueError):
        incident_close.close_incident(uow, person_id=world.wang, incident_id=iid, now=clock.now(), outcome="fine")
    with uow_factory() as uow, pytest.raises(ValueError):
        incident_close.close_incident(uow, person_id=world.wang, incident_id=iid, now=clock.now(), outcome="other",
                                 note="")
    assert _incident(uow_factory, iid).status == "open"
