"""The programme's vocabulary as ``StrEnum``s; values are stored in the database."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person is in the programme."""

    SCHOOL_LEADER = "school_leader"  # 校领导
    ADMIN = "admin"  # 管理员
    CLASS_TEACHER = "class_teacher"  # 班主任
    HELPER_TEACHER = "helper_teacher"  # 帮扶教师
    CARING_PARENT = "caring_parent"  # 爱心妈妈/爸爸 (爱心家长)
    EDUCATION_BUREAU = "education_bureau"  # 教育主管部门
    TOWN_GOVERNMENT = "town_government"  # 镇党委政府
    GUARDIAN = "guardian"  # 委托监护人
    PARENT = "parent"  # 外出务工父母
    SAFEGUARDING_LEAD = "safeguarding_lead"  # 儿童保护负责人: a staff member designated by the school
    CHILD_DIRECTOR = "child_director"  # 儿童主任 of the village or town (民政)
    WOMENS_FEDERATION = "womens_federation"  # 妇联
    POLICE = "police"  # 派出所 / 民警


STAFF_ROLES = frozenset(
    {Role.SCHOOL_LEADER, Role.ADMIN, Role.CLASS_TEACHER, Role.HELPER_TEACHER, Role.CARING_PARENT,
     Role.SAFEGUARDING_LEAD}
)
OFFICIAL_ROLES = frozenset({Role.EDUCATION_BUREAU, Role.TOWN_GOVERNMENT})
ADMIN_ROLES = frozenset({Role.SCHOOL_LEADER, Role.ADMIN})
# Who receives a safeguarding report first: the school's leaders and its designated safeguarding lead
# (issue 10, item 9); the admins only when the school has neither.
LEADER_ROLES = frozenset({Role.SCHOOL_LEADER, Role.SAFEGUARDING_LEAD})
# Child-protection contacts outside the school (强制报告: 儿童主任, 妇联, 公安). Like officials they see
# no child's archive, only the incidents sent to them.
CHILD_PROTECTION_ROLES = frozenset({Role.CHILD_DIRECTOR, Role.WOMENS_FEDERATION, Role.POLICE})


class RelationKind(StrEnum):
    """How a person (or, for a study buddy, another pupil) stands to a child."""

    ENTRUSTED_GUARDIAN = "entrusted_guardian"  # 委托监护人
    FATHER = "father"
    MOTHER = "mother"
    HELPER_TEACHER = "helper_teacher"  # 帮扶教师
    CARING_PARENT = "caring_parent"  # 爱心家长
    STUDY_BUDDY = "study_buddy"  # 学习伙伴 (a pupil: related_child_id)


class Channel(StrEnum):
    """Where a chat account lives."""

    TELEGRAM = "telegram"
    WECHAT = "wechat"
    WECOM = "wecom"
    CONSOLE = "console"


class TalkKind(StrEnum):
    """Talk records (谈心记录卡): monthly by the class teacher, weekly by a volunteer."""

    CLASS_TEACHER_MONTHLY = "class_teacher_monthly"
    VOLUNTEER_WEEKLY = "volunteer_weekly"


class Rating(StrEnum):
    """Three-step answer used on talk cards (mood, study, daily life)."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class CheckinAnswer(StrEnum):
    """The guardian's one-tap weekly answer."""

    GOOD = "good"
    SO_SO = "so_so"
    NEEDS_HELP = "needs_help"


class IncidentKind(StrEnum):
    """What happened to the child (突发事件)."""

    INJURY = "injury"
    ILLNESS = "illness"
    MISSING = "missing"
    BULLYING = "bullying"  # among pupils
    OTHER = "other"
    # 疑似虐待 / 忽视 / 成人欺凌: its chain skips the family (issue 10, item 9; bot.domain.escalation).
    SUSPECTED_ABUSE = "suspected_abuse"


class IncidentOutcome(StrEnum):
    """How an incident ended, recorded at its close and told to everyone it reached (issue 6, item 2)."""

    SAFE_AT_SCHOOL = "safe_at_school"
    SAFE_AT_HOME = "safe_at_home"
    CLINIC_OR_HOSPITAL = "clinic_or_hospital"
    FOUND = "found"
    REFERRED = "referred"  # handed to child protection or the police (safeguarding reports)
    OTHER = "other"  # needs a note


class Severity(StrEnum):
    """How serious an incident is: an emergency runs the whole chain, a minor one fewer steps."""

    EMERGENCY = "emergency"
    MINOR = "minor"


class IncidentStatus(StrEnum):
    """Whether an incident's chain still runs."""

    OPEN = "open"
    CLOSED = "closed"


class TaskKind(StrEnum):
    """Work the bot hands to a person (a follow-up, a phone call)."""

    HELP_REQUEST = "help_request"  # guardian answered "needs help"
    PHONE_GUARDIAN = "phone_guardian"  # check-in unanswered after the reminder
    PHONE_CONTACT = "phone_contact"  # contact unreachable on every channel
    TALK_FOLLOW_UP = "talk_follow_up"  # talk card marked "needs follow-up"
    SAFETY_CONCERN = "safety_concern"  # talk card with a safety concern: author and safeguarding lead
    INCIDENT_NOT_REACHED = "incident_not_reached"  # nobody in an incident's chain acknowledged: phone them
    INCIDENT_STEP_MISSED = "incident_step_missed"  # a person of the chain missed their deadline: the reporter phones
    PLAN_REVIEW = "plan_review"  # an individual education plan is due for review
    HANDOVER = "handover"  # a leaving staff member's children need a new teacher
    URGENT_UNANSWERED = "urgent_unanswered"  # a family's URGENT message unanswered: phone them (issue 6)


class Priority(StrEnum):
    """Outbox priority: urgent (incidents) drains before bulk (reminders)."""

    URGENT = "urgent"
    BULK = "bulk"


class TaskState(StrEnum):
    """Where a task stands (derived from its timestamps: ``bot.domain.tasks.state_of``)."""

    OPEN = "open"
    DONE = "done"  # closed with a one-line outcome
    CANCELLED = "cancelled"  # the relation it was about ended, or the child left


class AidKind(StrEnum):
    """What a child was given (资助): money, goods, stationery, a fee waiver, a living allowance."""

    CASH = "cash"  # 现金
    GOODS = "goods"  # 物资 (clothes, food)
    STATIONERY = "stationery"  # 学习用品
    FEE_WAIVER = "fee_waiver"  # 减免 (meals, boarding)
    ALLOWANCE = "allowance"  # 生活补助
    OTHER = "other"


class PlanStatus(StrEnum):
    """An individual education plan's (个别教育管理方案) state."""

    OPEN = "open"
    CLOSED = "closed"


class PlanReason(StrEnum):
    """Why a child got an individual education plan."""

    TALK = "talk"  # flagged by a talk card (follow-up or safety concern)
    CLASS_TEACHER = "class_teacher"  # opened by the class teacher (or an admin)
    IMPORT = "import"  # read from a file


class ChangeSource(StrEnum):
    """Where a recorded change of a child's card came from."""

    CHAT = "chat"
    IMPORT = "import"
    WEB = "web"
    CLI = "cli"
