"""Festival and solar-term dates from lunar_python agree with two independent calendars (2026–2035).

``lunardate`` (its own lunar tables) checks the lunar festivals; ``ephem``
(the Sun's apparent ecliptic longitude, astronomy) checks 清明, the moment the
Sun reaches 15°, as a date in China time (UTC+8).
"""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import ephem
import pytest
from lunardate import LunarDate

from bot.domain import lunar

YEARS = range(2026, 2036)
CHINA = timezone(timedelta(hours=8))


@pytest.mark.parametrize("name", ["春节", "元宵", "端午", "七夕", "中秋", "重阳"])
def test_lunar_festivals_agree_with_lunardate(name: str) -> None:
    month, day = lunar.FESTIVALS[name]
    for year in YEARS:
        expected = LunarDate(year, month, day, False).to_solar_date()
        assert lunar.festival_date(name, year) == expected, (name, year)


def test_new_years_eve_is_the_day_before_spring_festival_on_the_29th_or_30th() -> None:
    days = {}
    for year in YEARS:
        eve = lunar.festival_date("除夕", year)
        assert eve == LunarDate(year, 1, 1, False).to_solar_date() - timedelta(days=1)
        previous = LunarDate.from_solar_date(eve.year, eve.month, eve.day)
        assert (previous.year, previous.month, previous.is_leap_month) == (year - 1, 12, False)
        assert previous.day == lunar.new_years_eve_day(year)
        days[year] = previous.day
    # 腊月廿九 years (the twelfth month has 29 days): no 腊月三十 that year.
    assert [y for y, d in days.items() if d == 29] == [2026, 2027, 2028, 2029, 2031, 2032]
    assert lunar.festival_date("除夕", 2026) == date(2026, 2, 16)


def _sun_longitude_date(target_degrees: float, year: int) -> date:
    """The China-time date the Sun's apparent ecliptic longitude reaches ``target_degrees`` (ephem)."""
    def longitude(when: ephem.Date) -> float:
        sun = ephem.Sun(when)
        return float(ephem.Ecliptic(sun, epoch=when).lon) * 180 / 3.141592653589793

    low, high = ephem.Date(f"{year}/3/25"), ephem.Date(f"{year}/4/15")
    for _ in range(60):  # bisection to well under a second
        mid = ephem.Date((low + high) / 2)
        if longitude(mid) < target_degrees:
            low = mid
        else:
            high = mid
    moment = ephem.Date(high).datetime().replace(tzinfo=UTC)
    return moment.astimezone(CHINA).date()


def test_qingming_agrees_with_the_suns_longitude() -> None:
    found = {year: lunar.festival_date("清明", year) for year in YEARS}
    for year, day in found.items():
        assert day == _sun_longitude_date(15.0, year), year
    assert {d.day for d in found.values()} == {4, 5}  # both kinds of year in the span
    assert found[2028] == date(2028, 4, 4) and found[2026] == date(2026, 4, 5)


def test_a_leap_month_year_keeps_festivals_in_the_ordinary_month() -> None:
    # 2028 has a leap fifth month (闰五月): 端午 is 5/5 of the ordinary fifth month.
    assert lunar.leap_month(2028) == 5
    assert lunar.festival_date("端午", 2028) == LunarDate(2028, 5, 5, False).to_solar_date()
    assert lunar.festival_date("中秋", 2028) == date(2028, 10, 3)
    leap = LunarDate(2028, 5, 5, True).to_solar_date()
    assert leap - lunar.festival_date("端午", 2028) in (timedelta(days=29), timedelta(days=30))


def test_solar_terms_fall_in_their_own_year() -> None:
    for year in YEARS:
        assert lunar.solar_term_date("小寒", year).month == 1
        assert lunar.solar_term_date("冬至", year) in (date(year, 12, 21), date(year, 12, 22))
    with pytest.raises(KeyError):
        lunar.solar_term_date("春假", 2026)


def test_a_short_lunar_month_moves_day_30_to_day_29() -> None:
    # The twelfth month of lunar 2026 has 29 days (除夕 2027 is 腊月廿九): a "day 30" birthday falls on the 29th.
    assert lunar.new_years_eve_day(2027) == 29
    assert lunar.lunar_to_solar(2026, 12, 30) == lunar.lunar_to_solar(2026, 12, 29) == date(2027, 2, 5)
    with pytest.raises(ValueError):
        lunar.lunar_to_solar(2026, 13, 1)
