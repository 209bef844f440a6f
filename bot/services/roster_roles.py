"""Roles the roster import manages follow the new file (issue 9, found by testers).

The class teacher (班主任) role goes with a class: the classes sheet (or the staff sheet's 班级 column) names
each class's teacher. After a re-import in which a teacher is the class teacher of no class any more (the
classes sheet names someone else for her former class), she no longer holds the role, so ``/me`` and the
dashboard stop calling her 班主任 and nothing she owed as class teacher is asked of her. Her other roles
(helper teacher, leader …) and her history (talks she held, tasks, changes) stay; the change is recorded
(``RecordChange``, subject ``role``, source import) when she held a class before this import.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.domain.enums import ChangeSource, Role
from bot.store.models import Person, PersonRole, PersonSchool, RecordChange, SchoolClass


def class_teachers(s: Session, school_id: int) -> set[int]:
    """The ids of the people who are class teacher of some class of the school."""
    return {i for i in s.scalars(select(SchoolClass.class_teacher_id).where(SchoolClass.school_id == school_id))
            if i is not None}


def end_class_teacher_roles(s: Session, school_id: int, *, before: Collection[int], now: datetime) -> list[int]:
    """Take the class teacher role from the school's people who teach no class (of any school) now.

    Returns the ids of those who taught a class before this import (the others held the role without a class).

    Args:
        s: the import's session (the classes are written and flushed).
        school_id: the school imported.
        before: who was a class teacher before this import (:func:`class_teachers`): their loss is recorded.
        now: the import's time (the injected clock).
    """
    # A teacher of two schools (PersonSchool) keeps the role while she teaches a class at either.
    teaching = select(SchoolClass.class_teacher_id).where(SchoolClass.class_teacher_id.is_not(None))
    members = select(PersonSchool.person_id).where(PersonSchool.school_id == school_id)
    ended: list[int] = []
    for role in s.scalars(select(PersonRole).join(Person, Person.id == PersonRole.person_id)
                          .where(or_(Person.school_id == school_id, Person.id.in_(members)),
                                 PersonRole.role == Role.CLASS_TEACHER.value,
                                 PersonRole.person_id.not_in(teaching))).all():
        if role.person_id in before:
            s.add(RecordChange(school_id=school_id, subject="role", subject_id=role.person_id, field="role",
                               old_value=role.role, new_value=None, changed_at=now, source=ChangeSource.IMPORT.value))
            ended.append(role.person_id)
        s.delete(role)
    s.flush()
    return ended
