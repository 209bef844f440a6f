"""Whether a teacher's answer to a family message is what a family member's ``好的`` / ``谢谢`` is about.

A grandfather reads 王老师's answer ("明天我去看看") and types ``好的``: that is a
thank-you for the answer, not a wrong answer to the check-in still waiting
(issue 6 trial). So too when the Friday check-in reached him after the answer
(王老师 answers at 17:59, the check-in comes at 18:00, he types ``谢谢``): the
check-in is the question most recently shown, so a number answers it, but
``谢谢`` is no answer to "how was the week". The answer counts when every
message sent to him after it is a check-in question (or its reminder) and he
has written nothing in that chat since the latest of them was sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Conversation, FamilyMessage, OutboxMessage, Person

_QUESTIONS = ("checkin:", "checkin-reminder:")  # outbox keys of the week's check-in and its reminder
_LOOK_BACK = 10  # messages looked at, newest first: a check-in or two, then the answer


class ShownNotice(NamedTuple):
    """An outbox message as it was shown: its key and when it was sent (UTC)."""

    key: str
    sent_at: datetime | None


def last_notice(uow: UnitOfWork, *, person_id: int, conversation_id: int) -> ShownNotice | None:
    """The outbox key and send time (UTC) of the newest message shown to a family member, not the check-in.

    Returns None when they wrote after the newest message was shown (their words are then about something
    else) or nothing was sent. Used for the teacher's answer (here) and an incident's close notice
    (closed_notice.py).
    """
    s = uow.session
    rows = s.execute(select(OutboxMessage.key, OutboxMessage.sent_at).where(
        OutboxMessage.person_id == person_id, OutboxMessage.sent_at.is_not(None),
    ).order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(_LOOK_BACK)).all()
    if not rows or rows[0].sent_at is None:
        return None
    conversation = s.get(Conversation, conversation_id)
    if conversation is not None and conversation.updated_at > rows[0].sent_at:
        return None  # they wrote after the last message was shown: their words are about something else
    notice = next((r for r in rows if not r.key.startswith(_QUESTIONS)), None)
    return ShownNotice(notice.key, notice.sent_at) if notice is not None else None


def answer_shown_last(uow: UnitOfWork, *, person_id: int, conversation_id: int) -> str | None:
    """The teacher whose answer ``person_id`` was shown last (but for check-in questions after it), else None.

    Args:
        uow: a unit of work.
        person_id: the family member.
        conversation_id: their chat's conversation, not yet saved for the message being handled (its
            ``updated_at`` is when they last wrote, or when a question was last put on its agenda).
    """
    s = uow.session
    notice = last_notice(uow, person_id=person_id, conversation_id=conversation_id)
    parts = notice.key.split(":") if notice is not None else []
    if len(parts) != 4 or parts[0] != "family" or parts[2] != "to" or not parts[1].isdigit():
        return None
    row = s.get(FamilyMessage, int(parts[1]))
    if row is None or row.kind != "answer" or row.from_person_id is None:
        return None
    teacher = s.get(Person, row.from_person_id)
    return teacher.name if teacher is not None else None
