"""The one table of labels for roles, relations to a child and channels (message ids, ``N_``-marked).

Keys are the stored values (``bot.domain.enums.Role``, ``RelationKind`` and
``Channel`` values: a ``StrEnum`` member finds its entry too). This package
imports nothing of the project, so the keys are written as text here;
``tests/test_messages_labels.py`` checks that every enum value has its label.

The same word must mean the same thing everywhere a person reads it: the
greeting, ``/me``, the invite listing, the demo, the forwarded-message
heading and the incident chain all take their labels from here.
"""

from __future__ import annotations

from bot.messages.prompt import N_

ROLE_LABELS: dict[str, str] = {
    "school_leader": N_("school leader"),  # 校领导
    "admin": N_("school admin"),  # 管理员
    "class_teacher": N_("class teacher"),  # 班主任
    "helper_teacher": N_("helper teacher"),  # 帮扶教师
    "caring_parent": N_("caring-parent volunteer"),  # 爱心妈妈/爸爸
    "education_bureau": N_("education bureau"),  # 教育主管部门
    "town_government": N_("town government"),  # 镇党委政府
    "guardian": N_("entrusted guardian"),  # 委托监护人
    "parent": N_("parent working away"),  # 外出务工父母
    "safeguarding_lead": N_("safeguarding lead"),  # 儿童保护负责人
    "child_director": N_("child director"),  # 儿童主任
    "womens_federation": N_("women's federation"),  # 妇联
    "police": N_("police station"),  # 派出所
}
"""What a person is in the programme (``Role`` value → message id)."""

RELATION_LABELS: dict[str, str] = {
    "entrusted_guardian": N_("entrusted guardian"),
    "father": N_("father"),
    "mother": N_("mother"),
    "helper_teacher": N_("helper teacher"),
    "caring_parent": N_("caring-parent volunteer"),
    "study_buddy": N_("study buddy"),  # 学习伙伴
}
"""How a person stands to a child (``RelationKind`` value → message id)."""

CHANNEL_LABELS: dict[str, str] = {
    "telegram": N_("Telegram"),
    "wechat": N_("WeChat"),
    "wecom": N_("WeCom"),
    "console": N_("console"),
}
"""Where a chat account lives (``Channel`` value → message id)."""


def role_label(value: str) -> str | None:
    """The label of a role or of a relation to a child (``father``), or None for an unknown value.

    The incident chain names each recipient by what they are in the chain:
    their relation to the child (entrusted guardian, father, mother) or their
    role at the school (education bureau, town government). Relations are
    looked up first.
    """
    return RELATION_LABELS.get(value) or ROLE_LABELS.get(value)


TASK_KIND_LABELS: dict[str, str] = {
    "help_request": N_("help requested"),
    "phone_guardian": N_("phone the guardian (check-in unanswered)"),
    "phone_contact": N_("phone (not reachable in chat)"),
    "talk_follow_up": N_("follow up the talk"),
    "safety_concern": N_("safety concern from a talk"),
    "incident_not_reached": N_("incident: nobody in the chain answered"),
    "incident_step_missed": N_("incident: phone who missed the deadline"),
    "plan_review": N_("review the education plan"),
    "handover": N_("children handed over"),
}
"""What a task asks for (``TaskKind`` value → message id)."""
