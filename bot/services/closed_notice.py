"""Whether an incident's closing notice is what a family member's ``好的`` / ``谢谢`` / ``1`` is about.

At 18:00 a grandfather has the week's check-in and a missing-child alert; he
confirms the alert and the check-in is asked again. Then 王老师 closes the
incident: "…已结束。结果：孩子已找到。" is the last thing on his screen, and he
types ``好的``. That is seeing the outcome, not "this week all good" (issue 6
trial): one question at a time, and the notice is what was shown last. The
notice counts when every message sent to him after it is a check-in question
(or its reminder) and he has written nothing in that chat since it was sent.

So too the all clear another family member sent while the incident is open
("杨杨说杨秀云没事了…", :mod:`bot.services.incident_all_clear`): the grandfather's
``好的`` to it sees that news (``all_clear_seen`` on the timeline, once per writer's
all clear), never "this week all good" nor "not recorded".
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
ALL_CLEAR_SEEN_EVENT = "all_clear_seen"  # … has seen a family member's all clear; detail {"writer": id}


@dataclass(frozen=True)
class ClosedShown:
    """The closing notice shown last: its incident and child."""

    incident_id: int
    child_id: int
    child_name: str
    sent_at: datetime | None = None  # when the notice was sent (a check-in shown with it is the question on screen)
    all_clear_by: int | None = None  # the writer of the all clear shown (None: the closing notice)


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
    # incident:<id>:closed:to:<person>, or incident:<id>:all_clear:<writer>:<ISO time, with colons>:to:<person>
    if len(parts) < 5 or parts[0] != "incident" or not parts[1].isdigit() or parts[-2] != "to":
        return None
    if parts[2] == "closed" and len(parts) == 5:
        writer = None
    elif parts[2] == "all_clear" and parts[3].isdigit():
        writer = int(parts[3])
    else:
        return None
    incident = s.get(Incident, int(parts[1]))
    child = s.get(Child, incident.child_id) if incident is not None else None
    if incident is None or child is None or _seen(uow, incident.id, person_id, writer):
        return None  # already seen (his 好的): the check-in asked again after it is the question now
    return ClosedShown(incident_id=incident.id, child_id=child.id, child_name=child.name,
                       sent_at=notice.sent_at if notice is not None else None, all_clear_by=writer)


def _seen(uow: UnitOfWork, incident_id: int, person_id: int, writer: int | None) -> bool:
    """Whether ``person_id`` has said they saw the closing notice (``writer`` None) or ``writer``'s all clear."""
    kind = SEEN_EVENT if writer is None else ALL_CLEAR_SEEN_EVENT
    details = uow.session.scalars(select(IncidentEvent.detail).where(
        IncidentEvent.incident_id == incident_id, IncidentEvent.kind == kind,
        IncidentEvent.person_id == person_id)).all()
    return writer is None and bool(details) or any(isinstance(d, dict) and d.get("writer") == writer
                                                   for d in details)

def record_seen(uow: UnitOfWork, shown: ClosedShown, *, person_id: int, now: datetime) -> None:
    """On the incident's timeline: ``person_id`` has seen its outcome, or the all clear (their ``好的`` to it)."""
    if shown.all_clear_by is None:
        event(uow, shown.incident_id, SEEN_EVENT, now, person_id=person_id)
    else:
        event(uow, shown.incident_id, ALL_CLEAR_SEEN_EVENT, now, person_id=person_id,
              detail={"writer": shown.all_clear_by})
