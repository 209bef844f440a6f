"""Nobody is told that they themselves cannot be reached (fix9w, item 5).

青山村小学: 李老师 reports 疑似虐待 about 张三 and leaves out 周校长, the only leader and admin (the accused). The
report goes to the education bureau's 刘科长, who stands in for the leaders; he has blocked the bot. The notice
"无法通过消息联系到刘科长……请电话联系" and the task to phone him went to 刘科长 himself (he was his own stand-in).
Now they go to the next stand-in, the town's 赵书记, in her own chat (not as a forwarded copy).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.bootstrap import make_flows
from bot.store.models import OutboxMessage, Task
from tests.services.test_kept_away_fallbacks9s import _school, _texts, _ticks, container  # noqa: F401 — fixture
from tests.support.chat import Chat
from tests.support.school import TG


def test_the_bureau_unreachable_is_never_told_about_himself(container) -> None:  # noqa: F811
    c = container
    school, sender = _school(c, principal_is_mother=False)
    li = Chat(make_flows(c), str(TG["li"]))
    li.send("/incident 张三")
    li.send("5")  # suspected abuse or neglect
    li.send("张三说身上有伤，怀疑被打")
    li.send("2")  # leave someone out
    li.send(li.number(next(label for label, _p in li.choices if "周校长" in label)))
    li.send("孩子说是校长打的")
    li.send("1")  # report now
    _ticks(c, sender, 3)
    bureau, town = school.people["bureau"], school.people["town"]
    with c.uow() as uow:
        about_him = uow.session.scalars(select(OutboxMessage.person_id).where(
            OutboxMessage.key.like("%:unreachable:to:%"))).all()
        phone_tasks = uow.session.execute(select(Task.assignee_id, Task.about_person_id).where(
            Task.about_person_id == bureau)).all()
    assert about_him and bureau not in about_him and town in about_him, about_him
    assert (bureau, bureau) not in phone_tasks and (town, bureau) in phone_tasks, phone_tasks
    told = _texts(sender, "town")
    assert any(t.startswith("无法通过消息联系到刘科长") for t in told), told  # her own notice, not a copy
