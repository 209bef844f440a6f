"""The roster's layout: its four sheets, their columns, and finding a sheet's header row.

The layout is the national registration form of rural left-behind children
(农村留守儿童基本情况登记表 / 花名册) as in the sample school workbook:

* children (留守儿童花名册): one child per row; required columns 姓名, 学籍号, 班级.
* staff (教职工): 姓名, 角色 (校领导, 管理员, 班主任, 帮扶教师, 爱心家长,
  教育主管部门, 镇政府), 班级 (for a class teacher), 手机号.
* classes (班级): 年级, 班级, 班主任, 学生总数, 留守儿童数.
* school (学校): key/value rows 学校名称, 所属乡镇, 时区.

A sheet is recognised by its header columns, never by its title (see
:func:`detect_header`), so a CSV file (one sheet) is recognised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from typing import Any

from bot.domain.enums import Role
from bot.domain.roster_cells import clean_text, match_key

HEADER_SEARCH_ROWS = 20

ROLE_NAMES: dict[str, Role] = {
    "校领导": Role.SCHOOL_LEADER,
    "管理员": Role.ADMIN,
    "班主任": Role.CLASS_TEACHER,
    "帮扶教师": Role.HELPER_TEACHER,
    "爱心家长": Role.CARING_PARENT,
    "爱心妈妈": Role.CARING_PARENT,
    "爱心爸爸": Role.CARING_PARENT,
    "教育主管部门": Role.EDUCATION_BUREAU,
    "镇政府": Role.TOWN_GOVERNMENT,
    "镇党委政府": Role.TOWN_GOVERNMENT,
    # Safeguarding (issue 10, item 9): the school's designated lead and the child-protection contacts.
    "儿童保护负责人": Role.SAFEGUARDING_LEAD,
    "安全负责人": Role.SAFEGUARDING_LEAD,
    "儿童主任": Role.CHILD_DIRECTOR,
    "妇联": Role.WOMENS_FEDERATION,
    "派出所": Role.POLICE,
    "民警": Role.POLICE,
    "公安": Role.POLICE,
}

# Staff of one group listed twice under one name are one person with two roles
# (a class teacher who is also a helper teacher); different groups never merge.
ROLE_GROUPS: dict[Role, str] = {
    Role.SCHOOL_LEADER: "teacher",
    Role.ADMIN: "teacher",
    Role.CLASS_TEACHER: "teacher",
    Role.HELPER_TEACHER: "teacher",
    Role.CARING_PARENT: "volunteer",
    Role.EDUCATION_BUREAU: "official",
    Role.TOWN_GOVERNMENT: "official",
    Role.SAFEGUARDING_LEAD: "teacher",
    Role.CHILD_DIRECTOR: "official",
    Role.WOMENS_FEDERATION: "official",
    Role.POLICE: "official",
}


class SheetKind(StrEnum):
    """The four sheets of the registration form."""

    CHILDREN = "children"
    STAFF = "staff"
    CLASSES = "classes"
    SCHOOL = "school"


# Column name in the file → field; aliases seen on real forms map to the same field.
CHILD_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "性别": "gender",
    "民族": "ethnicity",
    "出生日期": "birth_date",
    "学籍号": "student_no",
    "年级": "grade",
    "班级": "class_name",
    "就学情况": "schooling",
    "是否寄宿": "boarding",
    "身体情况": "health",
    "现居住地": "address",
    "父亲姓名": "father_name",
    "父亲务工地点": "father_work_place",
    "父亲联系电话": "father_phone",
    "母亲姓名": "mother_name",
    "母亲务工地点": "mother_work_place",
    "母亲联系电话": "mother_phone",
    "留守类型": "left_behind_type",
    "委托监护人姓名": "guardian_name",
    "与儿童关系": "guardian_relationship",
    "委托监护人电话": "guardian_phone",
    "委托监护人年龄": "guardian_age",
    "委托监护人身体状况": "guardian_health",
    "监护情况评估": "guardianship_assessment",
    "家庭经济来源": "family_income",
    "救助帮扶情况": "aid",
    "帮扶教师": "helper_teacher",
    "爱心家长": "caring_parent",
    "爱心妈妈": "caring_parent",
    "学习伙伴": "study_buddy",
    "备注": "note",
    # A signed paper consent form (是/否), entered as channel "roster" (bot.services.consent).
    "监护人同意": "consent",
    "知情同意": "consent",
}
STAFF_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "角色": "role",
    "班级": "class_name",
    "手机号": "phone",
    "联系电话": "phone",
}
CLASS_COLUMNS: dict[str, str] = {
    "年级": "grade",
    "班级": "name",
    "班主任": "class_teacher",
    "学生总数": "pupils_total",
    "留守儿童数": "left_behind_count",
}
SCHOOL_KEYS: dict[str, str] = {
    "学校名称": "name", "所属乡镇": "town", "时区": "timezone",
    # The number a family phones in an emergency: alerts and the guardians' emergency answer carry it.
    "学校电话": "phone", "联系电话": "phone", "电话": "phone",
}

REQUIRED: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.CHILDREN: ("name", "student_no", "class_name"),
    SheetKind.STAFF: ("name", "role"),
    SheetKind.CLASSES: ("name",),
}

# Column widths of the store (bot.store.models); longer text is rejected, not cut.
LIMITS: dict[str, int] = {
    "name": 64,
    "student_no": 64,
    "class_name": 64,
    "class_teacher": 64,
    "gender": 8,
    "ethnicity": 32,
    "grade": 32,
    "schooling": 32,
    "health": 64,
    "address": 300,
    "left_behind_type": 64,
    "guardianship_assessment": 64,
    "family_income": 64,
    "aid": 200,
    "father_name": 64,
    "mother_name": 64,
    "guardian_name": 64,
    "guardian_relationship": 32,
    "guardian_health": 64,
    "father_work_place": 200,
    "mother_work_place": 200,
    "helper_teacher": 64,
    "caring_parent": 64,
    "study_buddy": 64,
    # 备注 is unbounded in the store; 500 characters hold any remark a register has room for,
    # and keep a pasted document (or 100,000 characters) out of every message that quotes it.
    "note": 500,
}
SCHOOL_LIMITS: dict[str, int] = {"name": 200, "town": 200, "timezone": 64, "phone": 100}
# Cells read as phone numbers, dates, numbers, 是/否 or roles: no valid one is this long,
# and a longer one would be echoed whole in the rejection.
PARSED_LIMIT = 100

# --------------------------------------------------------------------------- tables and headers


@dataclass
class Table:
    """One sheet as read from the file.

    Attributes:
        name: sheet title, or the CSV file name.
        rows: ``(row number, cell values)`` in file order; merged cells already
            carry their top-left value. A list, or rows read from the file on
            each iteration (:func:`bot.adapters.roster_files.open_tables`), so
            a city's roster is never held in memory whole.
    """

    name: str
    rows: Iterable[tuple[int, Sequence[Any]]]


@dataclass
class Header:
    """A sheet's header row: its kind, position and the columns it has."""

    kind: SheetKind
    index: int  # position of the header row in Table.rows
    columns: dict[str, tuple[int, str]]  # field → (cell position, heading as written)
    row_no: int = 0  # the header row's number in the sheet


def header_name(value: Any) -> str:
    """A heading cell as compared with the known column names (NFKC, no whitespace)."""
    text = clean_text(value)
    return match_key(text) if text else ""


def detect_header(table: Table) -> Header | None:
    """Find the header row and the kind of sheet; None when the sheet is none of the four."""
    for index, (row_no, cells) in enumerate(islice(table.rows, HEADER_SEARCH_ROWS)):
        names = [header_name(c) for c in cells]
        if names and names[0] in SCHOOL_KEYS:
            return Header(SheetKind.SCHOOL, index, {}, row_no)
        present = set(names)
        if {"姓名", "学籍号"} <= present:
            kind, mapping = SheetKind.CHILDREN, CHILD_COLUMNS
        elif {"姓名", "角色"} <= present:
            kind, mapping = SheetKind.STAFF, STAFF_COLUMNS
        elif {"班级", "班主任"} <= present and "姓名" not in present:
            kind, mapping = SheetKind.CLASSES, CLASS_COLUMNS
        else:
            continue
        columns: dict[str, tuple[int, str]] = {}
        for pos, (name, raw) in enumerate(zip(names, cells, strict=False)):
            fld = mapping.get(name)
            if fld and fld not in columns:
                columns[fld] = (pos, str(clean_text(raw)))
        return Header(kind, index, columns, row_no)
    return None


def missing_columns(header: Header) -> list[str]:
    """Headings of required columns the sheet lacks (names as on the form)."""
    if header.kind is SheetKind.SCHOOL:
        return []
    mapping = {SheetKind.CHILDREN: CHILD_COLUMNS, SheetKind.STAFF: STAFF_COLUMNS, SheetKind.CLASSES: CLASS_COLUMNS}[
        header.kind
    ]
    heading = {v: k for k, v in reversed(list(mapping.items()))}
    return [heading[f] for f in REQUIRED[header.kind] if f not in header.columns]
