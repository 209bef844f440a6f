"""Where an incident happened, for the order of the close outcomes (LOW-9, fix6al)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.enums import IncidentOutcome
from bot.domain.incident_place import at_school, outcome_order

SH = ZoneInfo("Asia/Shanghai")

FRIDAY_EVENING = datetime(2026, 12, 4, 18, 30, tzinfo=SH)
WEEKDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=SH)


def test_the_words_decide_before_the_time() -> None:
    assert not at_school("放学路上摔伤了膝盖", WEEKDAY_MORNING, school_day=True)
    assert not at_school("从学校回家的路上摔倒了", WEEKDAY_MORNING, school_day=True)  # away words first
    assert at_school("晚自习后发现膝盖擦伤", datetime(2026, 12, 2, 22, 30, tzinfo=SH), school_day=True)
    assert not at_school("hurt his knee on the way home", WEEKDAY_MORNING, school_day=True)


def test_without_words_the_school_days_hours_decide() -> None:
    assert at_school("摔伤了膝盖", WEEKDAY_MORNING, school_day=True)
    assert not at_school("摔伤了膝盖", FRIDAY_EVENING, school_day=True)
    assert not at_school("摔伤了膝盖", WEEKDAY_MORNING, school_day=False)
    assert at_school("咳嗽，有点发烧", datetime(2026, 12, 2, 21, 30, tzinfo=SH), school_day=True, boarding=True)
    assert not at_school("咳嗽，有点发烧", datetime(2026, 12, 2, 21, 30, tzinfo=SH), school_day=True)


def test_a_missing_child_reads_found_first_and_every_outcome_stays() -> None:
    home = outcome_order("injury", school=False)
    assert home[0] is IncidentOutcome.SAFE_AT_HOME and set(home) == set(IncidentOutcome)
    assert outcome_order("missing", school=True)[0] is IncidentOutcome.FOUND
    assert outcome_order("injury", school=True)[0] is IncidentOutcome.SAFE_AT_SCHOOL
