"""SQLAlchemy 2 models of the care programme, one module per part of the house.

All datetimes are stored as UTC (``UtcDateTime`` makes them aware on the way
out, SQLite included). Chat account ids are strings: Telegram ids are 64-bit
integers and WeChat OpenIDs are strings, and both fit. Import models from this
package (``from bot.store.models import Person``); the modules split them by
subject: :mod:`~bot.store.models.people`, :mod:`~bot.store.models.care`,
:mod:`~bot.store.models.platform`.
"""

from bot.store.models.assessment import TermResult
from bot.store.models.audit import AuditEntry
from bot.store.models.base import Base, UtcDateTime
from bot.store.models.calendar import ProgrammeItem, ProgrammeOccurrence, ProgrammeTask, Semester
from bot.store.models.care import (
    Checkin,
    Incident,
    IncidentEvent,
    IncidentStep,
    TalkRecord,
    Task,
)
from bot.store.models.casework import (
    AidRecord,
    EducationPlan,
    EducationPlanNote,
    EducationPlanPerson,
    EducationPlanReview,
    RecordChange,
)
from bot.store.models.consent import Consent
from bot.store.models.erased import ErasedChild
from bot.store.models.family import (
    CallRoom,
    FamilyCall,
    FamilyNews,
    Letter,
    LetterReply,
    Meeting,
    MeetingInvite,
)
from bot.store.models.family_messages import FamilyMessage, FamilyMessageChild
from bot.store.models.health import PacingSlot, WorkerHeartbeat
from bot.store.models.people import (
    BindAttempt,
    ChatAccount,
    Child,
    ChildRelation,
    Invite,
    Person,
    PersonRole,
    PersonSchool,
    School,
    SchoolClass,
)
from bot.store.models.platform import (
    ApiToken,
    Conversation,
    DataKeyCheck,
    InboundClaim,
    IndexKeyCheck,
    OutboxMessage,
    PlanMarker,
    ProcessedUpdate,
    SeenNonce,
)
from bot.store.models.web import DashboardEdit, StaffTotp, WebLoginLink, WebSession

__all__ = [
    "AidRecord",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BindAttempt",
    "CallRoom",
    "ChatAccount",
    "Checkin",
    "Child",
    "ChildRelation",
    "Consent",
    "Conversation",
    "DashboardEdit",
    "DataKeyCheck",
    "ErasedChild",
    "IndexKeyCheck",
    "EducationPlan",
    "EducationPlanNote",
    "EducationPlanPerson",
    "EducationPlanReview",
    "FamilyCall",
    "FamilyMessage",
    "FamilyMessageChild",
    "FamilyNews",
    "InboundClaim",
    "Incident",
    "IncidentEvent",
    "IncidentStep",
    "Invite",
    "Letter",
    "LetterReply",
    "Meeting",
    "MeetingInvite",
    "OutboxMessage",
    "PacingSlot",
    "Person",
    "PersonRole",
    "PersonSchool",
    "PlanMarker",
    "ProcessedUpdate",
    "ProgrammeItem",
    "ProgrammeOccurrence",
    "ProgrammeTask",
    "RecordChange",
    "School",
    "SchoolClass",
    "SeenNonce",
    "Semester",
    "StaffTotp",
    "TalkRecord",
    "Task",
    "TermResult",
    "UtcDateTime",
    "WebLoginLink",
    "WebSession",
    "WorkerHeartbeat",
]
