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

from typing import Any

from bot.messages.prompt import N_, msg, text

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

KINSHIP_LABELS: dict[str, str] = {
    "祖父": N_("grandfather (paternal)"), "爷爷": N_("grandfather (paternal)"),
    "祖母": N_("grandmother (paternal)"), "奶奶": N_("grandmother (paternal)"),
    "外祖父": N_("grandfather (maternal)"), "外公": N_("grandfather (maternal)"), "姥爷": N_("grandfather (maternal)"),
    "外祖母": N_("grandmother (maternal)"), "外婆": N_("grandmother (maternal)"), "姥姥": N_("grandmother (maternal)"),
    "父亲": N_("father"), "爸爸": N_("father"), "母亲": N_("mother"), "妈妈": N_("mother"),
    "叔叔": N_("uncle (father's younger brother)"), "伯父": N_("uncle (father's elder brother)"),
    "伯伯": N_("uncle (father's elder brother)"), "舅舅": N_("uncle (mother's brother)"),
    "姑姑": N_("aunt (father's sister)"), "姨妈": N_("aunt (mother's sister)"), "阿姨": N_("aunt (mother's sister)"),
    "婶婶": N_("aunt (wife of father's younger brother)"), "舅妈": N_("aunt (wife of mother's brother)"),
    "哥哥": N_("elder brother"), "姐姐": N_("elder sister"), "兄": N_("elder brother"), "姐": N_("elder sister"),
    "其他亲属": N_("other relative"), "亲戚": N_("other relative"), "邻居": N_("neighbour"),
}
"""How the roster's 与儿童关系 column says a guardian stands to the child (its own words → message id).

The catalog gives each the reader's term: 外祖父 in Chinese, "grandfather
(maternal)" in English. A word not listed is shown as the roster wrote it
(:func:`kinship_param`).
"""

CHANNEL_LABELS: dict[str, str] = {
    "telegram": N_("Telegram"),
    "wechat": N_("WeChat"),
    "wecom": N_("WeCom"),
    "console": N_("console"),
}
"""Where a chat account lives (``Channel`` value → message id)."""
AUDIT_CHANNEL_LABELS: dict[str, str] = {**CHANNEL_LABELS, "web": N_("dashboard")}
"""Where an audited action was taken: a chat channel, or the dashboard (``bot.domain.privacy.AUDIT_WEB``), so
``/audit`` names the dashboard rather than the command line (breaker4)."""


def role_label(value: str) -> str | None:
    """The label of a role or of a relation to a child (``father``), or None for an unknown value.

    The incident chain names each recipient by what they are in the chain:
    their relation to the child (entrusted guardian, father, mother) or their
    role at the school (education bureau, town government). Relations are
    looked up first.
    """
    return RELATION_LABELS.get(value) or ROLE_LABELS.get(value)


def kinship_param(value: str) -> dict[str, Any]:
    """The roster's relationship word (外祖父) as a prompt parameter in the reader's language.

    Every message that names how a guardian stands to the child uses this,
    never the roster's word as text: an English reader sees "grandfather
    (maternal)". A word the table does not know is shown as written.
    """
    word = value.strip()
    label = KINSHIP_LABELS.get(word)
    return msg(label) if label else text(word)


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
    "urgent_unanswered": N_("urgent family message unanswered: phone the family"),
}
"""What a task asks for (``TaskKind`` value → message id)."""
