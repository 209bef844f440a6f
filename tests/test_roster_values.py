"""Roster cell values and header detection (bot.domain.roster), no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.enums import Role
from bot.domain.roster import (
    BAD_DATE,
    BAD_PHONE,
    FUTURE_DATE,
    CellError,
    SheetKind,
    Table,
    clean_text,
    detect_header,
    match_key,
    parse_bool,
    parse_date,
    parse_int,
    parse_phone,
    parse_tables,
)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2015, 3, 4),
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


def test_header_found_below_title_rows_and_sheet_kind_from_columns() -> None:
    table = Table(
        "whatever",
        [
            (1, ["示例县清溪镇中心小学 留守儿童花名册", None, None]),
            (2, [None, None, None]),
            (3, ["序号", "姓  名", "学籍号", "班级"]),
            (4, [1, "杨秀云", "G1", "一年级（1）班"]),
        ],
    )
    header = detect_header(table)
    assert header is not None and header.kind is SheetKind.CHILDREN and header.index == 2
    assert header.columns["name"] == (1, "姓名")

    staff = Table("s", [(1, ["姓名", "角色", "班级", "手机号"])])
    classes = Table("c", [(1, ["年级", "班级", "班主任", "学生总数", "留守儿童数"])])
    school = Table("x", [(1, ["学校名称", "某小学"]), (2, ["时区", "Asia/Shanghai"])])
    assert [detect_header(t).kind for t in (staff, classes, school)] == [  # type: ignore[union-attr]
        SheetKind.STAFF,
        SheetKind.CLASSES,
        SheetKind.SCHOOL,
    ]
    assert detect_header(Table("说明", [(1, ["填表说明"])])) is None


def test_bad_cells_are_reported_with_sheet_row_and_column() -> None:
    table = Table(
        "教职工",
        [
            (1, ["教职工名单"]),
            (2, ["姓名", "角色", "班级", "手机号"]),
            (3, ["王老师", "班主任", "一年级（1）班", "13800130739"]),
            (4, [None, None, None, None]),
            (5, ["", "帮扶教师", None, "13800130740"]),
            (6, ["李老师", "厨师", None, "12"]),
        ],
    )
    parsed = parse_tables([table], today=date(2026, 11, 30))
    assert [(s.name, s.role, s.phone) for s in parsed.staff] == [("王老师", Role.CLASS_TEACHER, "+8613800130739")]
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [
        ("教职工", 5, "姓名"),
        ("教职工", 6, "角色"),
        ("教职工", 6, "手机号"),
    ]
