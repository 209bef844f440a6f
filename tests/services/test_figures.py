"""Figures from the records of a small county: a school's leader, a town official and the bureau."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.enums import Role
from bot.domain.figures import Level, Rate, month_period
from bot.services import figures
from bot.services.figures_text import period_from_text, show_count, show_rate, unit_rate
from bot.services.identity import Actor
from tests.support.figures_world import county

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
NOVEMBER = month_period(2026, 11)


@pytest.fixture
def world(uow_factory):
    return county(uow_factory)


def _actor(person_id: int, school_id: int, *roles: str) -> Actor:
    return Actor(person_id=person_id, name="", school_id=school_id, roles=frozenset(roles), locale="zh_Hans",
                 timezone="Asia/Shanghai")


def test_the_school_figures_per_class_and_teacher(uow_factory, world):
    with uow_factory() as uow:
        school = figures.school_figures(uow, world.qingxi, NOVEMBER, NOW)
    total = school.total
    assert (total.pupils, total.left_behind, total.share) == (70, 8, Rate(8, 70))
    assert total.filed == Rate(7, 8)  # 小五's card has no address
    assert total.monthly_talks == Rate(4, 8)  # one month, 8 active children with a class teacher
    # Weeks 45–48 (week 44 has no school day since the Sunday the school started; week 49 is due next Sunday, in
    # December) × 小一 and 小二 × each of their two volunteers: each owes their own talk.
    assert total.weekly_talks == Rate(2, 16)
    assert total.checkins == Rate(4, 5)
    assert total.steps == {1: Rate(1, 1), 2: Rate(0, 1), 3: Rate(0, 1)}
    assert total.incidents == 1
    assert total.tasks == Rate(1, 2)  # the phone call is 15 days old and still open
    assert total.paired == Rate(1, 8)  # only 小二 has a helper, a volunteer and a study buddy
    assert (total.aided, total.dropout_watch) == (2, 2)  # 大二 (辍学) and 大三 (left)
    assert [(c.name, c.left_behind, c.monthly_talks) for c in school.classes] == [
        ("一年级（1）班", 6, Rate(4, 6)), ("二年级（1）班", 2, Rate(0, 2))]
    by_name = {t.name: t for t in school.teachers}
    assert by_name["王老师"].monthly == Rate(4, 6) and by_name["王老师"].classes == ["一年级（1）班"]
    assert by_name["李老师"].monthly == Rate(0, 2)
    assert by_name["陈老师"].weekly == Rate(2, 8) and by_name["陈老师"].monthly == Rate()
    assert by_name["赵妈妈"].weekly == Rate(0, 8)  # 陈老师's talks are not hers


def test_nothing_is_owed_before_the_school_started_using_the_bot(uow_factory, world):
    with uow_factory() as uow:
        october = figures.school_figures(uow, world.qingxi, month_period(2026, 10), NOW)
    assert october.total.monthly_talks == Rate()
    # The school started on Sunday 1 November: week 44 (Monday 26 October) had no school day left, so neither /due
    # nor the figures owe its talks.
    assert october.total.weekly_talks.total == 0
    assert show_rate(october.total.monthly_talks, False) == "—"


@pytest.mark.parametrize(("bound", "monthly", "weekly", "term_weekly"), [
    # Monday 23 November: week 48 is whole (小一 and 小二 × their two volunteers), November has 8 days left.
    (datetime(2026, 11, 23, 2, 0, tzinfo=UTC), 8, 4, 8),
    # Tuesday 24 November: 6 days of week 48 are left, not owed; 7 of November, owed.
    (datetime(2026, 11, 24, 2, 0, tzinfo=UTC), 8, 0, 4),
    # Wednesday 25 November: neither week 48 nor November (6 days left) is owed.
    (datetime(2026, 11, 25, 2, 0, tzinfo=UTC), 0, 0, 4),
])
def test_the_period_the_school_started_in_is_owed_as_on_due_with_seven_days_left(uow_factory, world, bound,
                                                                                  monthly, weekly, term_weekly):
    from sqlalchemy import update

    from bot.store.models import ChatAccount

    with uow_factory() as uow:  # everyone bound on the day the school started
        uow.session.execute(update(ChatAccount).values(bound_at=bound))
        uow.commit()
    with uow_factory() as uow:
        total = figures.school_figures(uow, world.qingxi, NOVEMBER, NOW).total
        term = figures.school_figures(uow, world.qingxi, period_from_text(uow, world.qingxi, "学期",
                                                                          date(2026, 11, 30)), NOW).total
    # Week 49, begun today, is due on Sunday 6 December: it counts in December, and in the term as still owed.
    assert total.weekly_talks.total == weekly
    assert term.weekly_talks.total == term_weekly and show_rate(term.weekly_talks, False) != "—"
    assert total.monthly_talks.total == monthly


def test_a_town_official_sees_the_towns_schools_with_small_counts_suppressed(uow_factory, world):
    with uow_factory() as uow:
        report = figures.report_for(uow, _actor(world.town, world.qingxi, Role.TOWN_GOVERNMENT), NOVEMBER, NOW)
    assert report is not None and report.official and report.level is Level.TOWN
    assert report.total.name == "清溪镇"
    assert [u.name for u in report.units] == ["河口小学", "清溪小学"]  # 石门小学 is another town
    assert report.teachers == []  # never a name
    total = report.total
    assert total.left_behind == 15 and show_count(total.left_behind, True) == "15"
    # Work done for the children shows over 15 as a band when 1–4 are done or not done: 14/15 would say exactly
    # one card is incomplete, so it reads ≥floor(100·11/15)% (fix9b) …
    assert show_rate(total.filed, True, total.left_behind) == "*/15 (≥73%)"
    assert show_rate(total.filed, False, total.left_behind) == "14/15 (93.3%)"
    # 4 talks of 15: "<5/15" beside 河口小学's 0/7 would give 清溪小学's "*/8" back as 4/8 (15 − 7 − 4 not done), so
    # the audit across units and periods hides the town's rate too (fix9j; it read "<5/15 (≤27%)", fixc).
    assert show_rate(total.monthly_talks, True, total.left_behind) == "*"
    assert show_rate(total.monthly_talks, False, total.left_behind) == "4/15 (26.7%)"
    # … a count of children with a trait does not.
    assert show_count(total.dropout_watch, True) == "<5"



def test_the_bureau_sees_every_school_per_town(uow_factory, world):
    with uow_factory() as uow:
        report = figures.report_for(uow, _actor(world.bureau, world.shimen, Role.EDUCATION_BUREAU), NOVEMBER, NOW)
    assert report is not None and report.level is Level.COUNTY
    assert [(t.name, t.left_behind) for t in report.towns] == [("清溪镇", 15), ("石门镇", 2)]
    shimen = report.towns[1]  # two children: their talks and cards would point at them
    assert [unit_rate(shimen, name, True) for name in ("filed", "monthly_talks")] == ["(<5)", "(<5)"]
    assert report.total.left_behind == 17 and report.total.pupils == 125


@pytest.mark.parametrize("roles", [(Role.CLASS_TEACHER,), (Role.GUARDIAN,), (Role.HELPER_TEACHER,), ()])
def test_no_figures_for_teachers_guardians_or_nobody(uow_factory, world, roles):
    with uow_factory() as uow:
        assert figures.report_for(uow, _actor(world.wang, world.qingxi, *roles), NOVEMBER, NOW) is None


def test_periods_typed_in_chat(uow_factory, world):
    today = date(2026, 11, 30)
    with uow_factory() as uow:
        assert period_from_text(uow, world.qingxi, "", today) == NOVEMBER
        term = period_from_text(uow, world.qingxi, "学期", today)
        year = period_from_text(uow, world.qingxi, "学年", today)
        assert period_from_text(uow, world.qingxi, "明年", today) is None
    assert term is not None and term.first.isoformat() == "2026-09-01" and term.last.isoformat() == "2027-01-20"
    assert year is not None and year.first == term.first and year.last.year == 2027 and year.last.month == 7
