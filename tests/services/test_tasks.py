"""Tasks as services: due times by kind, the missed incident step, overdue tasks in the digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain import tasks as rules
from bot.domain.enums import TaskKind, TaskState
from bot.i18n import render
from bot.services import outbox_prompts, tasks
from bot.services.digests import plan_digests
from bot.services.incident_escalation import run_escalations
from bot.services.incidents import report_incident
from bot.store.models import OutboxMessage, Task
from tests.support.school import incident_school, tiny_school

SETTINGS = Settings(database_url="sqlite://")
T = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def test_due_state_and_closed_in_time_rules() -> None:
    assert rules.due_at(TaskKind.HELP_REQUEST, T) == T + timedelta(days=1)
    assert rules.due_at(TaskKind.INCIDENT_STEP_MISSED, T) == T + timedelta(minutes=30)
    assert rules.due_at("something_new", T) == T + rules.DEFAULT_DUE_AFTER
    assert rules.state_of(None, None) is TaskState.OPEN
    assert rules.state_of(T, T) is TaskState.CANCELLED
    assert rules.is_overdue(T, None, None, T + timedelta(seconds=1))
    assert not rules.is_overdue(T, T, None, T + timedelta(days=9))
    assert rules.closed_in_time(T, T - timedelta(hours=1), None) is True
    assert rules.closed_in_time(T, T + timedelta(hours=1), None) is False
    assert rules.closed_in_time(T, None, None) is None


def test_every_task_gets_a_due_time_even_from_code_that_does_not_set_one(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    with uow_factory() as uow:
        uow.session.add(Task(key="raw", kind=TaskKind.TALK_FOLLOW_UP.value, child_id=ids.child,
                             assignee_id=ids.teacher, created_at=T))
        uow.commit()
        assert uow.session.scalar(select(Task.due_at)) == T + timedelta(days=7)


def test_a_missed_incident_step_gives_the_reporter_a_task_to_phone(uow_factory) -> None:
    w = incident_school(uow_factory)
    with uow_factory() as uow:
        report_incident(uow, reporter_id=w.teacher, child_id=w.child, kind="injury", severity="emergency",
                        description="摔伤", now=T)
        uow.commit()
    for minutes in range(0, 40, 5):
        with uow_factory() as uow:
            run_escalations(uow, now=T + timedelta(minutes=minutes))
            uow.commit()
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task).where(Task.kind == TaskKind.INCIDENT_STEP_MISSED.value)).all()
        assert (task.assignee_id, task.about_person_id, task.child_id) == (w.teacher, w.guardian, w.child)
        assert task.due_at == task.created_at + timedelta(minutes=30)
        [view] = tasks.open_tasks(uow, person_id=w.teacher, now=T + timedelta(hours=2))
        assert view.overdue and view.about_name == "王奶奶0"


def test_overdue_tasks_appear_in_the_digest(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    at_0730 = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 30 Nov 07:30 Shanghai
    with uow_factory() as uow:
        tasks.create(uow, key="late", kind=TaskKind.PHONE_GUARDIAN, assignee_id=ids.teacher, child_id=ids.child,
                     about_person_id=ids.guardian, now=at_0730 - timedelta(days=2))
        tasks.create(uow, key="fresh", kind=TaskKind.TALK_FOLLOW_UP, assignee_id=ids.teacher, child_id=ids.child,
                     now=at_0730 - timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        assert plan_digests(uow, now=at_0730, settings=SETTINGS) == 3
        uow.commit()
        row = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == ids.teacher))
        shown = render(outbox_prompts.prompt_of(uow, row, timezone="Asia/Shanghai"), "zh_Hans").text.splitlines()
    # This month's talk and October's, missed (counted as /report counts it: issue 9, fig9c's rule).
    assert shown[0] == "今天待完成的谈心（2）："
    assert "每月谈心，逾期1个月（2026年10月）" in shown[1]
    assert shown[2] == "逾期任务（1项）— 发送 /tasks 完成或转交："
    assert shown[3].startswith("• 【逾期】张小明：给监护人打电话（每周联系未回复）——张奶奶 138 0000 0003")
    assert len(shown) == 4  # the fresh task is not overdue
