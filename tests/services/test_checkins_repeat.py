"""Issue 9: a guardian who misses the check-in week after week gives the teacher one call task, not one a week."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.enums import TaskKind
from bot.i18n import render
from bot.messages.prompt import Prompt
from bot.services import tasks
from bot.store.models import Task
from tests.services.test_checkins import FRIDAY_1800, _plan, _remind
from tests.support.school import tiny_school

ESCALATED = timedelta(hours=96)  # reminder after 48 h, call task 48 h later


def _missed_weeks(uow_factory, weeks: int) -> None:
    for week in range(weeks):
        friday = FRIDAY_1800 + timedelta(days=7 * week)
        _plan(uow_factory, friday)
        _remind(uow_factory, friday + timedelta(hours=48))
        _remind(uow_factory, friday + ESCALATED)


def _line(view: tasks.TaskView, locale: str) -> str:
    message, params = tasks.task_line(view)
    return render(Prompt(message, params), locale).text


def test_three_missed_weeks_are_one_call_task_still_due_the_first_week(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _missed_weeks(uow_factory, 3)
    now = FRIDAY_1800 + timedelta(days=14) + ESCALATED
    with uow_factory() as uow:
        [task] = uow.session.scalars(select(Task)).all()
        assert (task.kind, task.assignee_id, task.about_person_id) == (
            TaskKind.PHONE_GUARDIAN.value, ids.helper, ids.guardian)
        assert task.due_at == FRIDAY_1800 + ESCALATED + timedelta(days=1)  # the first week's: still overdue
        assert task.detail == ("check-in 2026-W49 unanswered; check-in 2026-W50 unanswered; "
                               "check-in 2026-W51 unanswered")
        [view] = tasks.open_tasks(uow, person_id=ids.helper, now=now)
    assert (view.overdue, view.weeks) == (True, 3)
    assert "，已3周未回复" in _line(view, "zh_Hans")
    assert ", 3 weeks unanswered" in _line(view, "en")


def test_one_missed_week_says_nothing_of_weeks_and_a_closed_task_lets_the_next_one_come(uow_factory) -> None:
    ids = tiny_school(uow_factory)
    _missed_weeks(uow_factory, 1)
    now = FRIDAY_1800 + ESCALATED
    with uow_factory() as uow:
        [view] = tasks.open_tasks(uow, person_id=ids.helper, now=now)
        assert view.weeks == 1 and "周未回复" not in _line(view, "zh_Hans")
        uow.session.get(Task, view.id).done_at = now  # the teacher phoned
        uow.commit()
    _plan(uow_factory, FRIDAY_1800 + timedelta(days=7))
    _remind(uow_factory, FRIDAY_1800 + timedelta(days=7, hours=48))
    _remind(uow_factory, FRIDAY_1800 + timedelta(days=7) + ESCALATED)
    with uow_factory() as uow:
        keys = uow.session.scalars(select(Task.key).order_by(Task.id)).all()
        [view] = tasks.open_tasks(uow, person_id=ids.helper, now=FRIDAY_1800 + timedelta(days=7) + ESCALATED)
    assert len(keys) == 2 and keys[0] != keys[1]
    assert view.weeks == 1
