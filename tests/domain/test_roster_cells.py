"""Roster cell values (bot.domain.roster_cells), no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.roster_cells import (
    CellError,
    clean_text,
    match_key,
    parse_bool,
    parse_date,
    parse_int,
    parse_phone,
)
from bot.domain.roster_messages import BAD_DATE, BAD_PHONE, FUTURE_DATE


@pytest.mark.parametrize(
    "value",
    [
        datetime(2015, 3, 4),  # noqa: DTZ001 — a cell as openpyxl reads it: Excel dates carry no zone
        date(2015, 3, 4),
        42067,  # Excel serial number
        42067.0,
        "42067",
        "2015.3.4",
        "2015/3/4",
        "2015-03-04",
        "2015年3月4日",
        "２０１５年３月４日",  # full-width digits
        "２０１５．３．４",
        " 2015 年 3 月 4 日 ",
        "20150304",
        "2015-03-04 00:00:00",
    ],
)
def test_dates_in_every_written_form(value: object) -> None:
    assert parse_date(value) == date(2015, 3, 4)


@pytest.mark.parametrize("value", ["2015.13.4", "2015年2月30日", "三月四日", "2015", "abc", 12])
def test_unreadable_dates_are_cell_errors(value: object) -> None:
    with pytest.raises(CellError) as exc:
        parse_date(value)
    assert exc.value.reason == BAD_DATE


def test_a_birth_date_after_today_is_refused() -> None:
    with pytest.raises(CellError) as exc:
        parse_date("2030-01-01", today=date(2026, 11, 30))
    assert exc.value.reason == FUTURE_DATE


def test_blank_cells_are_none() -> None:
    assert parse_date(None) is None and parse_date("  ") is None
    assert parse_phone(None) is None and parse_phone("") is None
    assert parse_bool(None) is None and parse_int("") is None and clean_text("\u3000") is None


@pytest.mark.parametrize(
    "value",
    [
        "13800137614",
        13800137614,
        13800137614.0,
        "138 0013 7614",
        "138-0013-7614",
        "+86 138 0013 7614",
        "１３８００１３７６１４",
        "13800137614 / 13900136927",  # two numbers: the first is kept
        "13800137614，13900136927",
        "13800137614、13900136927",
    ],
)
def test_phone_numbers_become_e164(value: object) -> None:
    assert parse_phone(value) == "+8613800137614"


@pytest.mark.parametrize("value", ["12345", "电话", "1380013"])
def test_invalid_phone_numbers_are_cell_errors(value: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_phone(value)
    assert exc.value.reason == BAD_PHONE
    assert exc.value.params == {"value": value}


def test_booleans_numbers_and_names() -> None:
    assert parse_bool("是") is True and parse_bool(" 否 ") is False
    with pytest.raises(CellError):
        parse_bool("也许")
    assert parse_int("６８") == 68 and parse_int("68岁") == 68 and parse_int(68.0) == 68
    with pytest.raises(CellError):
        parse_int("六十八")
    assert clean_text(" 王  芳 ") == "王芳"  # registers pad two-character names
    assert clean_text("Li  Ming ") == "Li Ming"
    assert match_key("一年级（1）班") == match_key("一年级(1)班")
