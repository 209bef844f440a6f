"""Roster sheets and rows (bot.domain.roster, bot.domain.roster_layout): headers, sheet kinds, row errors."""

from __future__ import annotations

from datetime import date

from bot.domain.enums import Role
from bot.domain.roster import parse_tables
from bot.domain.roster_layout import SheetKind, Table, detect_header


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
