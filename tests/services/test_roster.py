"""Importing the sample school's roster (bot.services.roster) on SQLite and PostgreSQL.

Expected figures are computed here from the workbook with openpyxl, not copied
from what the importer produced.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import phonenumbers
import pytest
from sqlalchemy import func, select

from bot.domain.enums import RelationKind, Role
from bot.services.roster import ImportReport, import_roster
from bot.store.models import (
    Child,
    ChildRelation,
    Person,
    PersonRole,
    School,
    SchoolClass,
)
from bot.store.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
STAFF_ROLES = {
    "校领导": Role.SCHOOL_LEADER,
    "管理员": Role.ADMIN,
    "班主任": Role.CLASS_TEACHER,
    "帮扶教师": Role.HELPER_TEACHER,
    "爱心家长": Role.CARING_PARENT,
    "教育主管部门": Role.EDUCATION_BUREAU,
    "镇政府": Role.TOWN_GOVERNMENT,
}


def sheet_dicts(path: Path, title: str) -> list[dict[str, Any]]:
    ws = openpyxl.load_workbook(path, data_only=True)[title]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def e164(raw: Any) -> str | None:
    return None if raw is None else phonenumbers.format_number(
        phonenumbers.parse(str(raw), "CN"), phonenumbers.PhoneNumberFormat.E164
    )


def run_import(uow_factory: UnitOfWorkFactory, path: Path, **kwargs: Any) -> ImportReport:
    with uow_factory() as uow:
        return import_roster(uow, path, now=NOW, default_timezone="Asia/Shanghai", **kwargs)


def counts(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    with uow_factory() as uow:
        return {
            m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0
            for m in (School, SchoolClass, Child, Person, PersonRole, ChildRelation)
        }


class Expected:
    """What the sample workbook holds, read straight from its sheets."""

    def __init__(self, path: Path) -> None:
        self.children = sheet_dicts(path, "留守儿童花名册")
        self.staff = sheet_dicts(path, "教职工")
        self.classes = sheet_dicts(path, "班级")
        self.guardians = {(c["委托监护人姓名"], e164(c["委托监护人电话"])) for c in self.children}
        self.parents = set()
        for c in self.children:
            for who in ("父亲", "母亲"):
                name, phone = c[f"{who}姓名"], e164(c[f"{who}联系电话"])
                if name:
                    # Without a phone, the same name is the same parent only within one family (same guardian).
                    family = (c["委托监护人姓名"], c["委托监护人电话"])
                    self.parents.add((name, phone) if phone else (name, family))
        self.relations = sum(
            1 + sum(1 for k in ("父亲姓名", "母亲姓名", "帮扶教师", "爱心家长", "学习伙伴") if c[k])
            for c in self.children
        )


def test_sample_roster_imports_every_child_class_person_and_relation(
    uow_factory: UnitOfWorkFactory, sample_roster: Path
) -> None:
    exp = Expected(sample_roster)
    report = run_import(uow_factory, sample_roster)

    assert report.rejected == [] and report.written
    assert len(exp.children) == 122 and len(exp.classes) == 18
    people_total = len(exp.staff) + len(exp.guardians) + len(exp.parents)
    assert (report.children.created, report.classes.created) == (122, 18)
    assert report.people.created == people_total
    assert report.relations.created == exp.relations
    assert counts(uow_factory) == {
        "schools": 1,
        "classes": 18,
        "children": 122,
        "people": people_total,
        "person_roles": people_total,  # nobody in the sample holds two roles
        "child_relations": exp.relations,
    }

    with uow_factory() as uow:
        s = uow.session
        school = s.scalars(select(School)).one()
        assert (school.name, school.town, school.timezone) == ("示例县清溪镇中心小学", "清溪镇", "Asia/Shanghai")
        people = s.scalars(select(Person)).all()
        by_name_phone = {(p.name, p.phone): p for p in people}
        for row in exp.staff:
            person = by_name_phone[(row["姓名"], e164(row["手机号"]))]
            assert person.role_set == {STAFF_ROLES[row["角色"]].value}
        for name, phone in exp.guardians:
            assert Role.GUARDIAN in by_name_phone[(name, phone)].role_set
        # The volunteer 张强 (staff sheet) is not the guardian 张强: two people, two phones.
        zhang_qiang = {p.phone for p in people if p.name == "张强"}
        assert zhang_qiang == {e164(r["手机号"]) for r in exp.staff if r["姓名"] == "张强"} | {
            e164(c["委托监护人电话"]) for c in exp.children if c["委托监护人姓名"] == "张强"
        }
        assert len(zhang_qiang) == 2

        classes = {c.id: c for c in s.scalars(select(SchoolClass))}
        people_by_id = {p.id: p for p in people}
        teacher_of = {c.name: people_by_id[c.class_teacher_id].name for c in classes.values()}
        assert teacher_of == {r["班级"]: r["班主任"] for r in exp.classes}
        assert {c.name: (c.grade, c.pupils_total, c.left_behind_count) for c in classes.values()} == {
            r["班级"]: (r["年级"], r["学生总数"], r["留守儿童数"]) for r in exp.classes
        }

        children = {c.student_no: c for c in s.scalars(select(Child))}
        children_by_id = {c.id: c for c in children.values()}
        rels: dict[int, list[ChildRelation]] = {}
        for r in s.scalars(select(ChildRelation)):
            rels.setdefault(r.child_id, []).append(r)
        for row in exp.children:
            child = children[row["学籍号"]]
            assert (child.name, child.birth_date, classes[child.class_id].name) == (
                row["姓名"],
                row["出生日期"].date(),
                row["班级"],
            )
            assert child.boarding is (row["是否寄宿"] == "是")
            got = {}
            for r in rels[child.id]:
                other = (children_by_id[r.related_child_id].name if r.related_child_id
                         else people_by_id[r.person_id].name)
                got[r.kind] = (other, r.relationship_label)
            want = {RelationKind.ENTRUSTED_GUARDIAN.value: (row["委托监护人姓名"], row["与儿童关系"])}
            for col, kind in (
                ("父亲姓名", RelationKind.FATHER),
                ("母亲姓名", RelationKind.MOTHER),
                ("帮扶教师", RelationKind.HELPER_TEACHER),
                ("爱心家长", RelationKind.CARING_PARENT),
                ("学习伙伴", RelationKind.STUDY_BUDDY),
            ):
                if row[col]:
                    want[kind.value] = (row[col], None)
            assert got == want, row["姓名"]
        # Pairings point at staff-sheet people with that role.
        for r in s.scalars(select(ChildRelation).where(ChildRelation.kind == RelationKind.CARING_PARENT.value)):
            assert Role.CARING_PARENT in people_by_id[r.person_id].role_set


def test_siblings_share_parents_but_same_named_parents_elsewhere_do_not_merge(
    uow_factory: UnitOfWorkFactory, sample_roster: Path
) -> None:
    exp = Expected(sample_roster)
    run_import(uow_factory, sample_roster)
    with uow_factory() as uow:
        s = uow.session
        fathers: dict[str, int] = {}
        for child_name, person_id in s.execute(
            select(Child.name, ChildRelation.person_id)
            .join(ChildRelation, ChildRelation.child_id == Child.id)
            .where(ChildRelation.kind == RelationKind.FATHER.value)
        ):
            fathers[child_name] = person_id
    # Siblings (备注 与兄弟姐妹同校, same guardian) have one father, with or without his phone.
    families: dict[tuple[Any, Any], set[int]] = {}
    for c in exp.children:
        if c["备注"] == "与兄弟姐妹同校" and c["父亲姓名"]:
            families.setdefault((c["委托监护人姓名"], c["委托监护人电话"]), set()).add(fathers[c["姓名"]])
    assert families and all(len(ids) == 1 for ids in families.values())
    # A father's name on rows of different families is as many people as (name, phone or family) says.
    same_name = Counter(c["父亲姓名"] for c in exp.children if c["父亲姓名"])
    for name in (n for n, k in same_name.items() if k > 1):
        rows = [c for c in exp.children if c["父亲姓名"] == name]
        keys = {
            e164(c["父亲联系电话"]) or (c["委托监护人姓名"], c["委托监护人电话"]) for c in rows
        }
        assert len({fathers[c["姓名"]] for c in rows}) == len(keys), name


def test_importing_twice_changes_nothing(uow_factory: UnitOfWorkFactory, sample_roster: Path) -> None:
    first = run_import(uow_factory, sample_roster)
    before = counts(uow_factory)
    second = run_import(uow_factory, sample_roster)
    assert counts(uow_factory) == before
    for entity in ("children", "people", "relations", "classes"):
        c1, c2 = getattr(first, entity), getattr(second, entity)
        assert (c2.created, c2.updated, c2.removed) == (0, 0, 0), entity
        assert c2.unchanged == c1.created, entity


def test_reimport_updates_in_place_and_drops_relations_no_longer_listed(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    run_import(uow_factory, sample_roster)
    wb = openpyxl.load_workbook(sample_roster)
    ws = wb["留守儿童花名册"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    ws.cell(2, col["现居住地"], "示例县清溪镇新地址1号")
    ws.cell(2, col["学习伙伴"]).value = None  # cell(r, c, None) would not clear it
    ws.cell(2, col["与儿童关系"], "祖父")
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    student_no = ws.cell(2, col["学籍号"]).value
    before = counts(uow_factory)

    report = run_import(uow_factory, changed)

    assert (report.children.updated, report.children.created) == (1, 0)
    assert (report.relations.updated, report.relations.removed, report.relations.created) == (1, 1, 0)
    after = counts(uow_factory)
    assert after["children"] == before["children"] and after["people"] == before["people"]
    assert after["child_relations"] == before["child_relations"] - 1
    with uow_factory() as uow:
        child = uow.session.scalars(select(Child).where(Child.student_no == student_no)).one()
        assert child.address == "示例县清溪镇新地址1号"


# --------------------------------------------------------------------------- CSV


def write_csv_folder(sample: Path, folder: Path, encoding: str) -> Path:
    """The four sheets as CSV files, dates written as 2015/3/4 (the way Excel exports them)."""
    folder.mkdir()
    wb = openpyxl.load_workbook(sample, data_only=True)
    for ws in wb.worksheets:
        with (folder / f"{ws.title}.csv").open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            for row in ws.iter_rows(values_only=True):
                writer.writerow(
                    [f"{v.year}/{v.month}/{v.day}" if isinstance(v, datetime) else ("" if v is None else v)
                     for v in row]
                )
    return folder


def child_view(uow_factory: UnitOfWorkFactory) -> set[tuple[Any, ...]]:
    with uow_factory() as uow:
        s = uow.session
        return set(
            s.execute(
                select(Child.student_no, Child.name, Child.birth_date, SchoolClass.name, Child.boarding).join(
                    SchoolClass, Child.class_id == SchoolClass.id
                )
            ).all()
        )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_folder_in_utf8_or_gbk_imports_the_same_children(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path, encoding: str
) -> None:
    folder = write_csv_folder(sample_roster, tmp_path / "csv", encoding)
    exp = Expected(sample_roster)

    report = run_import(uow_factory, folder)

    assert report.rejected == [] and report.children.created == 122
    assert report.relations.created == exp.relations
    assert child_view(uow_factory) == {
        (c["学籍号"], c["姓名"], c["出生日期"].date(), c["班级"], c["是否寄宿"] == "是") for c in exp.children
    }


def test_a_children_csv_alone_finds_classes_and_staff_in_the_database(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    folder = write_csv_folder(sample_roster, tmp_path / "csv", "gbk")
    run_import(uow_factory, sample_roster)
    before = child_view(uow_factory)

    report = run_import(uow_factory, folder / "留守儿童花名册.csv")

    assert report.rejected == []
    assert (report.children.unchanged, report.children.created, report.children.updated) == (122, 0, 0)
    assert report.relations.created == report.relations.removed == 0
    assert child_view(uow_factory) == before


# --------------------------------------------------------------------------- messy and bad rows

CHILD_HEADER = [
    "序号", "姓名", "性别", "出生日期", "学籍号", "年级", "班级", "是否寄宿", "父亲姓名", "父亲联系电话",
    "母亲姓名", "母亲联系电话", "委托监护人姓名", "与儿童关系", "委托监护人电话", "委托监护人年龄",
    "帮扶教师", "爱心家长", "学习伙伴", "备注",
]


def messy_workbook(path: Path, extra_rows: list[list[Any]] = ()) -> Path:  # type: ignore[assignment]
    """A small school written the way real registers look: title rows, merged cells, mixed formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["示例县某小学 农村留守儿童花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CHILD_HEADER))
    ws.append(["填表日期：2026年9月1日"])
    ws.append(CHILD_HEADER)
    rows = [
        [1, "王  芳", "女", "2015年3月4日", "G001", "三年级", "三年级（1）班", "是", "王大", "138 0013 7614",
         "李二", None, "王爷爷", "祖父", "13900136927 / 15000137652", "６８", "赵老师", "钱阿姨", "刘洋", None],
        [2, "刘洋", "男", "２０１５．６．７", "Ｇ００２", "三年级", None, "否", "刘大", None,
         "陈三", "138-0013-3241", "刘奶奶", "祖母", "１３９００１３６８７５", 70, "赵老师", None, "王芳", None],
        [],
        [3, "张小明", "男", 42000, "G003", "三年级", "三年级(2)班", "否", None, None,
         None, None, "张外婆", "外祖母", "+86 150 0013 5202", None, None, "钱阿姨", None, "与兄弟姐妹同校"],
    ]
    rows.extend(extra_rows)
    for r in rows:
        ws.append(r)
    # 班级 merged down over the first two children (row 4 and 5): both are in 三年级（1）班.
    class_col = CHILD_HEADER.index("班级") + 1
    ws.merge_cells(start_row=4, start_column=class_col, end_row=5, end_column=class_col)
    staff = wb.create_sheet("教职工")
    staff.append(["教职工及志愿者"])
    staff.append(["姓名", "角色", "班级", "手机号"])
    staff.append(["孙校长", "校领导", None, "13800136961"])
    staff.append(["周老师", "班主任", "三年级（1）班", "138 0013 0739"])
    staff.append(["吴老师", "班主任", "三年级（2）班", "13900135018"])
    staff.append(["赵老师", "帮扶教师", None, "15000130010"])
    staff.append(["钱阿姨", "爱心家长", None, "15000131532"])
    classes = wb.create_sheet("班级")
    classes.append(["年级", "班级", "班主任", "学生总数", "留守儿童数"])
    classes.append(["三年级", "三年级（1）班", "周老师", "４０", 2])
    classes.append(["三年级", "三年级（2）班", None, 38, 1])
    school = wb.create_sheet("学校")
    school.append(["学校名称", "示例县某小学"])
    school.append(["所属乡镇", "某镇"])
    wb.create_sheet("填表说明").append(["本表由学校填写"])
    wb.save(path)
    return path


def test_messy_rows_parse(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    report = run_import(uow_factory, messy_workbook(tmp_path / "messy.xlsx"))

    assert report.rejected == []
    assert report.unrecognised_sheets == ["填表说明"]
    assert (report.children.created, report.classes.created) == (3, 2)
    with uow_factory() as uow:
        s = uow.session
        classes = {c.id: c for c in s.scalars(select(SchoolClass))}
        kids = {c.student_no: c for c in s.scalars(select(Child))}
        people = {p.id: p for p in s.scalars(select(Person))}
        assert set(kids) == {"G001", "G002", "G003"}  # full-width Ｇ００２ normalised
        assert kids["G001"].name == "王芳" and kids["G001"].birth_date == date(2015, 3, 4)
        assert kids["G002"].birth_date == date(2015, 6, 7)
        assert kids["G003"].birth_date == date(2014, 12, 27)  # Excel serial 42000
        assert classes[kids["G002"].class_id].name == "三年级（1）班"  # merged cell
        assert classes[kids["G003"].class_id].name == "三年级（2）班"  # (2) written half-width
        assert people[classes[kids["G003"].class_id].class_teacher_id].name == "吴老师"  # from the staff sheet
        by_name = {p.name: p for p in people.values()}
        assert by_name["王大"].phone == "+8613800137614"
        assert by_name["王爷爷"].phone == "+8613900136927"  # two numbers: the first
        assert by_name["王爷爷"].age == 68
        assert by_name["刘奶奶"].phone == "+8613900136875"
        assert by_name["周老师"].phone == "+8613800130739"
        buddy = s.scalars(
            select(ChildRelation).where(
                ChildRelation.child_id == kids["G001"].id, ChildRelation.kind == RelationKind.STUDY_BUDDY.value
            )
        ).one()
        assert buddy.related_child_id == kids["G002"].id


BAD_ROWS = [
    (["", "女", "2015-01-01", "G010", "三年级", "三年级（1）班"], "姓名", "a value is required here"),
    (["坏日期", "女", "2015年13月1日", "G011", "三年级", "三年级（1）班"], "出生日期", "{value} is not a date"),
    (["坏电话", "女", "2015-01-01", "G012", "三年级", "三年级（1）班", "否", "父", "12345"], "父亲联系电话",
     "{value} is not a valid phone number"),
    (["无班级", "女", "2015-01-01", "G013", "三年级", "九年级（9）班"], "班级", "class {value} is neither"),
    (["重学籍", "女", "2015-01-01", "G001", "三年级", "三年级（1）班"], "学籍号", "student number {value} also"),
]
UNKNOWN_PAIRINGS = [
    (["无教师", "女", "2015-01-01", "G014", "三年级", "三年级（1）班", "否", None, None, None, None, "某人",
      "祖母", "13900136000", None, "不存在老师"], "帮扶教师", "no helper teacher called"),
    (["无伙伴", "女", "2015-01-01", "G015", "三年级", "三年级（1）班", "否", None, None, None, None, "某人",
      "祖母", "13900136000", None, None, None, "查无此人"], "学习伙伴", "no child called"),
]


@pytest.mark.parametrize(("cells", "column", "reason"), UNKNOWN_PAIRINGS, ids=[b[1] for b in UNKNOWN_PAIRINGS])
def test_a_pairing_that_matches_nobody_is_a_warning_and_the_child_comes_in(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, cells: list[Any], column: str, reason: str
) -> None:
    # Issue 9, item 4: never a reason to drop the child; imported without that pairing.
    path = messy_workbook(tmp_path / "pairing.xlsx", [[9, *cells]])

    report = run_import(uow_factory, path)

    assert report.written and report.rejected == []
    assert [(e.sheet, e.row, e.column) for e in report.warnings] == [("花名册", 8, column)]
    assert report.warnings[0].reason.startswith(reason)
    with uow_factory() as uow:
        child = uow.session.scalar(select(Child).where(Child.student_no == cells[3]))
        kinds = set(uow.session.scalars(select(ChildRelation.kind).where(ChildRelation.child_id == child.id)))
    assert kinds == {RelationKind.ENTRUSTED_GUARDIAN.value}


@pytest.mark.parametrize(("cells", "column", "reason"), BAD_ROWS, ids=[b[1] for b in BAD_ROWS])
def test_a_bad_row_aborts_everything_by_default(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, cells: list[Any], column: str, reason: str
) -> None:
    path = messy_workbook(tmp_path / "bad.xlsx", [[9, *cells]])

    report = run_import(uow_factory, path)

    assert not report.written
    assert [(e.sheet, e.row, e.column) for e in report.rejected] == [("花名册", 8, column)]
    assert report.rejected[0].reason.startswith(reason)
    assert all(n == 0 for n in counts(uow_factory).values())


def test_skip_invalid_writes_the_good_rows_and_lists_the_bad_one(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    path = messy_workbook(tmp_path / "bad.xlsx", [[9, *BAD_ROWS[2][0]]])

    report = run_import(uow_factory, path, skip_invalid=True)

    assert report.written and report.children.created == 3
    assert [(e.sheet, e.row, e.column, e.params) for e in report.rejected] == [
        ("花名册", 8, "父亲联系电话", {"value": "12345"})
    ]
    with uow_factory() as uow:
        assert sorted(uow.session.scalars(select(Child.student_no))) == ["G001", "G002", "G003"]


def test_files_that_cannot_be_imported_raise_a_roster_file_error(
    uow_factory: UnitOfWorkFactory, sample_roster: Path, tmp_path: Path
) -> None:
    from bot.services.roster import RosterFileError

    unknown = tmp_path / "other.csv"
    unknown.write_text("商品,价格\n苹果,3\n", encoding="gbk")
    folder = write_csv_folder(sample_roster, tmp_path / "csv", "utf-8")
    cases = [
        (unknown, "{file} has no sheet with the roster's columns"),
        (tmp_path / "missing.xlsx", "{file} does not exist"),
        # A children CSV into an empty database: which school is it?
        (folder / "留守儿童花名册.csv", "The file has no school sheet (学校) and the database holds {count} schools: "
                                        "import it with its school sheet, or name its school with --school NAME."),
    ]
    for path, message_id in cases:
        with pytest.raises(RosterFileError) as exc:
            run_import(uow_factory, path)
        assert exc.value.message_id == message_id
    assert all(n == 0 for n in counts(uow_factory).values())


def test_cross_sheet_references_are_checked(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "refs.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["班级"].append(["三年级", "三年级（3）班", "不在名单老师", 30, 0])
    wb["教职工"].append(["郑老师", "班主任", "九年级（1）班", "13800130001"])
    wb["教职工"].append(["周老师", "班主任", "三年级（1）班", "13800130002"])  # same name, other phone
    wb.save(path)

    report = run_import(uow_factory, path)

    assert [(e.sheet, e.row, e.column, e.reason.split(" ")[0]) for e in report.rejected] == [
        ("教职工", 8, "班级", "class"),
        ("教职工", 9, "姓名", "{value}"),
        ("班级", 4, "班主任", "no"),
    ]
    assert report.rejected[1].params == {"value": "周老师", "first_row": 4}


def test_a_study_buddy_in_a_rejected_row_is_named_as_such(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    # 刘洋 (row 5) gets a bad date; 王芳 (row 4) names 刘洋 as study buddy.
    path = messy_workbook(tmp_path / "buddy.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["花名册"].cell(5, CHILD_HEADER.index("出生日期") + 1).value = "2015年13月1日"
    wb.save(path)

    report = run_import(uow_factory, path, skip_invalid=True)

    assert [(e.row, e.column, e.reason) for e in report.rejected] == [
        (5, "出生日期", "{value} is not a date (write it like 2015-03-04 or 2015年3月4日)"),
    ]
    assert [(e.row, e.column, e.reason) for e in report.warnings] == [
        (4, "学习伙伴", "{value} is in a rejected row"),
    ]
    assert report.children.created == 1 + 1  # 王芳 comes in without her study buddy
