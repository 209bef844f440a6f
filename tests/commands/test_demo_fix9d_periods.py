"""fix9d, items 1–2 of the breaker's list: periods at the calendar's limits, and officials' whole periods only.

A principal or an official typing a period at the limits of the calendar (``9999-12-31``, ``0001-01-01``) is
told the period cannot be read, as for any other typing error; an official (education office, town) typing an
arbitrary range is told which periods they may choose (two ranges a day apart would give one child's figures
by subtraction); the school's own staff keep any range.
"""

from __future__ import annotations

import pytest

from tests.support.demo import run_demo

AT = "2026-12-04 17:58"


def _after(out: str, typed: str) -> str:
    """What the demo answered to the line typed (up to the next line typed)."""
    return out.split(f"> {typed}\n", 1)[1].split("\n> ", 1)[0]


@pytest.mark.parametrize("who", ["王校长", "镇教育办张科长"])
def test_a_period_at_the_calendars_limits_is_a_period_that_cannot_be_read(monkeypatch, tmp_path, sample_roster, who):
    typed = ["统计 2026-01-01~9999-12-31", "统计 0001-01-01~0001-01-02", "统计 9999-12",
             "/export 统计 2026-12-01~9999-12-31"]
    out = run_demo(monkeypatch, tmp_path, sample_roster, f":as {who}\n" + "\n".join(typed) + "\n/quit\n", AT)
    for line in typed:
        said = _after(out, line)
        assert "出了点问题" not in said and "无法识别" in said, (line, said)


def test_an_official_may_choose_whole_months_terms_and_years_only(monkeypatch, tmp_path, sample_roster):
    typed = ["统计 2026-11-01~2026-11-09", "统计 2026-11-01~2026-11-30", "统计 2026-11", "统计 学期",
             "/export 统计 2026-11-01~2026-11-10"]
    out = run_demo(monkeypatch, tmp_path, sample_roster, ":as 镇政府李干事\n" + "\n".join(typed) + "\n/quit\n", AT)
    refused = "官员只能查看整段时间的统计"
    said = _after(out, typed[0])
    assert refused in said and "2026-11-01~2026-11-09" not in said and "统计数据" not in said, said
    assert _after(out, typed[1]).splitlines()[0] == "清溪镇（乡镇）统计数据，2026-11：", _after(out, typed[1])
    assert _after(out, typed[2]).splitlines()[0] == "清溪镇（乡镇）统计数据，2026-11："
    assert "统计数据，2026-09-01~2027-01-" in _after(out, typed[3])
    assert refused in _after(out, typed[4])


def test_an_official_is_told_in_english_and_the_principal_keeps_any_range(monkeypatch, tmp_path, sample_roster):
    out = run_demo(monkeypatch, tmp_path, sample_roster,
                   ":as 镇政府李干事\n/report 2026-11-01~2026-11-09\n"
                   ":as 王校长\n/report 2026-11-01~2026-11-10\n/quit\n",
                   AT, "--lang", "en")
    assert "Officials see figures for whole periods only" in _after(out, "/report 2026-11-01~2026-11-09")
    assert "2026-11-01~2026-11-10:" in _after(out, "/report 2026-11-01~2026-11-10").splitlines()[0]
