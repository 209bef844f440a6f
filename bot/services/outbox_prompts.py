"""What an outbox row says: its stored prompt, or a reference worded when it is sent.

Issue 7, item 5: a city's planners write references instead of prompts where
the prompt is made from data the sender can read itself — a check-in question
(``bot.services.checkin_questions``) and a daily digest
(``bot.services.digests``). The sender and the fallbacks ask here.
"""

from __future__ import annotations

from bot.messages.prompt import Prompt
from bot.services import checkin_questions, digests
from bot.services.ports import UnitOfWork
from bot.store.models import OutboxMessage


def prompt_of(uow: UnitOfWork, row: OutboxMessage, *, timezone: str) -> Prompt | None:
    """The row's message, worded now when it is a reference.

    Args:
        uow: the unit of work.
        row: the outbox row.
        timezone: the zone of a school without one of its own.

    Returns:
        None when a reference has nothing left to say (its check-in gone, nothing due): the row is cancelled.
    """
    if digests.is_reference(row.payload):
        return digests.prompt_of(uow, row, timezone=timezone)
    return checkin_questions.prompt_of(uow.session, row)
