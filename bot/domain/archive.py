"""The archive completeness rule (一人一档): which registration-form fields a child's card still lacks.

The national registration form (农村留守儿童基本情况登记表) asks, per child,
for the fields below; a card is complete ("建档") when none is empty. The
filing rate a school reports (建档率) is complete cards over active
left-behind children. Pairings (helper teacher, caring parent, study buddy)
are counted separately as pairing coverage (:data:`PAIRINGS`), since the
form records them but a missing pairing is the school's work, not the family's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.messages.prompt import N_

FIELDS: dict[str, str] = {
    "gender": N_("gender"),  # 性别
    "ethnicity": N_("ethnicity"),  # 民族
    "birth_date": N_("date of birth"),  # 出生日期
    "class": N_("class"),  # 班级
    "schooling": N_("schooling"),  # 就学情况
    "boarding": N_("boarding"),  # 是否寄宿
    "health": N_("health"),  # 身体情况
    "address": N_("address"),  # 现居住地
    "left_behind_type": N_("left-behind type"),  # 留守类型
    "parent_contact": N_("a parent's phone"),  # 父亲/母亲联系电话
    "guardian": N_("entrusted guardian"),  # 委托监护人姓名
    "guardian_relation": N_("guardian's relation to the child"),  # 与儿童关系
    "guardian_phone": N_("guardian's phone"),  # 委托监护人电话
    "guardianship_assessment": N_("guardianship assessment"),  # 监护情况评估
    "family_income": N_("family income"),  # 家庭经济来源
}
"""Registration-form field → its label (message id), in the form's order."""

PAIRINGS: dict[str, str] = {
    "helper_teacher": N_("helper teacher"),
    "caring_parent": N_("caring-parent volunteer"),
    "study_buddy": N_("study buddy"),
}
"""The three pairings each left-behind child should have (帮扶教师, 爱心家长, 学习伙伴)."""


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_fields(facts: Mapping[str, Any]) -> list[str]:
    """The registration-form fields (keys of :data:`FIELDS`) that are empty in ``facts``, in the form's order.

    ``facts`` maps a field to its value; an absent key counts as empty.
    ``boarding`` is a bool, so ``False`` ("not boarding") is a value.
    """
    return [name for name in FIELDS if _empty(facts.get(name))]


def missing_pairings(kinds: set[str]) -> list[str]:
    """The pairings (keys of :data:`PAIRINGS`) a child has none of, given the relation kinds they have."""
    return [name for name in PAIRINGS if name not in kinds]


def filing_rate(complete: int, total: int) -> float | None:
    """Complete cards over children (0–1), or None for no children."""
    return complete / total if total else None
