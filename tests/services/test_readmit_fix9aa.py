"""Someone left out of an incident is let back in: only by its leaders for an abuse report, with a reason (fix9aa).

青山村小学: 李老师 reports 疑似虐待 about 张三 and, after the report, leaves out the principal 周校长 (the only
leader). Letting him back in is not hers to do alone: 刘科长, who stands in for the leaders, may. 周校长, while
left out, reads the button as an id that does not exist. Let back in, he is asked to acknowledge again, once.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.bootstrap import make_flows
from bot.services import incident_exclusions, incident_readmit, incident_roles
from bot.store.models import Incident, IncidentEvent, Person, Task
from tests.services.test_kept_away_buttons9t import _pick_principal_after_the_report
from tests.services.test_kept_away_fallbacks9s import _texts, _ticks
from tests.services.test_kept_away_fallbacks9s import container as container  # noqa: F401 - the fixture
from tests.support.chat import Chat
from tests.support.school import TG


def test_the_reporter_alone_may_not_let_the_accused_principal_back_in_a_leader_may(container) -> None:
    c = container
    li, iid, sender = _pick_principal_after_the_report(c)
    li.send("孩子说是校长打的")
    li.press(f"inc:{iid}")
    # Not offered to the reporter of an abuse report.
    assert "让某人重新加入" not in [label for label, _p in li.choices], li.choices
    li.press(f"readm:{iid}")  # typed or tampered
    assert li.text.startswith("疑似虐待或忽视的报告只有学校领导可以让被排除的人重新加入"), li.text
    zhou = Chat(make_flows(c), str(TG["admin"]))
    zhou.press(f"readm:{iid}")
    assert zhou.text == "这个按钮已经失效了。"  # kept away: as an unknown id
    _ticks(c, sender, 1, minutes=1)
    sender.sent.clear()
    liu = Chat(make_flows(c), str(TG["bureau"]))  # stands in for the leaders
    liu.press(f"inc:{iid}")
    assert "让某人重新加入" in [label for label, _p in liu.choices], liu.choices
    liu.press(f"readm:{iid}")
    assert "让谁重新收到张三事件的消息？" in liu.text, liu.text
    liu.send(liu.number(next(label for label, _p in liu.choices if "周校长" in label)))
    assert "为什么要让周校长重新收到张三事件的消息？" in liu.text, liu.text
    liu.send("1")  # a number meant for another question is no reason
    assert "为什么要让周校长重新收到" in liu.text and "理由" not in liu.text, liu.text
    liu.send("好")
    assert liu.text.startswith("请用几句话写明理由，以便学校日后了解为什么重新通知了周校长"), liu.text
    liu.send("核实后与校长无关，是邻居所为")
    assert "让周校长重新加入张三的事件吗？" in liu.text and "理由：核实后与校长无关" in liu.text, liu.text
    liu.send("1")  # the confirmation is typed words, never a number
    with c.uow() as uow:
        assert incident_roles.left_out_ids(uow, iid) == {c_person(uow, "admin")}
    liu.send("确认恢复")
    assert liu.text.startswith("已恢复周校长"), liu.text
    with c.uow() as uow:
        assert incident_roles.left_out_ids(uow, iid) == set()
        events = [e.kind for e in uow.session.scalars(select(IncidentEvent).where(
            IncidentEvent.incident_id == iid, IncidentEvent.kind.in_(("excluded", "readmitted"))))]
        assert events == ["excluded", "readmitted"]
    _ticks(c, sender, 1, minutes=1)
    to_him = [t for t in _texts(sender, "admin") if "张三" in t]
    assert len([t for t in to_him if "确认收到" in t]) == 1, to_him  # the alert again, one question
    zhou.press(f"inc:{iid}")
    assert "已排除：周校长——孩子说是校长打的" in zhou.text, zhou.text
    assert "已恢复：周校长——核实后与校长无关" in zhou.text, zhou.text


def c_person(uow, who: str) -> int:
    return int(uow.session.scalar(select(Person.id).where(Person.name == {"admin": "周校长", "bureau": "刘科长"}[who])))


def test_the_sql_rules_follow_the_latest_event(container) -> None:
    c = container
    li, iid, _sender = _pick_principal_after_the_report(c)
    li.send("孩子说是校长打的")
    with c.uow() as uow:
        zhou = c_person(uow, "admin")
        seen = select(Incident.id).where(incident_roles.incidents_not_kept_away(zhou))
        assert uow.session.scalars(seen).all() == []
        assert incident_exclusions.left_out_child(uow, person_id=zhou, child_ids=[
            uow.session.get(Incident, iid).child_id]) is not None
        leader = c_person(uow, "bureau")
        assert [p.person_id for p in incident_readmit.readmittable(uow, iid)] == [zhou]
        assert incident_readmit.readmit(uow, incident_id=iid, by=leader, person_id=zhou, reason="查明无关",
                                        now=c.clock.now())
        uow.commit()
    with c.uow() as uow:
        assert uow.session.scalars(seen).all() == [iid]
        assert uow.session.scalars(select(Task.id).where(incident_roles.tasks_not_kept_away(zhou))).all() \
            == uow.session.scalars(select(Task.id)).all()
        assert incident_exclusions.left_out_child(uow, person_id=zhou, child_ids=[
            uow.session.get(Incident, iid).child_id]) is None
        assert incident_readmit.readmittable(uow, iid) == []
