"""The pattern decided over a school year's grid is reused while the figures are the same (fix9l).

Officials' every page view audited the whole grid again (seconds for three schools). Now the second view of
the same figures — another month of the same school year included — reuses the pattern, and a record changed
in place (a task closed: no row added, no id grown) decides it again, so a pattern is never paired with
figures it was not decided for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.enums import Role
from bot.domain.figures import month_period
from bot.services import figures, figures_periods_audit, figures_periods_cache
from bot.services.figures_text import unit_rate
from bot.services.identity import Actor
from bot.store.models import Task
from tests.support.figures_world import county

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture
def decided(monkeypatch):
    """How many times the grid's pattern was decided (not taken from the cache)."""
    figures_periods_cache.clear()
    calls: list[int] = []
    decide = figures_periods_audit._decide
    monkeypatch.setattr(figures_periods_audit, "_decide", lambda layout: calls.append(1) or decide(layout))
    yield calls
    figures_periods_cache.clear()


def _views(uow_factory, actor: Actor) -> list[list[str]]:
    """What the bureau reads for November and October: each unit's tasks and incidents."""
    shown = []
    with uow_factory() as uow:
        for month in (11, 10):
            report = figures.report_for(uow, actor, month_period(2026, month), NOW)
            assert report is not None
            shown.append([f"{u.name} {unit_rate(u, 'tasks', True)} {u.incidents}"
                          for u in [report.total, *report.towns, *report.units]])
    return shown


def test_a_second_view_reuses_the_pattern_and_a_task_closed_decides_it_again(uow_factory, decided):
    world = county(uow_factory)
    bureau = Actor(person_id=world.bureau, name="", school_id=world.shimen,
                   roles=frozenset({Role.EDUCATION_BUREAU.value}), locale="zh_Hans", timezone="Asia/Shanghai")
    first = _views(uow_factory, bureau)
    assert len(decided) == 1  # November and October are one school year: one grid, decided once
    assert _views(uow_factory, bureau) == first and len(decided) == 1  # the same figures, the same pattern
    with uow_factory() as uow:  # the task left open for 12 days is closed: a change in place
        task = uow.session.scalars(select(Task).where(Task.key == "t2")).one()
        task.done_at = task.created_at + timedelta(days=1)
        uow.commit()
    _views(uow_factory, bureau)
    assert len(decided) == 2  # new figures (2 tasks of 2 done in time, shown "(<5)" as before): decided again
    _views(uow_factory, bureau)
    assert len(decided) == 2
