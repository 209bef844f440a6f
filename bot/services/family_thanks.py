"""Whether a teacher's answer to a family message is the last thing a family member was shown.

A grandfather reads 王老师's answer ("明天我去看看") and types ``好的``: that is a
thank-you for the answer, not a wrong answer to the check-in still waiting
(issue 6 trial). The answer is the last thing shown when it is the latest
message sent to him and he has written nothing in that chat since it was sent.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.services.ports import UnitOfWork
from bot.store.models import Conversation, FamilyMessage, OutboxMessage, Person


def answer_shown_last(uow: UnitOfWork, *, person_id: int, conversation_id: int) -> str | None:
    """The name of the teacher whose answer was the last thing shown to ``person_id`` in this chat, else None.

    Args:
        uow: a unit of work.
        person_id: the family member.
        conversation_id: their chat's conversation, not yet saved for the message being handled (its
            ``updated_at`` is when they last wrote, or when a question was last put on its agenda).
    """
    s = uow.session
    last = s.execute(select(OutboxMessage.key, OutboxMessage.sent_at).where(
        OutboxMessage.person_id == person_id, OutboxMessage.sent_at.is_not(None),
    ).order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(1)).first()
    if last is None or last.sent_at is None:
        return None
    parts = last.key.split(":")
    if len(parts) != 4 or parts[0] != "family" or parts[2] != "to" or not parts[1].isdigit():
        return None
    row = s.get(FamilyMessage, int(parts[1]))
    if row is None or row.kind != "answer" or row.from_person_id is None:
        return None
    conversation = s.get(Conversation, conversation_id)
    if conversation is not None and conversation.updated_at > last.sent_at:
        return None  # they wrote after reading it: their words are about something else
    teacher = s.get(Person, row.from_person_id)
    return teacher.name if teacher is not None else None
