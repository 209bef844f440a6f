"""A family message held by the quiet hours does not arrive as new once its reader has read it (issue 6).

A grandmother writes at 22:00; her words wait for 07:00 (BULK). Her grandchild's
class teacher opens ``/due`` at 22:05 and reads them there, Reply button and all,
and perhaps answers at once. At 07:00 the held copy would then arrive as a new
message with a second Reply: once shown in ``/due`` it is dropped for that reader
(it stays on ``/due`` until answered), and once answered, by anyone, no reader's
held copy goes out at all. A message nobody has read still goes out at 07:00.

Transactions: these functions flush but never commit.
"""

from __future__ import annotations

from datetime import datetime

from bot.services import family_copies
from bot.services.outbox_cancel import SEEN, cancel_keys
from bot.services.ports import UnitOfWork
from bot.store.models import FamilyMessage


def shown_in_due(uow: UnitOfWork, *, reader_id: int, message_ids: list[int], now: datetime) -> int:
    """Drop the unsent copies to ``reader_id`` of the messages their ``/due`` just showed; returns how many."""
    keys = [f"family:{i}:to:{reader_id}" for i in message_ids]  # exact keys: never another reader's copy
    return cancel_keys(uow.session, keys=keys, now=now, reason=SEEN)


def answered(uow: UnitOfWork, *, message_id: int, now: datetime) -> int:
    """Drop every reader's unsent copy of an answered message (and of its copies to other readers)."""
    keys = []
    for i in family_copies.copies(uow, message_id):
        row = uow.session.get(FamilyMessage, i)
        if row is not None and row.to_person_id is not None:
            keys.append(f"family:{i}:to:{row.to_person_id}")
    return cancel_keys(uow.session, keys=keys, now=now, reason=SEEN)
