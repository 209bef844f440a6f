"""Someone an incident keeps away learns nothing of it from its buttons, and nothing more once picked (fix9t).

青山村小学: 李老师 reports 疑似虐待 about 张三. The principal 周校长 is either the child's mother or left out of the
report as the accused (``kept_away_ids``). Typing or tampering ``close:<id>``, ``ack:<id>``, ``excl:<id>`` he reads
what an id that does not exist reads; the education bureau's 刘科长, in the chain, still reads his own answers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container, make_flows
from bot.store.models import AuditEntry, Incident, IncidentEvent, OutboxMessage
from tests.services.test_kept_away_fallbacks9s import _school, _texts, _ticks
from tests.services.test_kept_away_fallbacks9s import container as container  # noqa: F401 - the fixture
from tests.support.chat import Chat
from tests.support.fakes import FakeSender
from tests.support.school import TG


def _report(c: Container, *, leave_out_principal: bool) -> tuple[Chat, int]:
    li = Chat(make_flows(c), str(TG["li"]))
    li.send("/incident 张三")
    li.send("5")  # suspected abuse or neglect
    li.send("张三说身上有伤，怀疑被打")
    if leave_out_principal:
        li.send("2")  # leave someone out
        li.send(li.number(next(label for label, _p in li.choices if "周校长" in label)))
        li.send("孩子说是校长打的")
    li.send("1")
    assert "已报告" in li.text, li.text
    with c.uow() as uow:
        return li, int(uow.session.scalar(select(Incident.id)))


def _written(c: Container) -> tuple[int, int, int]:
    with c.uow() as uow:
        return (uow.session.scalar(select(func.count(OutboxMessage.id))) or 0,
                uow.session.scalar(select(func.count(IncidentEvent.id))) or 0,
                uow.session.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.mark.parametrize("principal", ["mother", "left out"])
def test_a_tampered_button_reads_to_the_principal_kept_away_as_an_unknown_id(container, principal) -> None:
    c = container
    _ids, sender = _school(c, principal_is_mother=principal == "mother")
    _li, iid = _report(c, leave_out_principal=principal == "left out")
    _ticks(c, sender, 2, minutes=1)
    zhou = Chat(make_flows(c), str(TG["admin"]))
    before = _written(c)
    for action in ("close", "ack", "excl", "inc"):
        zhou.press(f"{action}:{iid + 40}")  # no such incident
        unknown = zhou.text
        zhou.press(f"{action}:{iid}")
        assert zhou.text == unknown == "这个按钮已经失效了。", (action, zhou.text, unknown)
    zhou.press(f"close:{iid}:f")
    assert zhou.text == "这个按钮已经失效了。"
    assert _written(c) == before  # nothing locked, noted or sent for him
    assert _texts(sender, "admin") == []
    # 刘科长, standing in for the leaders kept away, still acknowledges and may close it.
    liu = Chat(make_flows(c), str(TG["bureau"]))
    liu.press(f"ack:{iid}")
    assert "已记录您对张三事件通知的确认" in liu.text, liu.text
    liu.press(f"close:{iid}")
    assert "请说明孩子现在的情况" in liu.text, liu.text


def test_the_grandfather_of_the_child_reads_the_abuse_reports_ack_as_an_unknown_id(container) -> None:
    c = container
    _ids, sender = _school(c, principal_is_mother=False)
    _li, iid = _report(c, leave_out_principal=False)
    c.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    grandpa = Chat(make_flows(c), str(TG["grandpa"]))
    grandpa.press(f"ack:{iid}")
    assert grandpa.text == "这个按钮已经失效了。"
    grandpa.press(f"close:{iid}")
    assert grandpa.text == "这个按钮已经失效了。"


def test_the_confirm_screen_never_names_the_principal_who_is_the_childs_mother(container) -> None:
    c = container
    _school(c, principal_is_mother=True)
    li = Chat(make_flows(c), str(TG["li"]))
    li.send("/incident 张三")
    li.send("5")
    li.send("张三说身上有伤，怀疑被打")
    assert "周校长" not in li.text, li.text
    assert "第1步通知：刘科长" in li.text, li.text  # the leaders' stand-in carries it


def _pick_principal_after_the_report(c: Container) -> tuple[Chat, int, FakeSender]:
    """李老师 reports, 周校长 (the only leader) is alerted; then she leaves him out from the incident's chain."""
    _ids, sender = _school(c, principal_is_mother=False)
    sender.blocked.clear()
    li, iid = _report(c, leave_out_principal=False)
    _ticks(c, sender, 1, minutes=1)
    assert any("张三" in t for t in _texts(sender, "admin"))  # his alert
    sender.sent.clear()
    li.press(f"excl:{iid}")
    li.send(li.number(next(label for label, _p in li.choices if "周校长" in label)))
    assert "为什么不再通知周校长？（从现在起已不再通知。）" in li.text, li.text
    return li, iid, sender


@pytest.mark.parametrize("then", ["types why later", "cancels", "drops it for another report"])
def test_the_principal_picked_after_the_report_hears_nothing_more_while_the_reason_waits(container, then) -> None:
    c = container
    li, iid, sender = _pick_principal_after_the_report(c)
    _ticks(c, sender, 6)  # 李老师 is called away to the classroom for an hour
    assert _texts(sender, "admin") == []  # no reminder, no missed notice from the moment he was picked
    stood = [t for t in _texts(sender, "bureau") + _texts(sender, "town") if "张三" in t]
    assert stood, sender.sent  # his step is not lost: the leaders' stand-ins carry it
    if then == "types why later":
        li.send("孩子说是校长打的")
        assert "周校长" in li.text and "没有" not in li.text and "不能" not in li.text, li.text
        li.press(f"inc:{iid}")
        assert "孩子说是校长打的" in li.text, li.text
    else:
        if then == "cancels":
            li.send("/cancel")
        else:
            li.send("/talk 李四")  # another command at the reason question: "Drop it?"
            assert li.text.startswith("您还没有完成写明不通知周校长的原因"), li.text
            li.send("取消")  # yes, drop it
        assert li.text.startswith("未记录原因。周校长仍不再收到关于张三的突发事件的任何消息。"), li.text
        li.press(f"inc:{iid}")
        assert "已排除：周校长——尚未写明原因" in li.text, li.text
    _ticks(c, sender, 3)
    assert _texts(sender, "admin") == []  # left out until the reporter says otherwise
    zhou = Chat(make_flows(c), str(TG["admin"]))
    zhou.press(f"ack:{iid}")
    assert zhou.text == "这个按钮已经失效了。"
