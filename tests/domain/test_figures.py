"""The figures' arithmetic: rates that add up, small counts suppressed for officials, periods."""

from __future__ import annotations

from datetime import date

from bot.domain.figures import (
    Level,
    PeriodKind,
    Rate,
    UnitFigures,
    month_period,
    on_dropout_watch,
    parse_range,
    roll_up,
    small_done,
    suppressed_count,
    suppressed_rate,
)


def test_a_school_rate_is_the_sum_of_its_classes_not_the_average_of_their_rates():
    a = UnitFigures(Level.CLASS, "一年级（1）班", monthly_talks=Rate(1, 1))
    b = UnitFigures(Level.CLASS, "一年级（2）班", monthly_talks=Rate(0, 9))
    school = roll_up([a, b], Level.SCHOOL, "清溪小学")
    assert school.monthly_talks == Rate(1, 10) and school.monthly_talks.percent == 10.0
    assert Rate().percent is None


def test_officials_never_see_a_count_from_one_to_four():
    assert [suppressed_count(n, official=True) for n in (0, 1, 4, 5, 17)] == [0, None, None, 5, 17]
    assert suppressed_count(3, official=False) == 3
    assert suppressed_rate(Rate(3, 40), official=True) is None  # three children
    assert suppressed_rate(Rate(37, 40), official=True) is None  # the other three are given away
    assert suppressed_rate(Rate(0, 40), official=True) == Rate(0, 40)
    assert suppressed_rate(Rate(40, 40), official=True) == Rate(40, 40)
    assert suppressed_rate(Rate(3, 40), official=False) == Rate(3, 40)


def test_officials_see_a_rate_of_work_over_five_or_more_however_little_was_done():
    # Issue 9: "Officials see aggregates only, with counts under 5 suppressed" — one talk of 122 points at nobody.
    assert suppressed_rate(Rate(1, 122), official=True, children=122) == Rate(1, 122)
    assert suppressed_rate(Rate(118, 122), official=True, children=122) == Rate(118, 122)
    assert suppressed_rate(Rate(1, 4), official=True, children=122) is None  # a rate over so few is about a child
    assert suppressed_rate(Rate(6, 6), official=True, children=3) is None  # 3 children × 2 months gives 3 away
    assert suppressed_rate(Rate(0, 0), official=True, children=0) == Rate(0, 0)
    school = UnitFigures(Level.SCHOOL, "清溪小学", left_behind=122, share=Rate(3, 743), monthly_talks=Rate(1, 122))
    # … but its numerator, 1, is a count of 1–4: shown "<5/122", without a percentage (small_done; fixc).
    assert school.shown("monthly_talks", official=True) is None
    assert small_done(Rate(1, 122), official=True) and not small_done(Rate(1, 122), official=False)
    assert not small_done(Rate(5, 122), official=True) and not small_done(Rate(0, 122), official=True)
    assert school.shown("share", official=True) is None  # three left-behind children: a count of a trait


def test_periods_list_the_weeks_that_overlap_them_and_have_begun():
    november = month_period(2026, 11)
    assert (november.first, november.last, november.label) == (date(2026, 11, 1), date(2026, 11, 30), "2026-11")
    # Week 44 (26 October – 1 November) and week 49 (30 November – 6 December) run over the month's edges: each of
    # their talks counts in one month only (bot.domain.talk_duties.counts_in).
    assert november.weeks(date(2026, 12, 31)) == [f"2026-W{w}" for w in range(44, 50)]
    assert november.weeks(date(2026, 11, 16)) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    term = parse_range("2026-09-01~2027-01-20")
    assert term is not None and term.kind is PeriodKind.RANGE
    assert term.months(date(2026, 11, 30)) == ["2026-09", "2026-10", "2026-11"]
    assert parse_range("2026-13") is None and parse_range("2027-01-01~2026-09-01") is None
    assert parse_range("hello") is None


def test_dropout_watch_takes_children_who_left_or_are_not_attending():
    assert on_dropout_watch(False, "小学")
    assert on_dropout_watch(True, "辍学") and on_dropout_watch(True, "休学")
    assert not on_dropout_watch(True, "小学") and not on_dropout_watch(True, None)
