"""Talk duties: whose talk meets whose duty, the days a period is owed, and the month a talk counts in."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.enums import TalkKind
from bot.domain.figures import month_period, parse_range
from bot.domain.talk_duties import MIN_DAYS_IN_USE, counts_in, days_in_use, duty_key

WEEKLY, MONTHLY = TalkKind.VOLUNTEER_WEEKLY.value, TalkKind.CLASS_TEACHER_MONTHLY.value
HELPER, CARING_MOTHER, CHILD = 7, 8, 1
NOVEMBER, DECEMBER, OCTOBER = month_period(2026, 11), month_period(2026, 12), month_period(2026, 10)


def test_a_talk_meets_its_authors_duty_only():
    talk = duty_key(CHILD, HELPER, WEEKLY, "2026-W49")  # the helper teacher talked with the child this week
    assert talk == duty_key(CHILD, HELPER, TalkKind.VOLUNTEER_WEEKLY, "2026-W49")
    assert talk != duty_key(CHILD, CARING_MOTHER, WEEKLY, "2026-W49")  # the caring mother still owes hers
    assert talk != duty_key(CHILD, HELPER, WEEKLY, "2026-W50") and talk != duty_key(CHILD, HELPER, MONTHLY, "2026-12")


@pytest.mark.parametrize(("week", "held", "month"), [
    # Weeks run Monday to Sunday (China's school week) and belong to the month of their Sunday, done or missed.
    # Week 49 runs from Monday 30 November to Sunday 6 December.
    ("2026-W49", date(2026, 12, 4), DECEMBER),  # held on Friday 4 December: December
    ("2026-W49", date(2026, 11, 30), DECEMBER),  # held on its Monday, 30 November: December too
    ("2026-W49", None, DECEMBER),  # missed: December, the month of its Sunday (the deadline /due shows)
    # Week 44 runs from Monday 26 October to Sunday 1 November.
    ("2026-W44", date(2026, 10, 30), NOVEMBER),  # held on Friday 30 October: November
    ("2026-W44", None, NOVEMBER),  # missed: November
])
def test_a_week_counts_in_the_month_of_its_sunday_done_or_missed(week, held, month):
    assert [m.label for m in (OCTOBER, NOVEMBER, DECEMBER) if counts_in(m, week, held)] == [month.label]


def test_a_monthly_talk_counts_in_its_month_and_a_term_holds_what_its_months_hold():
    assert counts_in(NOVEMBER, "2026-11", date(2026, 11, 30)) and counts_in(NOVEMBER, "2026-11", None)
    assert not counts_in(DECEMBER, "2026-11", None) and not counts_in(DECEMBER, "2026-11", date(2026, 11, 30))
    term = parse_range("2026-09-01~2027-01-20")
    assert term is not None
    assert counts_in(term, "2026-W49", date(2026, 12, 4)) and counts_in(term, "2026-W44", None)
    # A week running over the term's last day (Wednesday 20 January) is left to the month of its Sunday.
    assert not counts_in(term, "2027-W03", date(2027, 1, 19)) and not counts_in(term, "2027-W03", None)


def test_only_the_days_from_the_schools_start_are_owed():
    assert days_in_use("2027-01", date(2027, 1, 20)) == (date(2027, 1, 20), date(2027, 1, 31))
    assert days_in_use("2026-12", date(2027, 1, 20)) is None  # ended before the school started
    assert days_in_use("2027-02", date(2027, 1, 20)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert days_in_use("2026-W53", None) == (date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize(("period", "started", "owed"), [
    ("2026-11", date(2026, 11, 30), False),  # started on 30 November (at 23:50 or at 08:00): 1 day left
    ("2026-11", date(2026, 11, 25), False),  # 6 days left
    ("2026-11", date(2026, 11, 24), True),  # 7 days left: owed
    ("2026-12", date(2026, 12, 4), True),  # started on Friday 4 December: December is owed
    ("2026-12", date(2026, 11, 30), True),  # a month after the start month: whole
    ("2026-W49", date(2026, 11, 30), True),  # started on its Monday: the whole week
    ("2026-W49", date(2026, 12, 1), False),  # started on its Tuesday: 6 days left
    ("2026-W49", date(2026, 12, 4), False),  # started on its Friday
    ("2026-W50", date(2026, 12, 4), True),  # the next week is whole
])
def test_a_period_the_school_started_in_is_owed_only_with_seven_days_left(period, started, owed):
    assert (days_in_use(period, started) is not None) is owed
    assert MIN_DAYS_IN_USE == 7
