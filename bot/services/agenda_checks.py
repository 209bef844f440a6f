"""Whether a question waiting on a chat's agenda is still open, before it is asked again.

A check-in answered on another channel, an alert acknowledged or an incident
closed meanwhile (or the person left out of it), a programme task done by a colleague, the month's news all
sent or skipped through ``/news``, a meeting cancelled or its attendance
recorded, a family call decided or cancelled, a family's message answered:
such a question is dropped from the agenda instead of being asked again
(``bot.flows.agenda``).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.messages import payloads
from bot.services import checkins, family_messages, family_news
from bot.services.incident_roles import kept_away_ids
from bot.services.ports import UnitOfWork
from bot.store.models import Checkin, FamilyCall, FamilyNews, Incident, IncidentStep, Meeting, ProgrammeTask


def is_open(uow: UnitOfWork, *, person_id: int | None, choice_payloads: list[str]) -> bool:
    """Whether the question with these answers still waits for this person's answer.

    Args:
        uow: the update's unit of work.
        person_id: the person whose chat it is (None: an unbound chat; nothing is open).
        choice_payloads: the question's answers (``Choice.payload``).

    Returns:
        False when what it asks about is answered, acknowledged, closed or gone;
        True for questions this module cannot judge (they are asked again).
    """
    if person_id is None:
        return False
    s = uow.session
    for raw in choice_payloads:
        pressed = payloads.decode(raw)
        incident_id = getattr(pressed, "incident_id", None)
        if isinstance(incident_id, int) and person_id in kept_away_ids(uow, incident_id):
            return False  # left out of it (break9): never asked or shown anything about it again
        if isinstance(pressed, payloads.IncidentAck):
            step = s.scalar(select(IncidentStep.id).join(Incident, Incident.id == IncidentStep.incident_id).where(
                IncidentStep.incident_id == pressed.incident_id, IncidentStep.person_id == person_id,
                IncidentStep.acknowledged_at.is_(None), IncidentStep.excluded_at.is_(None),  # left out: not asked
                Incident.status == "open").limit(1))
            return step is not None
        if isinstance(pressed, payloads.IncidentClose):
            incident = s.get(Incident, pressed.incident_id)
            return incident is not None and incident.status == "open"
        if isinstance(pressed, payloads.CheckinPress):
            checkin = s.get(Checkin, pressed.checkin_id)
            return (checkin is not None and checkin.guardian_id == person_id and checkin.answer is None
                    and checkin.cancelled_at is None and not checkins.superseded(s, checkin))
        if isinstance(pressed, payloads.FamilyReply):  # a family's message waits until it is answered
            return family_messages.unanswered(uow, teacher_id=person_id, message_id=pressed.message_id)
        if isinstance(pressed, payloads.ProgrammeAnswer):
            task = s.get(ProgrammeTask, pressed.task_id)
            return task is not None and task.status == "open"
        if isinstance(pressed, payloads.NewsReview):  # "the month's news is ready": open while a draft of it waits
            news = s.get(FamilyNews, pressed.news_id)
            return news is not None and any(d.period == news.period
                                            for d in family_news.drafts_for(uow, person_id=person_id))
        if isinstance(pressed, payloads.CallDecision | payloads.CallLog):  # decided, moved on, cancelled meanwhile
            call = s.get(FamilyCall, pressed.call_id)
            want = "requested" if isinstance(pressed, payloads.CallDecision) else "booked"
            return call is not None and call.status == want
        if isinstance(pressed, payloads.MeetingReply | payloads.MeetingAttendance):
            meeting = s.get(Meeting, pressed.meeting_id)
            if meeting is None or meeting.cancelled_at is not None:
                return False
            return not isinstance(pressed, payloads.MeetingAttendance) or meeting.attendance_recorded_at is None
    return True
