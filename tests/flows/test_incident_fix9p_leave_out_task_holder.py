"""The reporter can leave out someone the report reached without a chain step: 刘主任 with its call-backs.

王老师 reports that 杨秀云 is hurt at home (suspected abuse). Nobody of the chain acknowledges, so the
admin 刘主任, who has no step of it, is sent the nobody-reached summary and the task to phone round. 王老师
then learns that 刘主任 is the child's uncle and must not follow the report. Before, "leave someone out"
offered only chain members: 刘主任 kept the report on his /tasks and timeline. Now he is offered, left out
with the reason, his task goes to 王老师 (who is told), and the report is gone from his /tasks and view.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.messages import payloads
from bot.store.models import Incident, Task
from tests.support.chat import Chat
from tests.support.incident_world import account, queued, run_escalations

WORDS = "孩子说舅舅经常打她，手臂上有淤青"


def test_the_reporter_leaves_out_the_admin_asked_to_phone_round(engine, world, uow_factory, clock):
    wang = Chat(engine, account("wang"))
    wang.send("报告 杨秀云")
    wang.tap("疑似虐待或忽视（成人所为）")
    wang.send(WORDS)
    wang.tap("立即报告")
    with uow_factory() as uow:
        iid = uow.session.scalar(select(Incident.id))
    for _ in range(8):  # nobody of the chain acknowledges
        clock.advance(timedelta(minutes=30))
        run_escalations(uow_factory, clock)
    with uow_factory() as uow:
        found = uow.session.scalars(select(Task).where(Task.key.like(f"incident:{iid}:%"))).all()
        task = next(t for t in found if t.assignee_id == world.admin)
        task_id = task.id
    admin = Chat(engine, account("admin"))
    admin.send("/tasks")
    assert "杨秀云" in admin.text

    wang.press(payloads.incident_exclude(iid))
    assert "刘主任（管理员）" in [label for label, _ in wang.choices]
    wang.tap("刘主任（管理员）")
    wang.send("刘主任是孩子的舅舅")
    assert "刘主任" in wang.text and "不能" not in wang.text

    with uow_factory() as uow:
        assert uow.session.get(Task, task_id).assignee_id == world.wang
    assert [q for q in queued(uow_factory, to=world.wang) if ":handed:" in q.key]
    admin.send("/tasks")
    assert "杨秀云" not in admin.text
    admin.press(payloads.incident_view(iid))
    assert WORDS not in admin.text and "杨秀云" not in admin.text
    wang.press(payloads.incident_exclude(iid))
    assert "刘主任（管理员）" not in [label for label, _ in wang.choices]
