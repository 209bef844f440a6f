"""Access rules (bot/services/access.py): who sees which child, deny by default.

The small school built here (``build_school``) is reused by tests/test_identity*.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.domain.enums import RelationKind, Role
from bot.services.access import Purpose, can_act_on_child, find_children
from bot.services.identity import Actor
from bot.store.models import Child, ChildRelation, Person, PersonRole, School, SchoolClass
from bot.store.uow import UnitOfWork

BOUND_AT = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass
class TestSchool:
    """Ids of the people and children of the test school (all invented)."""

    __test__ = False  # not a test class

    school: int
    other_school: int
    class_a: int
    class_b: int
    class_c: int
    teacher_a: int  # class teacher of 三年级1班, also helper teacher of 李四 (class C)
    teacher_b: int  # class teacher of 三年级2班
    teacher_c: int  # class teacher of 四年级1班
    helper: int  # helper teacher paired with 张三 (class A)
    caring: int  # caring-parent volunteer 张强 paired with 张三 (class B)
    guardian_a: int  # entrusted guardian of 张三 (class A)
    guardian_b: int  # 张强, entrusted guardian of 张三 (class B)
    father_a: int  # father of 张三 (class A)
    leader: int
    admin: int
    bureau: int
    town: int
    janitor: int  # only an unknown role, though linked as class teacher and helper
    other_admin: int  # admin of another school
    zs_a: int  # 张三 in class A
    zs_b: int  # 张三 in class B
    li_si: int  # 李四 in class C
    wang: int  # 王 五 (stored with a space) in class A
    gone: int  # inactive child in class A
    other_child: int  # 张三 in the other school


def _person(s, school_id: int, key: str, name: str, roles: list[str], phone: str | None = None, locale=None) -> int:
    p = Person(school_id=school_id, name=name, phone=phone, natural_key=f"test:{key}", locale=locale)
    p.roles = [PersonRole(role=r) for r in roles]
    s.add(p)
    s.flush()
    return p.id


def _child(s, school_id: int, class_id: int, name: str, no: str, active: bool = True) -> int:
    c = Child(school_id=school_id, class_id=class_id, name=name, student_no=no, active=active)
    s.add(c)
    s.flush()
    return c.id


def _relate(s, child_id: int, kind: str, person_id: int) -> None:
    s.add(ChildRelation(child_id=child_id, kind=kind, person_id=person_id))
    s.flush()


def build_school(uow: UnitOfWork) -> TestSchool:
    """Create the test school (two schools, three classes, staff, guardians, children) and commit."""
    s = uow.session
    school = School(name="测试小学", timezone="Asia/Shanghai", locale="zh_Hans")
    other = School(name="别的小学", timezone="Asia/Shanghai", locale="en")
    s.add_all([school, other])
    s.flush()
    sid = school.id
    teacher_a = _person(s, sid, "ta", "陈老师", [Role.CLASS_TEACHER, Role.HELPER_TEACHER], "+8613800000001")
    teacher_b = _person(s, sid, "tb", "刘老师", [Role.CLASS_TEACHER], "+8613800000002")
    teacher_c = _person(s, sid, "tc", "周老师", [Role.CLASS_TEACHER], "+8613800000003")
    janitor = _person(s, sid, "jan", "吴师傅", ["janitor"])
    class_a = SchoolClass(school_id=sid, grade="三年级", name="三年级1班", class_teacher_id=teacher_a)
    class_b = SchoolClass(school_id=sid, grade="三年级", name="三年级2班", class_teacher_id=teacher_b)
    class_c = SchoolClass(school_id=sid, grade="四年级", name="四年级1班", class_teacher_id=teacher_c)
    s.add_all([class_a, class_b, class_c])
    s.flush()
    ids = dict(
        school=sid,
        other_school=other.id,
        class_a=class_a.id,
        class_b=class_b.id,
        class_c=class_c.id,
        teacher_a=teacher_a,
        teacher_b=teacher_b,
        teacher_c=teacher_c,
        janitor=janitor,
        helper=_person(s, sid, "h", "赵老师", [Role.HELPER_TEACHER], "+8613800000004"),
        caring=_person(s, sid, "cp", "张强", [Role.CARING_PARENT], "+8613812346956"),
        guardian_a=_person(s, sid, "ga", "张爷爷", [Role.GUARDIAN], "+8613800000006"),
        guardian_b=_person(s, sid, "gb", "张强", [Role.GUARDIAN], "+8613912347777"),
        father_a=_person(s, sid, "fa", "张建国", [Role.PARENT], "+8613800000008"),
        leader=_person(s, sid, "l", "孙校长", [Role.SCHOOL_LEADER], "+8613800000009"),
        admin=_person(s, sid, "ad", "钱主任", [Role.ADMIN], "+8613800000010", locale="en"),
        bureau=_person(s, sid, "eb", "教育局李科长", [Role.EDUCATION_BUREAU], "+8613800000011"),
        town=_person(s, sid, "tg", "镇政府何主任", [Role.TOWN_GOVERNMENT], "+8613800000012"),
        other_admin=_person(s, other.id, "oad", "外校管理员", [Role.ADMIN], "+8613800000013"),
        zs_a=_child(s, sid, class_a.id, "张三", "S1"),
        zs_b=_child(s, sid, class_b.id, "张三", "S2"),
        li_si=_child(s, sid, class_c.id, "李四", "S3"),
        wang=_child(s, sid, class_a.id, "王 五", "S4"),
        gone=_child(s, sid, class_a.id, "赵六", "S5", active=False),
    )
    other_class = SchoolClass(school_id=other.id, name="一年级1班")
    s.add(other_class)
    s.flush()
    ids["other_child"] = _child(s, other.id, other_class.id, "张三", "S1")
    t = TestSchool(**ids)
    _relate(s, t.zs_a, RelationKind.HELPER_TEACHER, t.helper)
    _relate(s, t.zs_b, RelationKind.CARING_PARENT, t.caring)
    _relate(s, t.li_si, RelationKind.HELPER_TEACHER, t.teacher_a)
    _relate(s, t.zs_a, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_a)
    _relate(s, t.zs_b, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_b)
    _relate(s, t.zs_a, RelationKind.FATHER, t.father_a)
    _relate(s, t.gone, RelationKind.ENTRUSTED_GUARDIAN, t.guardian_a)
    # A person with an unknown role is linked anyway: the link alone must grant nothing.
    _relate(s, t.wang, RelationKind.HELPER_TEACHER, t.janitor)
    uow.commit()
    return t


def actor(uow: UnitOfWork, person_id: int) -> Actor:
    p = uow.session.get(Person, person_id)
    assert p is not None
    return Actor(p.id, p.name, p.school_id, p.role_set, p.locale or "zh_Hans", "Asia/Shanghai")


def scope(uow: UnitOfWork, person_id: int, purpose: Purpose) -> set[int]:
    return {c.id for c in find_children(uow, actor(uow, person_id), purpose=purpose)}


@pytest.fixture
def school(uow_factory) -> TestSchool:
    with uow_factory() as uow:
        return build_school(uow)


def test_class_teacher_sees_their_class_and_children_paired_with_them(uow_factory, school) -> None:
    with uow_factory() as uow:
        for purpose in Purpose:
            assert scope(uow, school.teacher_a, purpose) == {school.zs_a, school.wang, school.li_si}
        assert scope(uow, school.teacher_b, Purpose.TALK) == {school.zs_b}
        assert scope(uow, school.teacher_c, Purpose.VIEW) == {school.li_si}


def test_helper_teacher_and_caring_parent_see_only_children_paired_with_them(uow_factory, school) -> None:
    with uow_factory() as uow:
        for purpose in Purpose:
            assert scope(uow, school.helper, purpose) == {school.zs_a}
            assert scope(uow, school.caring, purpose) == {school.zs_b}


def test_guardian_sees_only_children_they_are_entrusted_with_and_may_not_log_talks(uow_factory, school) -> None:
    with uow_factory() as uow:
        assert scope(uow, school.guardian_a, Purpose.VIEW) == {school.zs_a}  # not the inactive 赵六
        assert scope(uow, school.guardian_b, Purpose.VIEW) == {school.zs_b}
        assert scope(uow, school.guardian_a, Purpose.TALK) == set()
        assert scope(uow, school.guardian_a, Purpose.INCIDENT) == set()


def test_parent_sees_own_child_for_view_only(uow_factory, school) -> None:
    with uow_factory() as uow:
        assert scope(uow, school.father_a, Purpose.VIEW) == {school.zs_a}
        assert scope(uow, school.father_a, Purpose.TALK) == set()
        assert scope(uow, school.father_a, Purpose.INCIDENT) == set()


def test_leader_and_admin_see_their_whole_school_but_do_not_log_talks(uow_factory, school) -> None:
    everyone = {school.zs_a, school.zs_b, school.li_si, school.wang}
    with uow_factory() as uow:
        for person in (school.leader, school.admin):
            assert scope(uow, person, Purpose.VIEW) == everyone
            assert scope(uow, person, Purpose.INCIDENT) == everyone
            assert scope(uow, person, Purpose.TALK) == set()
        assert scope(uow, school.other_admin, Purpose.VIEW) == {school.other_child}


def test_officials_see_no_child_records(uow_factory, school) -> None:
    with uow_factory() as uow:
        for person in (school.bureau, school.town):
            for purpose in Purpose:
                assert scope(uow, person, purpose) == set()
                assert find_children(uow, actor(uow, person), purpose=purpose, name="张三") == []
                assert not can_act_on_child(uow, actor(uow, person), school.zs_a, purpose=purpose)


def test_unknown_role_is_denied_even_with_links(uow_factory, school) -> None:
    with uow_factory() as uow:
        uow.session.get(SchoolClass, school.class_b).class_teacher_id = school.janitor
        uow.flush()
        for purpose in Purpose:
            assert scope(uow, school.janitor, purpose) == set()
        nobody = Actor(school.janitor, "x", school.school, frozenset(), "zh_Hans", "Asia/Shanghai")
        assert find_children(uow, nobody, purpose=Purpose.VIEW) == []


def test_namesakes_are_all_returned_with_their_class(uow_factory, school) -> None:
    with uow_factory() as uow:
        found = find_children(uow, actor(uow, school.admin), purpose=Purpose.VIEW, name="张三")
        assert [(c.id, c.name, c.class_name) for c in found] == [
            (school.zs_a, "张三", "三年级1班"),
            (school.zs_b, "张三", "三年级2班"),
        ]


def test_out_of_scope_child_looks_like_an_unknown_name(uow_factory, school) -> None:
    with uow_factory() as uow:
        teacher_b = actor(uow, school.teacher_b)
        out_of_scope = find_children(uow, teacher_b, purpose=Purpose.TALK, name="李四")
        unknown = find_children(uow, teacher_b, purpose=Purpose.TALK, name="没有这个人")
        assert out_of_scope == unknown == []
        assert not can_act_on_child(uow, teacher_b, school.li_si, purpose=Purpose.TALK)
        assert not can_act_on_child(uow, teacher_b, 999_999, purpose=Purpose.TALK)
        # The namesake in their own class is found, the other 张三 is not.
        assert [c.id for c in find_children(uow, teacher_b, purpose=Purpose.TALK, name="张三")] == [school.zs_b]


def test_names_match_after_removing_spaces_and_full_width_forms(uow_factory, school) -> None:
    with uow_factory() as uow:
        teacher_a = actor(uow, school.teacher_a)
        for query in (" 张三 ", "张 三", "张\u3000三"):
            assert [c.id for c in find_children(uow, teacher_a, purpose=Purpose.TALK, name=query)] == [school.zs_a]
        # Stored "王 五" is found as 王五 and as typed with a full-width space.
        for query in ("王五", "王\u3000五", "王 五"):
            assert [c.id for c in find_children(uow, teacher_a, purpose=Purpose.TALK, name=query)] == [school.wang]
        assert find_children(uow, teacher_a, purpose=Purpose.TALK, name="  ") == []


def test_inactive_children_are_never_in_scope(uow_factory, school) -> None:
    with uow_factory() as uow:
        admin = actor(uow, school.admin)
        assert find_children(uow, admin, purpose=Purpose.VIEW, name="赵六") == []
        assert not can_act_on_child(uow, admin, school.gone, purpose=Purpose.VIEW)
        assert not can_act_on_child(uow, actor(uow, school.guardian_a), school.gone, purpose=Purpose.VIEW)


def test_can_act_on_child_follows_the_same_rules(uow_factory, school) -> None:
    with uow_factory() as uow:
        helper = actor(uow, school.helper)
        assert can_act_on_child(uow, helper, school.zs_a, purpose=Purpose.TALK)
        assert can_act_on_child(uow, helper, school.zs_a, purpose=Purpose.INCIDENT)
        assert not can_act_on_child(uow, helper, school.zs_b, purpose=Purpose.TALK)
        admin = actor(uow, school.admin)
        assert can_act_on_child(uow, admin, school.li_si, purpose=Purpose.INCIDENT)
        assert not can_act_on_child(uow, admin, school.li_si, purpose=Purpose.TALK)
        assert not can_act_on_child(uow, admin, school.other_child, purpose=Purpose.VIEW)
