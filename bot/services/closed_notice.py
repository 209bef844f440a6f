"""Whether an incident's closing notice is what a family member's ``好的`` / ``谢谢`` / ``1`` is about.

At 18:00 a grandfather has the week's check-in and a missing-child alert; he
confirms the alert and the check-in is asked again. Then 王老师 closes the
incident: "…已结束。结果：孩子已找到。" is the last thing on his screen, and he
types ``好的``. That is seeing the outcome, not "this week all good" (issue 6
trial): one question at a time, and the notice is what was shown last. The
notice counts when every message sent to him after it is a check-in question
(or its reminder) and he has written nothing in that chat since it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.services.family_thanks import last_notice
from bot.services.incident_escalation import event
from bot.services.ports import UnitOfWork
from bot.store.models import Child, Incident, IncidentEvent

SEEN_EVENT = "outcome_seen"  # on the incident's timeline: a family member has seen the closing notice


@dataclass(frozen=True)
class ClosedShown:
    """The closing notice shown last: its incident and child."""

    incident_id: int
    child_id: int
    child_name: str
    sent_at: datetime | None = None  # when the notice was sent (a check-in shown with it is the question on screen)


def shown_last(uow: UnitOfWork, *, person_id: int, conversation_id: int) -> ClosedShown | None:
    """The incident whose closing notice ``person_id`` was shown last (but for check-in questions), else None.

    Args:
        uow: a unit of work.
        person_id: the family member.
        conversation_id: their chat's conversation, not yet saved for the message being handled (its
            ``updated_at`` is when they last wrote).
    """
    s = uow.session
    notice = last_notice(uow, person_id=person_id, conversation_id=conversation_id)
    parts = notice.key.split(":") if notice is not None else []
    # incident:<id>:closed:to:<person>
    if len(parts) != 5 or parts[0] != "incident" or parts[2] != "closed" or not parts[1].isdigit():
        return None
    incident = s.get(Incident, int(parts[1]))
    child = s.get(Child, incident.child_id) if incident is not None else None
    if incident is None or child is None:
        return None
    if s.scalar(select(IncidentEvent.id).where(IncidentEvent.incident_id == incident.id,
                                               IncidentEvent.kind == SEEN_EVENT,
                                               IncidentEvent.person_id == person_id).limit(1)) is not None:
        return None  # already seen (his 好的): the check-in asked again after it is the question now
    return ClosedShown(incident_id=incident.id, child_id=child.id, child_name=child.name,
                       sent_at=notice.sent_at if notice is not None else None)


def record_seen(uow: UnitOfWork, shown: ClosedShown, *, person_id: int, now: datetime) -> None:
    """On the incident's timeline: ``person_id`` has seen its outcome (their ``好的`` to the closing notice)."""
    event(uow, shown.incident_id, SEEN_EVENT, now, person_id=person_id)
