"""Fixtures the flow tests share: the flow runner on the test database, and the small school in it.

The incident tests' school and runner (``world``, ``engine``) are :mod:`tests.support.incident_world`'s.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.flows.runner import FlowRunner
from tests.support.incident_world import engine, world  # noqa: F401 — fixtures of the incident tests
from tests.support.school import SmallSchool, small_school


@pytest.fixture
def school(uow_factory, clock) -> SmallSchool:
    """:func:`~tests.support.school.small_school` as of the clock's now (a test module may define its own)."""
    return small_school(uow_factory, clock.now())


@pytest.fixture
def flows(uow_factory, clock) -> FlowRunner:
    """The flow runner, as people's messages reach it (a test module may define its own)."""
    return FlowRunner(uow_factory, clock, Settings(database_url="sqlite://"))
