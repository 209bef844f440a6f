"""Access rules (bot/services/access.py): who sees which child, deny by default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.access import Purpose, can_act_on_child, find_children
from bot.services.identity import Actor
from bot.store.models import Person, SchoolClass
from bot.store.uow import UnitOfWork
from tests.support.school import AccessSchool, access_school

BOUND_AT = datetime(2026, 11, 1, tzinfo=UTC)


def actor(uow: UnitOfWork, person_id: int) -> Actor:
    p = uow.session.get(Person, person_id)
    assert p is not None
    return Actor(p.id, p.name, p.school_id, p.role_set, p.locale or "zh_Hans", "Asia/Shanghai")


def scope(uow: UnitOfWork, person_id: int, purpose: Purpose) -> set[int]:
    return {c.id for c in find_children(uow, actor(uow, person_id), purpose=purpose)}


@pytest.fixture
def school(uow_factory) -> AccessSchool:
    with uow_factory() as uow:
        return access_school(uow)


def test_class_teacher_sees_their_class_and_children_paired_with_them(uow_factory, school) -> None:
    with uow_factory() as uow:
        for purpose in (Purpose.VIEW, Purpose.TALK):
            assert scope(uow, school.teacher_a, purpose) == {school.zs_a, school.wang, school.li_si}
        assert scope(uow, school.teacher_b, Purpose.TALK) == {school.zs_b}
        assert scope(uow, school.teacher_c, Purpose.VIEW) == {school.li_si}


def test_helper_teacher_and_caring_parent_see_only_children_paired_with_them(uow_factory, school) -> None:
    with uow_factory() as uow:
        for purpose in (Purpose.VIEW, Purpose.TALK):
            assert scope(uow, school.helper, purpose) == {school.zs_a}
        for purpose in Purpose:
            assert scope(uow, school.caring, purpose) == {school.zs_b}


def test_any_teacher_may_report_an_incident_about_any_child_of_their_school(uow_factory, school) -> None:
    """Issue 6, item 5: the duty teacher sees a fall in the yard; volunteers keep to their pairing."""
    everyone = {school.zs_a, school.zs_b, school.li_si, school.wang}
    with uow_factory() as uow:
        for person in (school.teacher_a, school.teacher_b, school.helper):
            assert scope(uow, person, Purpose.INCIDENT) == everyone
        assert scope(uow, school.caring, Purpose.INCIDENT) == {school.zs_b}
        assert scope(uow, school.other_admin, Purpose.INCIDENT) == {school.other_child}


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


def test_an_open_task_opens_its_child_for_task_only_and_never_to_a_guardian_or_official(uow_factory, school) -> None:
    """Footnote [4]: the task's assignee finds its child for TASK (/card, /talks) while it is open, staff only."""
    from bot.domain.enums import TaskKind
    from bot.services import tasks
    from bot.store.models import Task

    with uow_factory() as uow:
        made = {person: tasks.create(uow, key=f"call:{person}", kind=TaskKind.PHONE_GUARDIAN, assignee_id=person,
                                     child_id=school.li_si, now=BOUND_AT).id
                for person in (school.teacher_b, school.guardian_a, school.father_a, school.bureau, school.town)}
        uow.flush()
        assert scope(uow, school.teacher_b, Purpose.TASK) == {school.zs_b, school.li_si}
        for purpose in (Purpose.VIEW, Purpose.TALK):
            assert school.li_si not in scope(uow, school.teacher_b, purpose)
        assert scope(uow, school.guardian_a, Purpose.TASK) == {school.zs_a}  # their own child, as for VIEW
        assert scope(uow, school.father_a, Purpose.TASK) == {school.zs_a}
        for official in (school.bureau, school.town):
            assert scope(uow, official, Purpose.TASK) == set()
        uow.session.get(Task, made[school.teacher_b]).done_at = BOUND_AT
        uow.flush()
        assert scope(uow, school.teacher_b, Purpose.TASK) == {school.zs_b}
