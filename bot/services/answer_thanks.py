"""A teacher's answer followed only by the week's check-in: still what a family member's ``谢谢`` is about.

王老师 answers a grandfather at 17:59; the Friday check-in reaches him at
18:00; he types ``谢谢``. The check-in is the question most recently shown, so
a number answers it, but ``谢谢`` is no answer to "how was the week": it thanks
the teacher (issue 6 trial, found refused as "not an answer"). The answer
counts when every message sent to him after it is a check-in question (or its
reminder) and he has written nothing since. See also
:func:`bot.services.family_thanks.answer_shown_last` (the answer shown last).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Conversation, FamilyMessage, OutboxMessage, Person

_QUESTIONS = ("checkin:", "checkin-reminder:")  # outbox keys of the week's check-in and its reminder
_LOOK_BACK = 10  # messages looked at, newest first: a check-in or two, then the answer


def answer_before_checkin(uow: UnitOfWork, *, person_id: int, conversation_id: int) -> str | None:
    """The teacher whose answer ``person_id`` was shown last but for check-in questions after it, else None."""
    s = uow.session
    rows = s.execute(select(OutboxMessage.key, OutboxMessage.sent_at).where(
        OutboxMessage.person_id == person_id, OutboxMessage.sent_at.is_not(None),
    ).order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(_LOOK_BACK)).all()
    if not rows or rows[0].sent_at is None or not rows[0].key.startswith(_QUESTIONS):
        return None
    conversation = s.get(Conversation, conversation_id)
    if conversation is not None and conversation.updated_at > rows[0].sent_at:
        return None  # they wrote after the check-in was shown: their words are about something else
    answer = next((r for r in rows if not r.key.startswith(_QUESTIONS)), None)
    parts = answer.key.split(":") if answer is not None else []
    if len(parts) != 4 or parts[0] != "family" or parts[2] != "to" or not parts[1].isdigit():
        return None
    row = s.get(FamilyMessage, int(parts[1]))
    if row is None or row.kind != "answer" or row.from_person_id is None:
        return None
    teacher = s.get(Person, row.from_person_id)
    return teacher.name if teacher is not None else None
