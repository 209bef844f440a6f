"""Lunar festivals and solar terms in Gregorian dates, from ``lunar_python`` (pure).

The festivals of the school plans: 除夕 (New Year's Eve: the last day of the
twelfth lunar month, which is 腊月廿九 in years whose twelfth month has 29
days), 春节 (1/1), 元宵 (1/15), 清明 (the solar term, 4 or 5 April), 端午
(5/5), 中秋 (8/15) and 重阳 (9/9). A leap month (闰月) repeats a month number;
the festivals and lunar birthdays fall in the ordinary month, never the leap
one (the custom). Solar terms are named in Chinese (``清明``, ``冬至`` …).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, LunarMonth, LunarYear, Solar

FESTIVALS: dict[str, tuple[int, int]] = {
    "春节": (1, 1),
    "元宵": (1, 15),
    "端午": (5, 5),
    "七夕": (7, 7),
    "中秋": (8, 15),
    "重阳": (9, 9),
}
"""Festivals on a fixed lunar month and day (除夕 and 清明 are computed)."""

SOLAR_TERMS = (
    "小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至",
    "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至",
)
"""The 24 solar terms (节气) in calendar order from January."""

FESTIVAL_NAMES = (*FESTIVALS, "除夕", "清明")

# lunar_python names the terms outside the lunar year's own span in pinyin.
_PINYIN = {"DONG_ZHI": "冬至", "XIAO_HAN": "小寒", "DA_HAN": "大寒", "LI_CHUN": "立春", "YU_SHUI": "雨水",
           "JING_ZHE": "惊蛰", "DA_XUE": "大雪"}


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``year``/``month``/``day`` (ordinary month; day 30 → 29 when the month is short).

    Raises:
        ValueError: month not 1–12 or day not 1–30.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError("lunar month 1–12 and day 1–30")
    length = LunarMonth.fromYm(year, month).getDayCount()
    solar = Lunar.fromYmd(year, month, min(day, length)).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=4096)
def festival_date(name: str, year: int) -> date:
    """The date of a festival in Gregorian ``year`` (除夕 is the eve of that year's 春节).

    Raises:
        KeyError: an unknown festival name.
    """
    if name == "除夕":
        return lunar_to_solar(year, 1, 1) - timedelta(days=1)
    if name == "清明":
        return solar_term_date("清明", year)
    month, day = FESTIVALS[name]
    return lunar_to_solar(year, month, day)


def new_years_eve_day(year: int) -> int:
    """The lunar day of 除夕 before ``year``'s 春节: 29 or 30 (the length of the twelfth month)."""
    return int(LunarMonth.fromYm(year - 1, 12).getDayCount())


@lru_cache(maxsize=4096)
def solar_term_date(name: str, year: int) -> date:
    """The date of a solar term in Gregorian ``year`` (China time, as lunar_python computes it).

    Raises:
        KeyError: not one of :data:`SOLAR_TERMS`.
    """
    if name not in SOLAR_TERMS:
        raise KeyError(name)
    for probe in (date(year, 3, 1), date(year, 11, 1)):
        table = Solar.fromYmd(probe.year, probe.month, probe.day).getLunar().getJieQiTable()
        for key, solar in table.items():
            if _PINYIN.get(key, key) == name and solar.getYear() == year:
                return date(solar.getYear(), solar.getMonth(), solar.getDay())
    raise KeyError(name)  # pragma: no cover - every term falls in every year


def leap_month(year: int) -> int:
    """The leap month of lunar ``year`` (闰月 number), or 0."""
    return int(LunarYear.fromYear(year).getLeapMonth())
