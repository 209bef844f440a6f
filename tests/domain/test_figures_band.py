"""A rate near 0 % or 100 % gives a count of 1–4 away: officials read a band (issue 9; fix9b).

121 of 122 check-ins answered, shown 99.2 %, tells the town's official that exactly one guardian did not answer.
:func:`bot.domain.figures.rate_band` turns such a rate into "fewer than 5 not done" (``≥96%``) or "fewer than 5
done" (``≤4%``), and :func:`bot.domain.figures_complement.complement` keeps a band from being undone by
subtracting the other rows from the town's total.
"""

from __future__ import annotations

import pytest

from bot.domain.figures import Level, Rate, UnitFigures, WithheldRate, rate_band
from bot.domain.figures_complement import complement
from bot.services.figures_sheet import _row
from bot.services.figures_text import show_rate


@pytest.mark.parametrize(("done", "total", "band"), [
    (121, 122, "≥96%"),  # floor(100·118/122) = 96: fewer than 5 not done
    (118, 122, "≥96%"),
    (117, 122, None),  # 5 not done: the figure itself
    (1, 122, "≤4%"),  # ceil(100·4/122) = 4: fewer than 5 done
    (4, 122, "≤4%"),
    (0, 122, None), (122, 122, None),  # nobody and everybody identify nobody
    (6, 10, "≥60%"), (4, 10, "≤40%"), (5, 10, None),
    (7, 8, "*"), (3, 8, "*"), (1, 9, "*"),  # over fewer than 10 a band would say next to nothing
    (0, 0, None),
])
def test_the_band_of_a_rate(done, total, band):
    assert rate_band(Rate(done, total), True) == band
    assert rate_band(Rate(done, total), False) is None  # the school's own staff see the figure


def test_chat_and_sheet_write_the_band_and_hide_the_numerator():
    unit = UnitFigures(Level.SCHOOL, "清溪小学", left_behind=122, checkins=Rate(121, 122), filed=Rate(2, 122),
                       monthly_talks=Rate(7, 8))
    assert show_rate(unit.checkins, True, 122) == "*/122 (≥96%)"
    assert show_rate(unit.filed, True, 122) == "<5/122 (≤4%)"  # ceil(400/122) = 4
    assert show_rate(unit.monthly_talks, True, 122) == "*/8"
    assert show_rate(unit.checkins, False, 122) == "121/122 (99.2%)"
    cells = _row(unit, True, "en")
    assert cells[5:8] == ["<5", 122, "≤4%"]  # filed: done, of, %
    assert cells[8:11] == ["*", 8, "*"]  # monthly talks
    assert cells[14:17] == ["*", 122, "≥96%"]  # check-ins answered
    assert 121 not in cells and 99.2 not in cells
    assert unit.shown("checkins", True) is None and unit.shown("checkins", False) == Rate(121, 122)


def test_a_band_cannot_be_undone_from_the_towns_total_and_the_other_school():
    """121/122 beside 119/128 and the town's 240/250: 240 − 119 = 121. The other school is hidden too (``*``)."""
    a = UnitFigures(Level.SCHOOL, "清溪小学", left_behind=122, checkins=Rate(121, 122))
    b = UnitFigures(Level.SCHOOL, "河口小学", left_behind=128, checkins=Rate(119, 128))
    town = UnitFigures(Level.TOWN, "清溪镇", left_behind=250, checkins=Rate(240, 250))
    complement([(town, [a, b])])
    shown = [show_rate(u.checkins, True, u.left_behind) for u in (a, b, town)]
    assert shown == ["*/122 (≥96%)", "*", "240/250 (96.0%)"]
    assert isinstance(b.checkins, WithheldRate) and not isinstance(a.checkins, WithheldRate)


def test_a_band_on_the_total_is_not_undone_from_its_rows_either():
    """Two schools of 61 with 61 and 60 done: the town's 121/122 is a band, and a school's exact 61/61 beside the
    other's would give it back, so a row is hidden with it."""
    a = UnitFigures(Level.SCHOOL, "清溪小学", left_behind=61, checkins=Rate(61, 61))
    b = UnitFigures(Level.SCHOOL, "河口小学", left_behind=61, checkins=Rate(60, 61))
    town = UnitFigures(Level.TOWN, "清溪镇", left_behind=122, checkins=Rate(121, 122))
    complement([(town, [a, b])])
    shown = [show_rate(u.checkins, True, u.left_behind) for u in (a, b, town)]
    assert shown[2] == "*/122 (≥96%)" and shown[1] == "*/61 (≥93%)"
    assert shown[0] == "*"  # else 121 − 61 gives b's 60 back
