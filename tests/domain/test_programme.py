"""Programme items: anchors, edits with their errors, start and reminder dates."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.domain.programme import Anchor, ItemSpec, SpecError, birthday_date, check_code, remind_date, start_date
from bot.domain.programme_defaults import DEFAULT_ITEMS
from bot.domain.school_year import SchoolYear, Semester

YEAR = SchoolYear([Semester(date(2026, 9, 1), date(2027, 1, 22)), Semester(date(2027, 2, 24), date(2027, 7, 2))])


def test_anchors_give_their_dates() -> None:
    assert Anchor.parse("festival:中秋").dates(2026, []) == [date(2026, 9, 25)]
    assert Anchor.parse("term：清明").dates(2027, []) == [date(2027, 4, 5)]
    assert Anchor.parse("date:06-01").dates(2027, []) == [date(2027, 6, 1)]
    assert Anchor.parse("date:2027-03-05").dates(2026, []) == []
    assert Anchor.parse("lunar:01-15").dates(2027, []) == [date(2027, 2, 20)]
    assert Anchor.parse("semester_end:spring").dates(2027, YEAR.semesters) == [date(2027, 7, 2)]
    assert Anchor.parse("semester_start").dates(2026, YEAR.semesters) == [date(2026, 9, 1)]
    for bad in ("festival:圣诞", "term:春假", "date:13-01", "semester_end:winter", "birthday:cousin", "weekly"):
        with pytest.raises(SpecError):
            Anchor.parse(bad)


def test_birthdays_solar_and_lunar() -> None:
    assert birthday_date("03-08", 2027) == date(2027, 3, 8)
    assert birthday_date("02-29", 2027) == date(2027, 2, 28)
    assert birthday_date("lunar:08-15", 2026) == date(2026, 9, 25)
    assert birthday_date("nonsense", 2026) is None


def test_an_edit_checks_each_field() -> None:
    spec = next(s for s in DEFAULT_ITEMS if s.code == "letter_mid_autumn")
    edited = spec.edited({"offset": "-10", "time": "16:30", "holidays": "是", "role": "admin"})
    assert (edited.offset_days, edited.delivery_time, edited.on_holidays, edited.role) == (-10, time(16, 30), True,
                                                                                           "admin")
    assert edited.title_is_id  # only the offset changed: the seeded title stays translated
    assert not spec.edited({"title": "中秋家书"}).title_is_id
    for field, value in (("offset", "-400"), ("time", "25:00"), ("role", "janitor"), ("remind", "x"),
                         ("colour", "red"), ("title", "")):
        with pytest.raises(SpecError) as err:
            spec.edited({field: value})
        assert err.value.field == field
    with pytest.raises(SpecError):
        check_code("a b")
    assert check_code(" 植树节 ") == "植树节"


def test_start_is_aligned_and_the_reminder_avoids_holidays() -> None:
    spec = ItemSpec("x", "t", Anchor("festival", "中秋"), offset_days=-7, align="monday", remind_days=3)
    start = start_date(date(2026, 9, 25), spec, YEAR)
    assert start == date(2026, 9, 14) and start.weekday() == 0
    assert remind_date(start, spec, YEAR) == date(2026, 9, 11)  # Friday (3 days before is Friday already)
    national_day = ItemSpec("y", "t", Anchor("date", "10-08"), remind_days=5)
    # 3 October is a holiday: the reminder moves back to the last working day, 30 September.
    assert remind_date(date(2026, 10, 8), national_day, YEAR) == date(2026, 9, 30)
    allowed = ItemSpec("z", "t", Anchor("date", "10-08"), remind_days=5, on_holidays=True)
    assert remind_date(date(2026, 10, 8), allowed, YEAR) == date(2026, 10, 3)
    school_day = ItemSpec("w", "t", Anchor("date", "06-01"), offset_days=-1, align="school_day")
    assert start_date(date(2027, 6, 1), school_day, YEAR) == date(2027, 5, 31)


def test_defaults_cover_the_plans() -> None:
    codes = {s.code for s in DEFAULT_ITEMS}
    assert {"letter_spring_festival", "letter_mid_autumn", "letter_elder_birthday", "lecture_safety",
            "guardian_meeting", "parent_school", "drowning_prevention", "commendation_june", "summer_home_visits",
            "summer_ten_ones"} == codes
    for spec in DEFAULT_ITEMS:
        assert Anchor.parse(str(spec.anchor)) == spec.anchor
